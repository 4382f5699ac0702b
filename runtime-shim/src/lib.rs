//! Async macros that do what `tokio`, `futures` and `async-trait` offer, without their
//! limits, on any runtime.
//!
//! - [`#[patience::main]`](macro@main) and [`#[patience::test]`](macro@test): run an
//!   `async fn` on [`block_on`] (the embedded runtime), tokio or smol.
//! - [`block_on`]: the embedded current-thread runtime.
//! - [`collections`]: runtime-sized sets of futures ([`join_all`], [`try_join_all`],
//!   [`select_all`], [`FutureSet`], and bounded forms), linear to millions of futures.
//!
//! ```
//! #[patience::main]
//! async fn main() {
//!     let n = async { 21 }.await;
//!     assert_eq!(n * 2, 42);
//! }
//! # main();
//! ```

#![deny(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

mod block_on;

pub use crate::block_on::block_on;

pub mod collections;
pub use crate::collections::{
    BufferUnordered, FutureSet, JoinAll, JoinAllLimited, SelectAll, TryJoinAll, buffer_unordered,
    join_all, join_all_limited, select_all, try_join_all,
};

#[doc(hidden)]
pub mod __private;

#[doc = include_str!("docs/main.md")]
pub use patience_macros::main;

#[doc = include_str!("docs/test.md")]
pub use patience_macros::test;

#[doc = include_str!("docs/select.md")]
pub use patience_macros::select;

#[doc = include_str!("docs/select_biased.md")]
pub use patience_macros::select_biased;

#[doc = include_str!("docs/join.md")]
pub use patience_macros::join;

#[doc = include_str!("docs/try_join.md")]
pub use patience_macros::try_join;

#[doc = include_str!("docs/async_trait.md")]
pub use patience_macros::async_trait;

mod select_rng;
/// Settings of [`select!`]'s fair mode.
pub mod select {
    pub use crate::select_rng::seed;
}

/// The README's examples, compiled and run as doctests so they stay correct.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
