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
    let function = parse::parse(kind, item.clone());
    match (options, function) {
        (Ok(options), Ok(function)) => expand::expand(kind, &options, function),
        (Err(mut a), Err(b)) => {
            a.combine(b);
            crate::errors::items(&a, item)
        }
        // The function itself is fine: expand it on the default runtime next to the
        // error, so the only error shown is the one about the options.
        (Err(e), Ok(function)) => {
            let fallback = options::Options {
                runtime: options::Runtime::Builtin,
                krate: crate::util::default_crate_path(),
            };
            crate::errors::items(&e, expand::expand(kind, &fallback, function))
        }
        (Ok(_), Err(e)) => crate::errors::items(&e, item),
    }
}

#[cfg(test)]
mod tests;
