//! `join!` and `try_join!`: parse the arguments into a [`model::JoinInput`], then expand it
//! into one future that owns every child (see `patience::__private::join`).

mod expand;
mod model;
mod parse;

use proc_macro2::TokenStream;

use crate::recover::Recovered;

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

/// Expands one `join!`/`try_join!` invocation (the tokens between its delimiters). On
/// any mistake: every argument that was parsed (or salvaged), type-checked but never
/// run, next to the errors (see `crate::recover`).
pub(crate) fn expand(kind: Macro, input: TokenStream) -> TokenStream {
    let (prefix, input) = crate::util::split_prefix(input);
    let (krate, watch) = (prefix.krate, crate::watch::enabled(prefix.watch));
    let (model, errors) = parse::parse(kind, input);
    let Some(error) = errors.into_error() else {
        return expand::expand(kind, &krate, &model, watch);
    };
    let make = match kind {
        Macro::Join => "__patience_child",
        Macro::TryJoin => "__patience_try_child",
    };
    let mut recovered = Recovered::new();
    for future in &model.futures {
        recovered.argument(future, make);
    }
    recovered.finish(&error, &krate)
}
