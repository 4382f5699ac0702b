//! `join!`: not written yet.
use proc_macro2::TokenStream;
pub(crate) enum Kind {
    Join,
    TryJoin,
}
pub(crate) fn expand(_k: Kind, _input: TokenStream) -> TokenStream {
    quote::quote!(::core::compile_error!("join! is not implemented yet"))
}
