//! `#[async_trait]`: not written yet.
use proc_macro2::TokenStream;
pub(crate) fn expand(_a: TokenStream, item: TokenStream) -> TokenStream {
    quote::quote!(::core::compile_error!("async_trait is not implemented yet"); #item)
}
