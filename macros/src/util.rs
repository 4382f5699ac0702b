//! Small helpers shared by several macros.

use proc_macro2::TokenStream;
use quote::quote;

/// The path expansions use to reach the `patience` crate (`::patience` unless
/// overridden with `crate = "..."`).
pub(crate) fn default_crate_path() -> syn::Path {
    syn::parse_quote!(::patience)
}

/// Turns a parse error into tokens, followed by `fallback` (for attribute macros this is
/// the original item, so IDEs keep working on it).
pub(crate) fn error_with(err: &syn::Error, fallback: TokenStream) -> TokenStream {
    let err = err.to_compile_error();
    quote! { #err #fallback }
}
