//! `select!` and `select_biased!`: race branch futures in one poll loop and run the
//! handler of the first that completes.
//!
//! - [`parse`]: the grammar, with a spanned error for every malformed input;
//! - [`model`]: checks that make the items one valid select (dialect, duplicates,
//!   at least one branch);
//! - [`expand`]: the generated code.

use proc_macro2::TokenStream;

mod expand;
mod model;
mod parse;

/// Which macro was called: `select!` (fair unless a mode line says otherwise) or
/// `select_biased!` (always in written order).
#[derive(Clone, Copy)]
pub(crate) enum Dialect {
    Select,
    SelectBiased,
}

pub(crate) fn expand(dialect: Dialect, input: TokenStream) -> TokenStream {
    let result =
        syn::parse2::<parse::Input>(input).and_then(|input| model::Select::new(dialect, input));
    match result {
        Ok(select) => expand::expand(select),
        Err(err) => err.to_compile_error(),
    }
}
