//! Enums of stable identifiers (diagnostic codes, compatibility rules):
//! tools and files name them by their text, so each variant's text is
//! written once, next to it, and never changes.

/// Declares an enum whose variants each have a stable text, with the method
/// that returns it and `ALL` (every variant, in declaration order). The enum
/// is `#[non_exhaustive]`: new identifiers are added, never renamed.
macro_rules! stable_ids {
    (
        $(#[$enum_doc:meta])*
        pub enum $name:ident;
        $(#[$fn_doc:meta])*
        fn $as_str:ident;
        $($(#[$doc:meta])* $variant:ident => $text:literal,)*
    ) => {
        $(#[$enum_doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$doc])* $variant,)*
        }

        impl $name {
            $(#[$fn_doc])*
            pub fn $as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }

            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
        }
    };
}

pub(crate) use stable_ids;
