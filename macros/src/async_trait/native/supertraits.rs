//! How a subtrait's companion gets a native supertrait's methods.
//!
//! For `#[async_trait(native, native_supertraits(Reader))] trait Summer: Reader`, the
//! companion `DynSummer` has `DynReader` (with the bound's arguments) as a supertrait, so
//! `dyn DynSummer` has `Reader`'s erased methods in its vtable; but it must also implement
//! `Reader` itself, whose methods `Summer`'s expansion does not know. So every (non-generic)
//! native trait's expansion also defines a macro that writes that impl for a given type, and
//! re-exports it under its companion's name, in the macro namespace:
//! ```text
//! #[doc(hidden)]
//! macro_rules! __patience_native_Reader {
//!     ([$($generics:tt)*] [$($self_ty:tt)*] [$($where:tt)*]) => {
//!         impl<$($generics)*> Reader for $($self_ty)* where $($where)* {
//!             type Item = <Self as DynReader>::Item;
//!             fn read(&mut self) -> impl Future<Output = ..> + Send {
//!                 async move { <Self as DynReader>::__patience_read(self).await }
//!             }
//!         }
//!     };
//! }
//! #[doc(hidden)]
//! pub(crate) use __patience_native_Reader as DynReader;
//! ```
//! and `Summer`'s expansion calls `DynReader! { [..] [dyn DynSummer + '_] [..] }` for each of
//! its `dyn` types (importing `DynReader` brings both the trait and the macro). A macro
//! defined by a macro can only be re-exported within its crate, and the names in the
//! supertrait's signatures are resolved where the subtrait is: the supertrait and the
//! subtrait live in the same crate, with the names their signatures use in scope.

use super::forward::{self, Assocs};
use super::shape::{Forwarded, Shape, Super};
use proc_macro2::{Punct, Spacing, TokenStream};
use quote::{ToTokens, format_ident, quote};
use syn::ext::IdentExt;

/// The forwarding macro of a trait, and its re-export under the companion's name; nothing
/// for a generic trait (whose parameters the macro could not bind).
pub(super) fn define(shape: &Shape<'_>, methods: &[Forwarded]) -> TokenStream {
    let item = shape.item;
    if !item.generics.params.is_empty() {
        return TokenStream::new();
    }
    let name = format_ident!("__patience_native_{}", item.ident.unraw());
    let companion = &shape.companion;
    let trait_path = shape.trait_path();
    let items = forward::items(shape, methods, Assocs::Projections);
    let needs = forward::param_needs(shape, methods, Assocs::Projections);
    let vis = match &item.vis {
        syn::Visibility::Inherited => None,
        _ => Some(quote!(pub(crate))),
    };
    let [generics, self_ty, where_clause] = ["generics", "self_ty", "where_clause"].map(|name| {
        let ident = proc_macro2::Ident::new(name, proc_macro2::Span::call_site());
        let (outer, inner) = (dollar(), dollar());
        (
            quote!(#outer(#inner #ident:tt)*),
            quote!(#outer(#inner #ident)*),
        )
    });
    let (generics_in, generics_out) = generics;
    let (self_in, self_out) = self_ty;
    let (where_in, where_out) = where_clause;
    quote! {
        #[doc(hidden)]
        #[allow(unused_macros)]
        macro_rules! #name {
            ([#generics_in] [#self_in] [#where_in]) => {
                #[allow(non_camel_case_types)]
                impl<#generics_out> #trait_path for #self_out where #where_out #(#needs,)* {
                    #items
                }
            };
        }
        #[doc(hidden)]
        #[allow(unused_imports)]
        #vis use #name as #companion;
    }
}

fn dollar() -> Punct {
    Punct::new('$', Spacing::Alone)
}

/// For each native supertrait and each of the companion's `dyn` types, the call of the
/// supertrait's forwarding macro that makes that type implement it.
pub(super) fn invoke(shape: &Shape<'_>) -> TokenStream {
    let generics = forward::generics_with_assoc(shape);
    let params = &generics.params;
    let predicates = generics
        .where_clause
        .as_ref()
        .map(|where_clause| where_clause.predicates.iter().collect::<Vec<_>>())
        .unwrap_or_default();
    let mut out = TokenStream::new();
    for sup in &shape.supers {
        let forwarder = &sup.forwarder;
        for markers in Shape::markers() {
            let self_ty = forward::dyn_type(shape, &markers);
            out.extend(quote! {
                #forwarder! { [#params] [#self_ty] [#(#predicates,)*] }
            });
        }
    }
    out
}

/// The companion and forwarding macro paths of a supertrait bound: `Reader<Item = u8>` ->
/// `DynReader<Item = u8>` and `DynReader`.
pub(super) fn super_of(bound: &syn::TraitBound) -> Super {
    let mut companion = bound.path.clone();
    let last = companion.segments.last_mut().expect("a path has a segment");
    last.ident = format_ident!("Dyn{}", last.ident.unraw(), span = last.ident.span());
    let mut forwarder = companion.clone();
    if let Some(last) = forwarder.segments.last_mut() {
        last.arguments = syn::PathArguments::None;
    }
    Super {
        bound: bound.clone(),
        companion: companion.into_token_stream(),
        forwarder,
    }
}
