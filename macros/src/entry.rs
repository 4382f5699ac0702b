//! `#[main]`/`#[test]`: not written yet.
use proc_macro2::TokenStream;
pub(crate) enum Kind { Main, Test }
pub(crate) fn expand(_k: Kind, _a: TokenStream, item: TokenStream) -> TokenStream { quote::quote!(#item) }
