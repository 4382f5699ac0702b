//! The impls of the trait for the companion's `dyn` values, each method calling the erased
//! one:
//! ```text
//! impl<__PatienceKey> Store for dyn DynStore<Key = __PatienceKey> + '_ {   // and + Send,
//!     type Key = __PatienceKey;                                            // + Sync, both
//!     fn get(&self, key: &str) -> impl Future<Output = Ret> + Send {
//!         async move { <Self as DynStore>::__patience_get(self, key).await }
//!     }
//!     fn len(&self) -> impl Future<Output = usize> + Send {
//!         <Self as DynStore>::__patience_len(self)     // one lifetime: the box itself
//!     }
//! }
//! ```
//! When the receiver's is the only lifetime the future borrows (`&self` and owned arguments),
//! the method returns the boxed future itself, its lifetime the receiver's. Otherwise the
//! `async move` around the boxed call is what lets these impls name no lifetime for the
//! box: the box borrows every argument, so its lifetime is the shortest of theirs, which a
//! signature with several elided lifetimes cannot name, but the inside of an async block can
//! hold. The block holds the receiver and the arguments until its first poll, so for its
//! future to be `Send` the `dyn` value must be `Sync` (for `&self`) or `Send` (`&mut self`,
//! `Box<Self>`, ..), and so must the types of the arguments: see
//! [`super::companion::needs`] and [`param_needs`].

use super::super::args::Mode;
use super::super::receiver::AutoTraits;
use super::shape::{Forwarded, Shape};
use proc_macro2::{Ident, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::WherePredicate;

/// How the impls name the associated types of the `dyn` values.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Assocs {
    /// By the impl's parameters, which the `dyn` type binds: `dyn DynStore<Key = __PatienceKey>`.
    Params,
    /// By projections: `<Self as DynStore>::Key` (in a forwarding macro, whose `dyn` type is
    /// a subtrait's, with the associated types bound there).
    Projections,
}

impl Assocs {
    fn name(self, shape: &Shape<'_>, ident: &Ident) -> TokenStream {
        match self {
            Assocs::Params => Shape::assoc_param(ident).to_token_stream(),
            Assocs::Projections => {
                let companion = shape.companion_path();
                quote!(<Self as #companion>::#ident)
            }
        }
    }
}

/// The trait's generics plus one parameter per associated type, bounded as the associated
/// type is (its `Self::Other` bounds naming the other parameters).
pub(super) fn generics_with_assoc(shape: &Shape<'_>) -> syn::Generics {
    let mut generics = shape.item.generics.clone();
    for assoc in &shape.assoc {
        let param = Shape::assoc_param(&assoc.ident);
        let bounds = replace_self_assoc(assoc.bounds.clone(), shape);
        let colon = (!bounds.is_empty()).then(|| quote!(:));
        generics
            .params
            .push(syn::parse_quote!(#param #colon #bounds));
    }
    generics
}

/// `dyn DynStore<'a, T, Key = __PatienceKey> #markers + '_`: a `dyn` type the impls cover.
pub(super) fn dyn_type(shape: &Shape<'_>, markers: &TokenStream) -> TokenStream {
    let lifetime = shape.required_lifetime().unwrap_or_else(|| quote!('_));
    let dyn_trait = shape.dyn_trait_of_params();
    quote!(dyn #dyn_trait #markers + #lifetime)
}

/// The four impls for the companion's `dyn` types.
pub(super) fn impls(shape: &Shape<'_>, methods: &[Forwarded]) -> TokenStream {
    let bounds = param_needs(shape, methods, Assocs::Params);
    let mut generics = generics_with_assoc(shape);
    if !bounds.is_empty() {
        generics.make_where_clause().predicates.extend(bounds);
    }
    let trait_path = shape.trait_path();
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    let items = items(shape, methods, Assocs::Params);
    let mut out = TokenStream::new();
    for markers in Shape::markers() {
        let self_ty = dyn_type(shape, &markers);
        out.extend(quote! {
            #[allow(non_camel_case_types)]
            impl #impl_generics #trait_path for #self_ty #where_clause {
                #items
            }
        });
    }
    out
}

/// The associated types and forwarding methods of an impl for a `dyn` value, each method
/// calling the erased one.
pub(super) fn items(shape: &Shape<'_>, methods: &[Forwarded], assocs: Assocs) -> TokenStream {
    let companion = shape.companion_path();
    let assoc = shape.assoc.iter().map(|assoc| {
        let (ident, cfgs) = (&assoc.ident, &assoc.cfgs);
        let name = assocs.name(shape, ident);
        quote!(#(#cfgs)* type #ident = #name;)
    });
    let forwards = methods.iter().map(|method| {
        let sig = &method.native;
        let erased = method.erased_ident();
        let args = &method.native_names;
        let call = quote!(<Self as #companion>::#erased(#(#args),*));
        let body = match method.mode {
            Some(_) if !method.direct => quote!(async move { #call.await }),
            _ => call,
        };
        let cfgs = &method.cfgs;
        quote! {
            #(#cfgs)*
            #[allow(
                clippy::async_yields_async,
                clippy::manual_async_fn,
                clippy::redundant_async_block,
                clippy::type_complexity
            )]
            #sig { #body }
        }
    });
    quote!(#(#assoc)* #(#forwards)*)
}

/// Bounds the impls need on the trait's type parameters and the associated types'
/// parameters that `Send` methods take (their forwarding futures hold the arguments until
/// the first poll): `Sync` for one taken by shared reference, `Send` otherwise.
pub(super) fn param_needs(
    shape: &Shape<'_>,
    methods: &[Forwarded],
    assocs: Assocs,
) -> Vec<WherePredicate> {
    let mut needs: Vec<(Ident, AutoTraits)> = Vec::new();
    let params: Vec<Ident> = shape
        .item
        .generics
        .type_params()
        .map(|p| p.ident.clone())
        .collect();
    for method in methods.iter().filter(|m| m.mode == Some(Mode::Send)) {
        for input in method.native.inputs.iter() {
            let syn::FnArg::Typed(arg) = input else {
                continue;
            };
            let shared = matches!(&*arg.ty, syn::Type::Reference(r) if r.mutability.is_none());
            let mut mentioned = Vec::new();
            mentioned_params(arg.ty.to_token_stream(), &params, shape, &mut mentioned);
            for ident in mentioned {
                let index = match needs.iter().position(|(known, _)| *known == ident) {
                    Some(index) => index,
                    None => {
                        needs.push((ident, AutoTraits::default()));
                        needs.len() - 1
                    }
                };
                needs[index].1.sync |= shared;
                needs[index].1.send |= !shared;
            }
        }
    }
    needs
        .into_iter()
        .map(|(ident, need)| {
            let send = need.send.then(|| quote!(::core::marker::Send));
            let sync = need.sync.then(|| quote!(::core::marker::Sync));
            let bounds = [send, sync].into_iter().flatten();
            let bounded = match shape
                .assoc
                .iter()
                .find(|a| Shape::assoc_param(&a.ident) == ident)
            {
                Some(assoc) => assocs.name(shape, &assoc.ident),
                None => ident.to_token_stream(),
            };
            syn::parse_quote!(#bounded: #(#bounds)+*)
        })
        .collect()
}

/// The trait's type parameters and (as their impl parameters) associated types that
/// `tokens` mention.
fn mentioned_params(
    tokens: TokenStream,
    params: &[Ident],
    shape: &Shape<'_>,
    out: &mut Vec<Ident>,
) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (index, tt) in tokens.iter().enumerate() {
        let found = match tt {
            TokenTree::Ident(ident) if ident == "Self" => self_assoc(&tokens[index + 1..], shape),
            TokenTree::Ident(ident) if params.contains(ident) => Some(ident.clone()),
            TokenTree::Group(group) => {
                mentioned_params(group.stream(), params, shape, out);
                None
            }
            _ => None,
        };
        if let Some(found) = found.filter(|found| !out.contains(found)) {
            out.push(found);
        }
    }
}

/// After a `Self`: `::Name` of an associated type, as its impl parameter.
fn self_assoc(after: &[TokenTree], shape: &Shape<'_>) -> Option<Ident> {
    match after {
        [
            TokenTree::Punct(a),
            TokenTree::Punct(b),
            TokenTree::Ident(name),
            ..,
        ] if a.as_char() == ':'
            && b.as_char() == ':'
            && shape.assoc.iter().any(|assoc| assoc.ident == *name) =>
        {
            Some(Shape::assoc_param(name))
        }
        _ => None,
    }
}

/// Replaces `Self::Name` of an associated type with its impl parameter.
fn replace_self_assoc(tokens: TokenStream, shape: &Shape<'_>) -> TokenStream {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::new();
    let mut index = 0;
    while index < tokens.len() {
        if let TokenTree::Ident(this) = &tokens[index] {
            if this == "Self" {
                if let Some(param) = self_assoc(&tokens[index + 1..], shape) {
                    out.push(TokenTree::Ident(param));
                    index += 4;
                    continue;
                }
            }
        }
        out.push(match &tokens[index] {
            TokenTree::Group(group) => {
                let stream = replace_self_assoc(group.stream(), shape);
                let mut replaced = proc_macro2::Group::new(group.delimiter(), stream);
                replaced.set_span(group.span());
                TokenTree::Group(replaced)
            }
            other => other.clone(),
        });
        index += 1;
    }
    out.into_iter().collect()
}
