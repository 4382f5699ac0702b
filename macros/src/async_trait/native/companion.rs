//! The `dyn`-compatible companion of a `native` trait, and its blanket impl.
//!
//! For `trait Store: Sync { type Key; async fn get(&self, key: &str) -> Ret; fn name(&self) -> &str; }`:
//! ```text
//! /// docs
//! trait DynStore: Sync {                    // the trait's supertraits (native ones as their
//!     type Key;                              //  companions), + the auto traits of `needs`
//!     #[doc(hidden)]                         // each forwarded method, erased: an `async fn`
//!     fn __patience_get<'life0, 'life1, 'async_trait>(    // as the boxed mode writes it
//!         &'life0 self, key: &'life1 str,
//!     ) -> Pin<Box<dyn Future<Output = Ret> + Send + 'async_trait>>
//!     where 'life0: 'async_trait, 'life1: 'async_trait, Self: 'async_trait;
//!     #[doc(hidden)]
//!     fn __patience_name(&self) -> &str;
//!     fn boxed<'a>(value: Self) -> Box<dyn DynStore<Key = <Self as DynStore>::Key> + 'a>
//!     where Self: Sized + DynStore + 'a { Box::new(value) }  // and `new`, `from_ref`, ..
//! }
//! impl<__PatienceT: Store> DynStore for __PatienceT {   // every implementor is one
//!     type Key = <__PatienceT as Store>::Key;
//!     fn __patience_get<..>(..) -> .. { Box::pin(<__PatienceT as Store>::get(self, key)) }
//!     fn __patience_name(&self) -> &str { <__PatienceT as Store>::name(self) }
//! }
//! ```
//! then the impls of [`super::forward`] and the macros of [`super::supertraits`].

use super::super::args::Mode;
use super::super::expand::{self, Context};
use super::super::lifetime;
use super::super::receiver::{self, AutoTraits};
use super::method;
use super::shape::{Assoc, Forwarded, Shape};
use super::{constructors, forward, supertraits};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::{Attribute, ItemTrait, Signature, TraitItem, TypeParamBound, WherePredicate};

/// The companion (or, for a trait that cannot have one, a placeholder saying why).
pub(super) fn expand(
    mut shape: Shape<'_>,
    methods: &[Forwarded],
    left_out: &[(Ident, String)],
    implied: AutoTraits,
) -> TokenStream {
    if let Some(reason) = no_companion(shape.item) {
        return placeholder(&shape, &reason);
    }
    shape.assoc = assoc_types(shape.item);
    shape.needs = needs(methods, implied);
    let mut out = companion_trait(&shape, methods, left_out);
    out.extend(blanket_impl(&shape, methods));
    out.extend(forward::impls(&shape, methods));
    out.extend(supertraits::invoke(&shape));
    out.extend(supertraits::define(&shape, methods));
    out
}

/// Why the trait cannot have a companion, if it cannot.
fn no_companion(item: &ItemTrait) -> Option<String> {
    if item.unsafety.is_some() {
        return Some("it is an `unsafe trait`, whose impls the companion cannot write".into());
    }
    for inner in &item.items {
        match inner {
            TraitItem::Const(item) => {
                let name = &item.ident;
                return Some(format!(
                    "a `dyn` value has no value for its associated const `{name}`"
                ));
            }
            TraitItem::Type(item) if !item.generics.params.is_empty() => {
                return Some(format!("its associated type `{}` is generic", item.ident));
            }
            TraitItem::Type(item) if item.generics.where_clause.is_some() => {
                let name = &item.ident;
                return Some(format!("its associated type `{name}` has a where clause"));
            }
            TraitItem::Macro(_) | TraitItem::Verbatim(_) => {
                return Some("its items include a macro call the companion cannot see into".into());
            }
            _ => {}
        }
    }
    if let Some(reason) = where_clause_reason(item) {
        return Some(reason);
    }
    let not_dyn = [
        "Sized",
        "Clone",
        "Copy",
        "Default",
        "PartialEq",
        "Eq",
        "PartialOrd",
        "Ord",
        "Hash",
    ];
    item.supertraits.iter().find_map(|bound| match bound {
        TypeParamBound::Trait(bound) if bound.maybe.is_none() => {
            let name = bound.path.segments.last()?.ident.to_string();
            not_dyn
                .contains(&name.as_str())
                .then(|| format!("its supertrait `{name}` cannot be used as `dyn`"))
        }
        _ => None,
    })
}

/// Why the trait's where clause keeps its companion from being `dyn`, if it does: a bound
/// on a type built from `Self` (`Box<Self>: Sized`), or `Self: Sized`.
fn where_clause_reason(item: &ItemTrait) -> Option<String> {
    let where_clause = item.generics.where_clause.as_ref()?;
    where_clause.predicates.iter().find_map(|predicate| {
        let syn::WherePredicate::Type(predicate) = predicate else {
            return None;
        };
        let bounded = predicate.bounded_ty.to_token_stream();
        let is_self = matches!(&predicate.bounded_ty, syn::Type::Path(ty)
            if ty.qself.is_none() && ty.path.is_ident("Self"));
        if !is_self {
            return receiver::mentions_self(bounded.clone())
                .then(|| format!("its where clause bounds `{bounded}`, built from `Self`"));
        }
        predicate.bounds.iter().find_map(|bound| match bound {
            TypeParamBound::Trait(bound)
                if bound.maybe.is_none()
                    && bound
                        .path
                        .segments
                        .last()
                        .is_some_and(|s| s.ident == "Sized") =>
            {
                Some("it requires `Self: Sized`".to_owned())
            }
            _ => None,
        })
    })
}

/// A trait named like the companion that nothing implements, deprecated with a note that
/// says why the trait has no companion: using it (`dyn DynStore`, `DynStore::boxed(value)`:
/// it has the constructors) warns with that note, then fails as not implemented.
/// (`#[diagnostic::on_unimplemented]` would say it in the error itself, but does not
/// resolve under `#![no_implicit_prelude]`.)
fn placeholder(shape: &Shape<'_>, reason: &str) -> TokenStream {
    let item = shape.item;
    let (vis, companion) = (&item.vis, &shape.companion);
    // The generics without the where clause, which may be what keeps the trait from
    // having a companion (`where Self: Sized`).
    let generics = &item.generics;
    let message = format!(
        "`{}` has no `dyn` companion `{}`: {}",
        item.ident, companion, reason
    );
    let constructors = constructors::expand(shape);
    quote_spanned! {item.ident.span()=>
        #[doc(hidden)]
        #[allow(dead_code)]
        #[deprecated(note = #message)]
        #vis trait #companion #generics {
            #constructors
        }
    }
}

/// The associated types.
fn assoc_types(item: &ItemTrait) -> Vec<Assoc> {
    let types = item.items.iter().filter_map(|inner| match inner {
        TraitItem::Type(ty) => Some(ty),
        _ => None,
    });
    types
        .map(|ty| Assoc {
            ident: ty.ident.clone(),
            bounds: ty.bounds.to_token_stream(),
            cfgs: ty
                .attrs
                .iter()
                .filter(|a| method::is_cfg(a))
                .cloned()
                .collect(),
        })
        .collect()
}

/// The auto traits the companion's `dyn` values need, without those the trait implies, each
/// spanned at the first receiver (or supertrait) needing it:
/// for `Send` methods, what the receiver needs for the forwarding future, which holds it
/// until its first poll, to be `Send` (`Sync` for `&self`, `Send` for `&mut self` and
/// `Box<Self>`, both for `Arc<Self>`); implementors need the same for a `Send` future of
/// their own that holds `self`.
pub(super) fn needs(methods: &[Forwarded], implied: AutoTraits) -> [Option<Span>; 2] {
    let (mut send, mut sync) = (None, None);
    let mut add = |needed: AutoTraits, span: Span| {
        if needed.send && !implied.send {
            send.get_or_insert(span);
        }
        if needed.sync && !implied.sync {
            sync.get_or_insert(span);
        }
    };
    for method in methods.iter().filter(|m| m.mode == Some(Mode::Send)) {
        let needed = receiver::needed_by_default_body(&method.written, false);
        let receiver = method.written.receiver();
        add(
            needed,
            receiver.map_or_else(Span::call_site, |r| r.self_token.span),
        );
    }
    [send, sync]
}

/// The companion trait: the supertraits (the native ones left out), associated types,
/// erased methods, upcasts, constructors.
fn companion_trait(
    shape: &Shape<'_>,
    methods: &[Forwarded],
    left_out: &[(Ident, String)],
) -> TokenStream {
    let item = shape.item;
    let (vis, companion, trait_ident) = (&item.vis, &shape.companion, &item.ident);
    let generics = &item.generics;
    let where_clause = &item.generics.where_clause;
    let supertraits: Vec<TokenStream> = item
        .supertraits
        .iter()
        .map(|bound| {
            native_super(shape, bound)
                .map_or_else(|| bound.to_token_stream(), |sup| sup.companion.clone())
        })
        .collect();
    let autos = shape.auto_bounds();
    let colon = (!supertraits.is_empty() || !autos.is_empty()).then(|| quote!(:));
    // Without supertraits, the bounds start at the first auto trait, not at its `+`.
    let bounds = if supertraits.is_empty() {
        autos.into_iter().skip(1).collect::<TokenStream>()
    } else {
        quote!(#(#supertraits)+* #autos)
    };
    let assoc = shape.assoc.iter().map(|assoc| {
        let (ident, bounds, cfgs) = (&assoc.ident, &assoc.bounds, &assoc.cfgs);
        let doc = format!("The implementor's [`{trait_ident}::{ident}`].");
        let colon = (!bounds.is_empty()).then(|| quote!(:));
        quote!(#(#cfgs)* #[doc = #doc] type #ident #colon #bounds;)
    });
    let erased = methods
        .iter()
        .map(|method| erased_declaration(shape, method));
    let docs = docs(shape, left_out);
    let constructors = constructors::expand(shape);
    quote! {
        #(#[doc = #docs])*
        #vis trait #companion #generics #colon #bounds #where_clause {
            #(#assoc)*
            #(#erased)*
            #constructors
        }
    }
}

/// The supertrait named in `native_supertraits(..)` that `bound` is, if it is one.
fn native_super<'a>(
    shape: &'a Shape<'_>,
    bound: &TypeParamBound,
) -> Option<&'a super::shape::Super> {
    let TypeParamBound::Trait(bound) = bound else {
        return None;
    };
    let path = bound.path.to_token_stream().to_string();
    shape
        .supers
        .iter()
        .find(|sup| sup.bound.path.to_token_stream().to_string() == path)
}

/// The companion's documentation, one line per attribute.
fn docs(shape: &Shape<'_>, left_out: &[(Ident, String)]) -> Vec<String> {
    let (trait_ident, companion) = (&shape.item.ident, &shape.companion);
    let mut docs = vec![
        format!(
            "The `dyn`-compatible companion of [`{trait_ident}`], made by \
             `#[async_trait(native)]`: `dyn {companion}` implements `{trait_ident}`, boxing \
             the future of each call made through it."
        ),
        String::new(),
        format!(
            "Every `{trait_ident}` is a `{companion}`: coerce it (`Box::new(value) as \
             Box<dyn {companion}>`, `&value as &dyn {companion}`, also with `+ Send` or \
             `+ Sync`) or use the constructors below."
        ),
    ];
    if !left_out.is_empty() {
        docs.push(String::new());
        docs.push(format!("Not callable through `dyn {companion}`:"));
        for (ident, reason) in left_out {
            docs.push(format!("- `{ident}`: {reason}."));
        }
    }
    docs
}

/// The erased method's attributes and signature: an `async fn` as the boxed mode rewrites
/// it (plus the trait's generics bounded by its lifetime, as a native future captures all
/// of them, and the default body's `Self` bound), a plain method as written; named
/// `__patience_<name>`.
fn erased_signature(shape: &Shape<'_>, method: &Forwarded) -> (Vec<Attribute>, Signature) {
    let mut sig = method.written.clone();
    sig.ident = method.erased_ident();
    let mut attrs = Vec::new();
    let Some(mode) = method.mode else {
        return (attrs, sig);
    };
    let context = Context {
        generics: &shape.item.generics,
        trait_implies: Some(AutoTraits::default()),
        boxed: &shape.paths.boxed,
    };
    expand::method(&context, mode, &mut sig, None, &mut attrs);
    let async_trait = lifetime::async_trait_lifetime();
    let where_clause = sig.generics.make_where_clause();
    let written: Vec<String> = where_clause
        .predicates
        .iter()
        .map(|p| p.to_token_stream().to_string())
        .collect();
    for param in &shape.item.generics.params {
        let predicate: WherePredicate = match param {
            syn::GenericParam::Lifetime(param) => {
                let lifetime = &param.lifetime;
                syn::parse_quote!(#lifetime: #async_trait)
            }
            syn::GenericParam::Type(param) => {
                let ident = &param.ident;
                syn::parse_quote!(#ident: #async_trait)
            }
            syn::GenericParam::Const(_) => continue,
        };
        if !written.contains(&predicate.to_token_stream().to_string()) {
            where_clause.predicates.push(predicate);
        }
    }
    where_clause.predicates.extend(method.self_bound.clone());
    (attrs, sig)
}

/// The erased method as the companion declares it.
fn erased_declaration(shape: &Shape<'_>, method: &Forwarded) -> TokenStream {
    let (attrs, sig) = erased_signature(shape, method);
    let cfgs = &method.cfgs;
    quote!(#(#cfgs)* #[doc(hidden)] #(#attrs)* #sig;)
}

/// `impl<T: Store> DynStore for T`, each erased method calling the trait's.
fn blanket_impl(shape: &Shape<'_>, methods: &[Forwarded]) -> TokenStream {
    let item = shape.item;
    let implementor = Ident::new("__PatienceT", Span::call_site());
    let trait_path = shape.trait_path();
    let autos = shape.auto_bounds();
    let mut generics = item.generics.clone();
    generics
        .params
        .push(syn::parse_quote!(#implementor: #trait_path #autos));
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    let companion = shape.companion_path();
    let assoc = shape.assoc.iter().map(|assoc| {
        let (ident, cfgs) = (&assoc.ident, &assoc.cfgs);
        quote!(#(#cfgs)* type #ident = <#implementor as #trait_path>::#ident;)
    });
    let boxed = &shape.paths.boxed;
    let erased = methods.iter().map(|method| {
        let (attrs, sig) = erased_signature(shape, method);
        let ident = &method.written.ident;
        let args = &method.written_names;
        let call = quote!(<#implementor as #trait_path>::#ident(#(#args),*));
        let body = match method.mode {
            Some(_) => quote!(#boxed::pin(#call)),
            None => call,
        };
        let cfgs = &method.cfgs;
        quote!(#(#cfgs)* #(#attrs)* #sig { #body })
    });
    quote! {
        impl #impl_generics #companion for #implementor #where_clause {
            #(#assoc)*
            #(#erased)*
        }
    }
}
