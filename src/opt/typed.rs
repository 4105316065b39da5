//! The options std offers on its typed sockets, on zerosock's typed sockets
//! with the same names: each forwards to the [`Socket`](crate::Socket)
//! method of the same name.
