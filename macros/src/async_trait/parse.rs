//! What the attribute accepts: a trait, or an impl of a trait.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::spanned::Spanned;

/// The item under the attribute.
pub(crate) enum Item {
    Trait(syn::ItemTrait),
    Impl(syn::ItemImpl),
}

impl ToTokens for Item {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Item::Trait(item) => item.to_tokens(tokens),
            Item::Impl(item) => item.to_tokens(tokens),
        }
    }
}

/// Parses the item, rejecting everything but a trait or a trait impl with an error that
/// says what the attribute goes on.
pub(crate) fn parse(item: TokenStream) -> syn::Result<Item> {
    let item: syn::Item = syn::parse2(item)?;
    match item {
        syn::Item::Trait(item) => Ok(Item::Trait(item)),
        syn::Item::Impl(item) if item.trait_.is_some() => Ok(Item::Impl(item)),
        syn::Item::Impl(item) => {
            // Point at `impl Type`, not at the whole body.
            let impl_token = item.impl_token;
            let self_ty = &item.self_ty;
            let header = quote::quote!(#impl_token #self_ty);
            Err(syn::Error::new_spanned(
                header,
                "`#[async_trait]` goes on a trait or on an impl of a trait, not on an inherent \
                 impl: write `async fn` here directly, inherent methods need no macro",
            ))
        }
        other => Err(syn::Error::new(
            item_keyword_span(&other),
            "`#[async_trait]` goes on a trait (`trait Name { async fn .. }`) or on an impl of \
             a trait (`impl Name for Type { async fn .. }`)",
        )),
    }
}

/// The span of the item's leading keyword (`fn`, `struct`, ...), or of the whole item.
fn item_keyword_span(item: &syn::Item) -> proc_macro2::Span {
    match item {
        syn::Item::Fn(item) => item.sig.fn_token.span,
        syn::Item::Struct(item) => item.struct_token.span,
        syn::Item::Enum(item) => item.enum_token.span,
        syn::Item::Mod(item) => item.mod_token.span,
        syn::Item::Type(item) => item.type_token.span,
        _ => item.span(),
    }
}
