//! Support items called by the macro expansions. Not a public API: names and
//! signatures change without notice.

pub mod async_trait;
pub mod entry;
pub mod join;
pub mod select;
mod wakers;

pub use crate::block_on::block_on;

#[cfg(feature = "smol")]
pub use ::smol;
#[cfg(feature = "tokio")]
pub use ::tokio;
