//! `select!`: not written yet.
use proc_macro2::TokenStream;
pub(crate) enum Dialect {
    Select,
    SelectBiased,
}
pub(crate) fn expand(_d: Dialect, _input: TokenStream) -> TokenStream {
    quote::quote!(::core::compile_error!("select! is not implemented yet"))
}
