//! Comparing a hand-written `#[repr(C)]` struct with libc's definition.

/// Asserts that our struct and the C one (libc's, or the kernel uapi's
/// from linux-raw-sys) agree on size and alignment, and that each listed
/// field sits at the same offset with the same size. The one layout check
/// of the tests:
///
/// - `same_layout!(Ours, libc::theirs, ours_field => c_field, …)`;
/// - `same_layout!(Ours, libc::theirs, { field, … })` when the names agree;
/// - `same_layout!(prefix Ours, libc::theirs, { field, … })` when the C
///   struct goes on past ours (a newer header): ours must be no larger, and
///   every field we have must sit where C has it.
#[allow(unused_macros)]
macro_rules! same_layout {
    ($ours:ty, $theirs:ty, { $($field:ident),* $(,)? }) => {
        same_layout!($ours, $theirs, $($field => $field),*)
    };
    (prefix $ours:ty, $theirs:ty, { $($field:ident),* $(,)? }) => {{
        use ::core::mem::{align_of, size_of};
        assert!(size_of::<$ours>() <= size_of::<$theirs>(), "size of {}", stringify!($ours));
        assert_eq!(align_of::<$ours>(), align_of::<$theirs>(), "align of {}", stringify!($ours));
        same_layout!(@fields $ours, $theirs, $($field => $field),*);
    }};
    ($ours:ty, $theirs:ty, $($field:ident => $cfield:ident),* $(,)?) => {{
        use ::core::mem::{align_of, size_of};
        assert_eq!(size_of::<$ours>(), size_of::<$theirs>(), "size of {}", stringify!($ours));
        assert_eq!(align_of::<$ours>(), align_of::<$theirs>(), "align of {}", stringify!($ours));
        same_layout!(@fields $ours, $theirs, $($field => $cfield),*);
    }};
    (@fields $ours:ty, $theirs:ty, $($field:ident => $cfield:ident),*) => {{
        #[allow(unused_imports)] // with no fields listed
        use {::core::mem::offset_of, $crate::common::layout::field_size};
        $(
            assert_eq!(
                offset_of!($ours, $field),
                offset_of!($theirs, $cfield),
                "offset of {}.{}", stringify!($ours), stringify!($field)
            );
            assert_eq!(
                field_size(|x: &$ours| &x.$field),
                field_size(|x: &$theirs| &x.$cfield),
                "size of {}.{}", stringify!($ours), stringify!($field)
            );
        )*
    }};
}
#[allow(unused_imports)]
pub(crate) use same_layout;

/// The size of a field, named by a projection closure.
pub fn field_size<S, F>(_: impl Fn(&S) -> &F) -> usize {
    size_of::<F>()
}
