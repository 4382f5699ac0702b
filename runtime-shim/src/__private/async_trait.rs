//! Support for `#[async_trait]`.
//!
//! The expansion names `Box` through this path so that it works in crates built with
//! `#![no_std]` (no `::std` in scope) or `#![no_implicit_prelude]` (no `Box` in scope).

pub use ::std::boxed::Box;
