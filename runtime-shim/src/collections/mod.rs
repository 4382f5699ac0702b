#![doc = include_str!("../docs/collections.md")]

// This module names nothing from `std`: only `core`, `alloc` and `futures-core`
// (`tests/no-std-collections` compiles it in a `#![no_std]` crate to check that), and
// only `super::` paths, never `crate::`.

mod children;
mod future_set;
mod join_all;
mod limited;
mod parent;
mod ready;
mod select_all;
mod slab;
mod sync;
mod try_join_all;

#[cfg(all(test, patience_loom))]
mod loom_tests;

pub use self::future_set::{FutureSet, IntoIter, Iter, IterMut};
pub use self::join_all::{JoinAll, join_all};
pub use self::limited::{BufferUnordered, JoinAllLimited, buffer_unordered, join_all_limited};
pub use self::select_all::{SelectAll, select_all};
pub use self::try_join_all::{TryJoinAll, try_join_all};
