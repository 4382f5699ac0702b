//! Async macros that do what `tokio`, `futures` and `async-trait` offer, without their
//! limits, on any runtime.
//!
//! - [`#[patience::main]`](macro@main) and [`#[patience::test]`](macro@test): run an
//!   `async fn` on [`block_on`] (the embedded runtime), tokio or smol.
//! - [`block_on`]: the embedded current-thread runtime.
//! - [`collections`]: runtime-sized sets of futures ([`join_all`], [`try_join_all`],
//!   [`select_all`], [`FutureSet`], and bounded forms), linear to millions of futures.
//! - [`docs::migrating`]: porting from tokio, futures and async-trait, construct by
//!   construct.
//! - [`watch`] (cargo feature `watch`): the `select!` branch or `join!` child that blocks
//!   a thread, and what a stuck program waits on; see [`docs::watching`].
//!
//! ```
//! # fn main() {
//! #[patience::main]
//! async fn main() {
//!     let n = async { 21 }.await;
//!     assert_eq!(n * 2, 42);
//! }
//! # main();
//! # }
//! ```

#![deny(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

mod block_on;
mod sync;
pub mod watch;

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

// `select!`, `select_biased!`, `join!` and `try_join!` are `macro_rules!` wrappers around
// the proc macros, so that the expansions can name this crate as `$crate`: that works
// through a re-export (`pub use patience::select;` in a framework) and under a renamed
// dependency (`pat = { package = "patience", .. }`), where `::patience` would not. The
// proc macro receives the path as an `@[$crate]` prefix of its input.

/// Defines the four wrappers (`$d` is `$`, passed in so that the inner `macro_rules!`
/// can have its own metavariables).
macro_rules! wrappers {
    ($d:tt $($doc:literal $name:ident)*) => {$(
        #[doc = include_str!($doc)]
        #[macro_export]
        macro_rules! $name {
            ($d($d input:tt)*) => {
                $d crate::__private::macros::$name! { @[$d crate] $d($d input)* }
            };
        }
    )*};
}

wrappers! {
    $
    "docs/select.md" select
    "docs/select_biased.md" select_biased
    "docs/join.md" join
    "docs/try_join.md" try_join
}

#[doc = include_str!("docs/async_trait.md")]
pub use patience_macros::async_trait;

mod select_rng;
/// Settings of [`select!`]'s fair mode.
pub mod select {
    pub use crate::select_rng::seed;
}

/// Guides that are about more than one item.
pub mod docs {
    #[doc = include_str!("docs/migrating.md")]
    pub mod migrating {}

    #[doc = include_str!("docs/watching.md")]
    pub mod watching {}
}

/// The README's examples, compiled and run as doctests so they stay correct.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
