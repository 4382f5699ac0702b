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
mod recover;
mod select;
mod tree;
mod util;
mod watch;

#[cfg(test)]
mod fuzz_tests;

/// The entry points: each converts token streams and calls its module's `expand`.
macro_rules! entry_points {
    (
        attributes { $($(#[doc = $adoc:literal])* $aname:ident => $aexpand:expr;)* }
        functions { $($(#[doc = $fdoc:literal])* $fname:ident => $fexpand:path, $fwhich:expr;)* }
    ) => {
        $(
            $(#[doc = $adoc])*
            #[proc_macro_attribute]
            pub fn $aname(args: TokenStream, item: TokenStream) -> TokenStream {
                $aexpand(args.into(), item.into()).into()
            }
        )*
        $(
            $(#[doc = $fdoc])*
            #[proc_macro]
            pub fn $fname(input: TokenStream) -> TokenStream {
                $fexpand($fwhich, input.into()).into()
            }
        )*
    };
}

entry_points! {
    attributes {
        /// Runs an `async fn` on a runtime's `block_on`. See `patience::main`.
        main => |args, item| entry::expand(entry::Macro::Main, args, item);
        /// Runs an `async fn` test on a runtime's `block_on`. See `patience::test`.
        test => |args, item| entry::expand(entry::Macro::Test, args, item);
        /// Rewrites `async fn` in traits and trait impls into boxed futures (or, with
        /// `native`, keeps them native and adds a boxing companion). See
        /// `patience::async_trait`.
        async_trait => async_trait::expand;
    }
    functions {
        /// Races several futures and runs the handler of the first to finish. See
        /// `patience::select!`.
        select => select::expand, select::Macro::Select;
        /// `select!` that polls in written order. See `patience::select_biased!`.
        select_biased => select::expand, select::Macro::SelectBiased;
        /// Runs futures concurrently and returns all outputs. See `patience::join!`.
        join => join::expand, join::Macro::Join;
        /// Runs fallible futures concurrently, stopping at the first error. See
        /// `patience::try_join!`.
        try_join => join::expand, join::Macro::TryJoin;
    }
}
