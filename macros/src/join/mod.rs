//! `join!` and `try_join!`: parse the arguments into a [`model::JoinInput`], then expand it
//! into one future that owns every child (see `patience::__private::join`).

mod expand;
mod model;
mod parse;

use proc_macro2::TokenStream;

/// Which macro is being expanded.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Macro {
    /// `join!`: all outputs.
    Join,
    /// `try_join!`: all `Ok` values, or the first `Err`.
    TryJoin,
}

impl Macro {
    /// The macro's name, for error messages.
    fn name(self) -> &'static str {
        match self {
            Macro::Join => "join!",
            Macro::TryJoin => "try_join!",
        }
    }
}

/// Expands one `join!`/`try_join!` invocation (the tokens between its delimiters).
pub(crate) fn expand(kind: Macro, input: TokenStream) -> TokenStream {
    let (prefix, input) = crate::util::split_prefix(input);
    let (krate, watch) = (prefix.krate, crate::watch::enabled(prefix.watch));
    match parse::parse(kind, input) {
        Ok(model) => expand::expand(kind, &krate, &model, watch),
        Err(error) => crate::errors::expr(&error, TokenStream::new()),
    }
}
