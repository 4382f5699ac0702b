//! The expansion functions of `patience-macros`, compiled as a plain library (see
//! `build.rs`), and the checks every fuzz target makes on them:
//!
//! - an expansion never panics, whatever the input (bad input gets a `compile_error!`);
//! - a function-like macro's output is one expression (it is used in expression
//!   position: anything else buries the error under parse errors);
//! - an attribute macro's output is a list of items whenever its input was an item.
//!
//! Input bytes that are not UTF-8, or not tokens, are skipped: the compiler never hands
//! a macro such input.

// The modules are the macros crate's; not every item of theirs is used from here.
#![allow(dead_code, unreachable_pub)]

use std::str::FromStr;

use proc_macro2::TokenStream;

include!(concat!(env!("OUT_DIR"), "/modules.rs"));

/// The tokens of `data`, if it is UTF-8 that lexes.
pub fn tokens(data: &[u8]) -> Option<TokenStream> {
    TokenStream::from_str(std::str::from_utf8(data).ok()?).ok()
}

/// An attribute macro's arguments and item: the tokens before and after the first NUL
/// byte (no arguments without one).
pub fn attribute_input(data: &[u8]) -> Option<(TokenStream, TokenStream)> {
    match data.iter().position(|&b| b == 0) {
        Some(at) => Some((tokens(&data[..at])?, tokens(&data[at + 1..])?)),
        None => Some((TokenStream::new(), tokens(data)?)),
    }
}

/// Fails (panics, which the fuzzer reports) unless `output` is one expression.
pub fn assert_expression(what: &str, input: &TokenStream, output: TokenStream) {
    if let Err(error) = syn::parse2::<syn::Expr>(output.clone()) {
        panic!("{what} on `{input}` gave output that is not one expression: {error}\n{output}");
    }
}

/// Fails unless `output` is a list of items, when `item` is one.
pub fn assert_items(what: &str, item: &TokenStream, output: TokenStream) {
    if syn::parse2::<syn::Item>(item.clone()).is_err() {
        return;
    }
    if let Err(error) = syn::parse2::<syn::File>(output.clone()) {
        panic!("{what} on `{item}` gave output that is not a list of items: {error}\n{output}");
    }
}

// `select`, `select_biased`, `join`, `try_join`, `main`, `test` and `async_trait`: the
// entry points of `macros/src/lib.rs`, over `proc_macro2` tokens (see `build.rs`).
mod entry_points {
    use super::*;
    use proc_macro2::TokenStream;

    include!(concat!(env!("OUT_DIR"), "/entry_points.rs"));
}
pub use entry_points::*;

/// The body of a function-like macro's target. The input gets the `@[$crate]` prefix
/// that `patience`'s `macro_rules!` wrappers always put before the user's tokens (the
/// proc macros are reached only through them; `$crate` is a path): a prefix made up by
/// the fuzzer is input no compiler can hand the macro.
pub fn fuzz_expression_macro(what: &str, expand: fn(TokenStream) -> TokenStream, data: &[u8]) {
    if let Some(input) = tokens(data) {
        let mut prefixed: TokenStream = quote::quote!(@[::patience]);
        prefixed.extend(input.clone());
        let output = expand(prefixed);
        assert_expression(what, &input, output);
    }
}

/// The body of an attribute macro's target.
pub fn fuzz_attribute_macro(
    what: &str,
    expand: fn(TokenStream, TokenStream) -> TokenStream,
    data: &[u8],
) {
    if let Some((args, item)) = attribute_input(data) {
        let output = expand(args, item.clone());
        assert_items(what, &item, output);
    }
}
