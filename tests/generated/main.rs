//! Generated input, all from the one seeded splitmix generator
//! (`common::rng`): every parser and decoder fed random and mutated bytes,
//! checked against references and round trips.

#[path = "../common/mod.rs"]
mod common;

mod cmsg;
mod hostile_input;
mod proc_lines;
