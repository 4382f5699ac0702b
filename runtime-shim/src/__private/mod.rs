//! Support items called by the macro expansions. Not a public API: names and
//! signatures change without notice.

pub mod argument;
pub mod async_trait;
pub mod entry;
pub mod join;
pub mod mask;
pub mod order;
pub mod select;
pub mod tree;
mod wakers;

pub use crate::block_on::{block_on, block_on_at};
pub use crate::watch;

/// The proc macros behind the `macro_rules!` wrappers of the crate root.
pub mod macros {
    pub use patience_macros::{join, select, select_biased, try_join};
}

#[cfg(feature = "smol")]
pub use ::smol;
#[cfg(feature = "tokio")]
pub use ::tokio;
