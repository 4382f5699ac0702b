//! Procedural macros behind [`patience`](https://docs.rs/patience).
//!
//! Depend on `patience`, not on this crate: the expansions call support items that
//! live in `patience` (through `::patience::__private`), and the user-facing
//! documentation, with runnable examples, is on the re-exports there.
//!
//! Each macro lives in its own module and is written as plain functions over
//! [`proc_macro2::TokenStream`] (parse into a model, then expand the model), so the
//! entry points below only convert token streams.

#![forbid(unsafe_code)]

use proc_macro::TokenStream;

mod async_trait;
mod entry;
mod errors;
mod join;
mod names;
mod select;
mod tree;
mod util;
mod watch;

#[cfg(test)]
mod fuzz_tests;

/// Runs an `async fn` on a runtime's `block_on`. See `patience::main`.
#[proc_macro_attribute]
pub fn main(args: TokenStream, item: TokenStream) -> TokenStream {
    entry::expand(entry::Macro::Main, args.into(), item.into()).into()
}

/// Runs an `async fn` test on a runtime's `block_on`. See `patience::test`.
#[proc_macro_attribute]
pub fn test(args: TokenStream, item: TokenStream) -> TokenStream {
    entry::expand(entry::Macro::Test, args.into(), item.into()).into()
}

/// Races several futures and runs the handler of the first to finish. See `patience::select!`.
#[proc_macro]
pub fn select(input: TokenStream) -> TokenStream {
    select::expand(select::Macro::Select, input.into()).into()
}

/// `select!` that polls in written order. See `patience::select_biased!`.
#[proc_macro]
pub fn select_biased(input: TokenStream) -> TokenStream {
    select::expand(select::Macro::SelectBiased, input.into()).into()
}

/// Runs futures concurrently and returns all outputs. See `patience::join!`.
#[proc_macro]
pub fn join(input: TokenStream) -> TokenStream {
    join::expand(join::Macro::Join, input.into()).into()
}

/// Runs fallible futures concurrently, stopping at the first error. See `patience::try_join!`.
#[proc_macro]
pub fn try_join(input: TokenStream) -> TokenStream {
    join::expand(join::Macro::TryJoin, input.into()).into()
}

/// Rewrites `async fn` in traits and trait impls into boxed futures. See `patience::async_trait`.
#[proc_macro_attribute]
pub fn async_trait(args: TokenStream, item: TokenStream) -> TokenStream {
    async_trait::expand(args.into(), item.into()).into()
}
