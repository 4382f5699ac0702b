//! `select!` and `select_biased!`: race branch futures in one poll loop and run the
//! handler of the first that completes.
//!
//! - [`parse`]: the grammar, with a spanned error for every malformed input;
//! - [`model`]: checks that make the items one valid select (which, duplicates,
//!   at least one branch);
//! - [`expand`]: the generated code.

use proc_macro2::TokenStream;

mod expand;
mod model;
mod parse;

/// Which macro was called: `select!` (fair unless a mode line says otherwise) or
/// `select_biased!` (always in written order).
#[derive(Clone, Copy)]
pub(crate) enum Macro {
    Select,
    SelectBiased,
}

impl Macro {
    /// The macro's name, for error messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Macro::Select => "select!",
            Macro::SelectBiased => "select_biased!",
        }
    }
}

pub(crate) fn expand(which: Macro, input: TokenStream) -> TokenStream {
    let (prefix, input) = crate::util::split_prefix(input);
    let krate = prefix.krate;
    let watch = crate::watch::enabled(prefix.watch).then(|| which.name());
    let result =
        syn::parse2::<parse::Input>(input).and_then(|input| model::Select::new(which, input));
    match result {
        Ok(select) => expand::expand(select, &krate, watch),
        Err(error) => crate::errors::expr(&error, TokenStream::new()),
    }
}
