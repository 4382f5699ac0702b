//! The companion's constructors: `DynStore::new(boxed)`, `DynStore::boxed(value)`,
//! `DynStore::from_ref(&value)` and `DynStore::from_mut(&mut value)`.
//!
//! They are provided associated functions of the companion trait (bounded by
//! `Self: Sized`, so they stay out of its vtable) whose `Self` is inferred from the
//! argument; they are not methods, so `value.boxed()` does not find them.
//! ```text
//! fn boxed<'a>(value: Self) -> Box<dyn DynStore<Key = <Self as DynStore>::Key> + 'a>
//! where Self: Sized + DynStore + 'a
//! { Box::new(value) }
//! ```

use super::shape::Shape;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::TraitItem;

/// The constructors, except those the trait has a method named like (`Type::new` would
/// find both when both traits are in scope).
pub(super) fn expand(shape: &Shape<'_>) -> TokenStream {
    let boxed = &shape.paths.boxed;
    let companion = shape.companion_path();
    let dyn_ty = shape.dyn_trait(|ident| quote!(<Self as #companion>::#ident));
    let life = syn::Lifetime::new("'__patience_dyn", Span::call_site());
    let taken = |name: &str| {
        shape.item.items.iter().any(|inner| match inner {
            TraitItem::Fn(method) => method.sig.ident == name,
            _ => false,
        })
    };
    let bounds = quote!(::core::marker::Sized + #companion);
    let mut out = TokenStream::new();
    let mut add = |name: &str, tokens: TokenStream| {
        if !taken(name) {
            out.extend(tokens);
        }
    };
    add(
        "new",
        quote! {
            /// Turns a boxed implementor into a boxed companion (no new allocation).
            #[must_use]
            #[allow(clippy::new_ret_no_self)]
            fn new<#life>(value: #boxed<Self>) -> #boxed<dyn #dyn_ty + #life>
            where
                Self: #bounds + #life,
            {
                value
            }
        },
    );
    add(
        "boxed",
        quote! {
            /// Moves an implementor into a new box, as a companion.
            #[must_use]
            fn boxed<#life>(value: Self) -> #boxed<dyn #dyn_ty + #life>
            where
                Self: #bounds + #life,
            {
                #boxed::new(value)
            }
        },
    );
    add(
        "from_ref",
        quote! {
            /// Borrows an implementor as a companion.
            #[must_use]
            fn from_ref(value: &Self) -> &(dyn #dyn_ty + '_)
            where
                Self: #bounds,
            {
                value
            }
        },
    );
    add(
        "from_mut",
        quote! {
            /// Borrows an implementor mutably as a companion.
            #[must_use]
            fn from_mut(value: &mut Self) -> &mut (dyn #dyn_ty + '_)
            where
                Self: #bounds,
            {
                value
            }
        },
    );
    out
}
