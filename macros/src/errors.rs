//! One collector for the errors of every macro, and the two shapes errors go out in.
//!
//! Each macro reports every mistake it finds in one run: parsers push errors here and
//! carry on where they can, and the combined error goes out once. Function-like macros
//! are used in expression position, so their errors go out as one expression
//! ([`expr`]); attribute macros put them next to an item ([`items`]). Either way the
//! user's code that could be recovered goes out with them, so the compiler (and an IDE)
//! keeps analysing it.

use proc_macro2::TokenStream;
use quote::quote;

/// Errors found so far, combined into one `syn::Error` (which holds a list).
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    /// No error yet.
    pub(crate) const fn new() -> Self {
        Errors(None)
    }

    /// Adds `error` (itself possibly several) after the ones found so far.
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(first) => first.combine(error),
            None => self.0 = Some(error),
        }
    }

    /// The value of `result`, or `None` after pushing its error.
    pub(crate) fn ok<T>(&mut self, result: syn::Result<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.push(error);
                None
            }
        }
    }

    /// `Ok(value)` if no error was pushed, else every error combined.
    pub(crate) fn finish_with<T>(self, value: T) -> syn::Result<T> {
        match self.0 {
            Some(error) => Err(error),
            None => Ok(value),
        }
    }

    /// The combined error, if any.
    pub(crate) fn into_error(self) -> Option<syn::Error> {
        self.0
    }
}

/// Errors as one expression, wherever a function-like macro was called (`let x =
/// m!{..};` included): a block that binds every `compile_error!` (in order) to
/// `__patience_failed` (the erroneous value, see `crate::recover`), then holds
/// `recovered` (statements the compiler should still type-check, which may use that
/// value, or nothing), and has the value as its tail. An erroneous expression has a
/// type that unifies with any other, so the block causes no error of its own.
///
/// Input: errors `e1, e2` and `recovered`.
/// Output: `{ let __patience_failed = { ::core::compile_error!{"e1"} ::core::compile_error!{"e2"} };
/// recovered __patience_failed }`.
pub(crate) fn expr(error: &syn::Error, recovered: TokenStream) -> TokenStream {
    let errors = error.to_compile_error();
    let failed = crate::names::local("failed");
    quote! {{
        let #failed = { #errors };
        #recovered
        #failed
    }}
}

/// Errors followed by `fallback` (for attribute macros the original or rewritten item,
/// so that IDEs keep working on it).
pub(crate) fn items(error: &syn::Error, fallback: TokenStream) -> TokenStream {
    let errors = error.to_compile_error();
    quote! { #errors #fallback }
}
