//! Support for `#[async_trait]`.
//!
//! By default the expansion names `::std::boxed::Box` and does not use this module, so it
//! works through re-exports and renamed dependencies. With `crate = "path"` it names `Box`
//! through `path::__private::async_trait::Box` instead, for `#![no_std]` crates (no `::std`
//! in scope); this is the same type as `alloc`'s `Box`.

pub use ::std::boxed::Box;
