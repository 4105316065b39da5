//! Comparing a hand-written `#[repr(C)]` struct with libc's definition.

/// Asserts that our struct and libc's agree on size and alignment, and that
/// each listed field sits at the same offset with the same size.
#[allow(unused_macros)]
macro_rules! same_layout {
    ($ours:ty, $theirs:ty, $($field:ident => $cfield:ident),* $(,)?) => {{
        use ::core::mem::{align_of, offset_of, size_of};
        use $crate::common::layout::field_size;
        assert_eq!(size_of::<$ours>(), size_of::<$theirs>(), "size of {}", stringify!($ours));
        assert_eq!(align_of::<$ours>(), align_of::<$theirs>(), "align of {}", stringify!($ours));
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
