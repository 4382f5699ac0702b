//! `#[patience::main]` and `#[patience::test]`: an `async fn` rewritten into a plain
//! `fn` that drives a runtime's `block_on`.
//!
//! - [`args`] parses the attribute's options into an [`options::Options`] model,
//! - [`parse`] parses the annotated function into an [`parse::EntryFn`] model (the body
//!   stays unparsed tokens, so half-typed code does not break the macro),
//! - [`expand`] turns both models into the rewritten function.

mod args;
mod expand;
mod options;
mod parse;

use proc_macro2::TokenStream;

use crate::errors::Errors;

/// Which attribute is expanding.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Macro {
    Main,
    Test,
}

impl Macro {
    fn attr_name(self) -> &'static str {
        match self {
            Macro::Main => "#[patience::main]",
            Macro::Test => "#[patience::test]",
        }
    }
}

/// Which optional runtime backends `patience` was compiled with.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Backends {
    pub(crate) tokio: bool,
    pub(crate) smol: bool,
}

impl Backends {
    /// The backends enabled through `patience`'s cargo features.
    pub(crate) fn compiled() -> Backends {
        Backends {
            tokio: cfg!(feature = "tokio"),
            smol: cfg!(feature = "smol"),
        }
    }
}

/// The attribute entry point: never panics; on error the original item follows the
/// `compile_error!` so IDEs keep analysing the body.
pub(crate) fn expand(kind: Macro, args: TokenStream, item: TokenStream) -> TokenStream {
    expand_with(kind, args, item, Backends::compiled())
}

/// [`expand`] with the available backends given explicitly (for unit tests).
pub(crate) fn expand_with(
    kind: Macro,
    args: TokenStream,
    item: TokenStream,
    backends: Backends,
) -> TokenStream {
    let options = args::parse(kind, args, backends);
    let (function, problems) = parse::parse(kind, item.clone());
    match (options, function, problems) {
        (Ok(options), Some(function), None) => expand::expand(kind, &options, function),
        // The function itself is fine: expand it on the default runtime next to the
        // error, so the only error shown is the one about the options.
        (Err(error), Some(function), None) => {
            let fallback = options::Options {
                runtime: options::Runtime::Builtin,
                krate: crate::util::default_crate_path(),
            };
            crate::errors::items(&error, expand::expand(kind, &fallback, function))
        }
        // The function is rejected: it is kept as written (as far as rustc accepts it
        // without a second error), so its body is still checked.
        (options, function, problems) => {
            let mut errors = Errors::new();
            let krate = errors
                .ok(options)
                .map_or_else(crate::util::default_crate_path, |options| options.krate);
            errors.push(problems.expect("a function is rejected, or it parses with no problem"));
            let error = errors.into_error().expect("an error was just pushed");
            let kept = match function {
                Some(function) => expand::rejected(kind, &krate, function),
                None => item,
            };
            crate::errors::items(&error, kept)
        }
    }
}

#[cfg(test)]
mod tests;
