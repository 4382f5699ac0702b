//! Lifetimes of the rewritten signature.
//!
//! The boxed future borrows every reference argument, so each input lifetime needs a name
//! that can be bounded by `'async_trait`: elided `&T` and `'_` become fresh `'life0`,
//! `'life1`, ... in order of appearance, and the explicit lifetimes met on the way are
//! recorded so that trait- or impl-level ones can be bounded too.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use std::collections::BTreeSet;
use syn::visit_mut::{self, VisitMut};
use syn::{Lifetime, Receiver, ReceiverKind, Type, TypeParamBound};

/// The name of the lifetime of the returned future.
pub(crate) const ASYNC_TRAIT: &str = "'async_trait";

/// `'async_trait`, resolvable from user code (a user may name it in their own bounds).
pub(crate) fn async_trait_lifetime() -> Lifetime {
    Lifetime::new(ASYNC_TRAIT, Span::call_site())
}

/// Names elided lifetimes of the inputs and collects the explicit ones.
pub(crate) struct NameLifetimes {
    taken: BTreeSet<String>,
    next: usize,
    /// Fresh lifetimes, in order of appearance.
    pub(crate) fresh: Vec<Lifetime>,
    /// Lifetimes written by the user in the inputs (without `'static` and `'_`).
    pub(crate) explicit: Vec<Lifetime>,
}

impl NameLifetimes {
    /// `taken` holds every lifetime name already in scope, so fresh names avoid them.
    pub(crate) fn new(taken: BTreeSet<String>) -> Self {
        NameLifetimes {
            taken,
            next: 0,
            fresh: Vec::new(),
            explicit: Vec::new(),
        }
    }

    fn fresh(&mut self, span: Span) -> Lifetime {
        loop {
            let name = format!("'life{}", self.next);
            self.next += 1;
            if self.taken.insert(name.clone()) {
                let lifetime = Lifetime::new(&name, span);
                self.fresh.push(lifetime.clone());
                return lifetime;
            }
        }
    }

    fn name(&mut self, slot: &mut Option<Lifetime>, span: Span) {
        match slot {
            Some(lifetime) if lifetime.ident == "_" => {
                *lifetime = self.fresh(lifetime.apostrophe);
            }
            Some(lifetime) => self.record(lifetime),
            None => *slot = Some(self.fresh(span)),
        }
    }

    fn record(&mut self, lifetime: &Lifetime) {
        if lifetime.ident != "static" && !self.explicit.contains(lifetime) {
            self.explicit.push(lifetime.clone());
        }
    }

    /// Names the lifetime of a `&self` / `&mut self` receiver, or visits the type of a
    /// `self: Type` receiver.
    pub(crate) fn visit_receiver(&mut self, receiver: &mut Receiver) {
        match &mut receiver.kind {
            ReceiverKind::Reference(and, lifetime, _) => {
                let span = and.span;
                self.name(lifetime, span);
            }
            ReceiverKind::Typed(_, ty) => self.visit_type_mut(ty),
            _ => {}
        }
    }
}

impl VisitMut for NameLifetimes {
    fn visit_type_reference_mut(&mut self, ty: &mut syn::TypeReference) {
        let span = ty.and_token.span;
        self.name(&mut ty.lifetime, span);
        self.visit_type_mut(&mut ty.elem);
    }

    fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
        if lifetime.ident == "_" {
            *lifetime = self.fresh(lifetime.apostrophe);
        } else {
            self.record(lifetime);
        }
    }

    // Elided lifetimes inside `fn(&T)` and `Fn(&T)` belong to that type, not to ours.
    fn visit_type_fn_ptr_mut(&mut self, _: &mut syn::TypeFnPtr) {}

    fn visit_parenthesized_generic_arguments_mut(
        &mut self,
        _: &mut syn::ParenthesizedGenericArguments,
    ) {
    }

    // `for<'a> ..` lifetimes are local to their bound.
    fn visit_bound_lifetimes_mut(&mut self, _: &mut syn::BoundLifetimes) {}

    // Lifetimes inside a macro call in type position are left to the macro.
    fn visit_macro_mut(&mut self, _: &mut syn::Macro) {}
}

/// Makes the anonymous type of every `impl Trait` argument outlive `'async_trait`, as the
/// future holds it: `impl Trait` becomes `impl Trait + 'async_trait`. Behind a reference or
/// a raw pointer the `+` would be ambiguous, so the bounded type is parenthesized there:
/// `&impl Trait` becomes `&(impl Trait + 'async_trait)`, and `*const impl Trait` becomes
/// `*const (impl Trait + 'async_trait)`.
pub(crate) struct BoundImplTrait;

impl VisitMut for BoundImplTrait {
    fn visit_type_mut(&mut self, ty: &mut Type) {
        visit_mut::visit_type_mut(self, ty);
        match ty {
            Type::ImplTrait(impl_trait) => add_async_trait_bound(&mut impl_trait.bounds),
            Type::Reference(syn::TypeReference { elem, .. })
            | Type::Ptr(syn::TypePtr { elem, .. }) => parenthesize_impl_trait(elem),
            _ => {}
        }
    }

    fn visit_type_fn_ptr_mut(&mut self, _: &mut syn::TypeFnPtr) {}

    fn visit_parenthesized_generic_arguments_mut(
        &mut self,
        _: &mut syn::ParenthesizedGenericArguments,
    ) {
    }

    fn visit_macro_mut(&mut self, _: &mut syn::Macro) {}
}

/// `impl A + 'b` → `(impl A + 'b)`; other types are left alone.
fn parenthesize_impl_trait(elem: &mut Type) {
    if let Type::ImplTrait(_) = elem {
        let inner = std::mem::replace(elem, Type::Verbatim(TokenStream::new()));
        *elem = Type::Paren(syn::TypeParen {
            attrs: Vec::new(),
            paren_token: syn::token::Paren::default(),
            elem: Box::new(inner),
        });
    }
}

fn add_async_trait_bound(bounds: &mut syn::punctuated::Punctuated<TypeParamBound, syn::Token![+]>) {
    let already = bounds
        .iter()
        .any(|bound| matches!(bound, TypeParamBound::Lifetime(l) if l.ident == "async_trait"));
    if !already {
        bounds.push(TypeParamBound::Lifetime(async_trait_lifetime()));
    }
}

/// Every lifetime name written in `tokens` (used to pick fresh names that do not clash).
pub(crate) fn lifetime_names(tokens: TokenStream, names: &mut BTreeSet<String>) {
    let mut after_apostrophe = false;
    for tt in tokens {
        match tt {
            TokenTree::Punct(punct) => {
                after_apostrophe = punct.as_char() == '\'';
                continue;
            }
            TokenTree::Ident(ident) if after_apostrophe => {
                names.insert(format!("'{ident}"));
            }
            TokenTree::Group(group) => lifetime_names(group.stream(), names),
            _ => {}
        }
        after_apostrophe = false;
    }
}

/// The lifetime that an elided output lifetime stands for, by the elision rules: that of a
/// `&self`-like receiver, else the only lifetime of the inputs (`None` when ambiguous, in
/// which case the output is left as written and rustc reports it as for any `fn`).
pub(crate) fn elision_target(sig: &syn::Signature) -> Option<Lifetime> {
    if let Some(receiver) = sig.receiver() {
        match &receiver.kind {
            ReceiverKind::Reference(_, lifetime, _) => return lifetime.clone(),
            ReceiverKind::Typed(_, ty) => {
                if let Some(lifetime) = self_reference_lifetime(ty) {
                    return Some(lifetime);
                }
            }
            _ => {}
        }
    }
    let mut all = Vec::new();
    for input in &sig.inputs {
        if let syn::FnArg::Typed(arg) = input {
            lifetimes_in(arg.ty.to_token_stream(), &mut all);
        }
    }
    match all.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    }
}

/// The lifetime of the reference to `Self` in a receiver type like `&'a Self` or `Pin<&'a mut Self>`.
fn self_reference_lifetime(ty: &Type) -> Option<Lifetime> {
    match ty {
        Type::Reference(reference) => reference.lifetime.clone(),
        Type::Path(path) => {
            let last = path.path.segments.last()?;
            if let syn::PathArguments::AngleBracketed(args) = &last.arguments {
                for arg in &args.args {
                    if let syn::GenericArgument::Type(inner) = arg {
                        if let Some(lifetime) = self_reference_lifetime(inner) {
                            return Some(lifetime);
                        }
                    }
                }
            }
            None
        }
        _ => None,
    }
}

fn lifetimes_in(tokens: TokenStream, out: &mut Vec<Lifetime>) {
    let mut apostrophe = None;
    for tt in tokens {
        match tt {
            TokenTree::Punct(punct) if punct.as_char() == '\'' => {
                apostrophe = Some(punct.span());
                continue;
            }
            TokenTree::Ident(ident) => {
                if let Some(span) = apostrophe {
                    if ident != "static" {
                        out.push(Lifetime {
                            apostrophe: span,
                            ident,
                        });
                    }
                }
            }
            TokenTree::Group(group) => lifetimes_in(group.stream(), out),
            TokenTree::Punct(_) | TokenTree::Literal(_) => {}
        }
        apostrophe = None;
    }
}

/// Writes out the elided lifetimes of the return type as `target`, so that the rewritten
/// signature does not mix a named `&'life0 self` with an elided `&str` (which rustc lints as
/// confusing although the user wrote it consistently).
pub(crate) struct NameOutput(pub(crate) Lifetime);

impl VisitMut for NameOutput {
    fn visit_type_reference_mut(&mut self, ty: &mut syn::TypeReference) {
        if ty.lifetime.is_none() {
            ty.lifetime = Some(self.0.clone());
        }
        visit_mut::visit_type_reference_mut(self, ty);
    }

    fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
        if lifetime.ident == "_" {
            *lifetime = self.0.clone();
        }
    }

    fn visit_type_fn_ptr_mut(&mut self, _: &mut syn::TypeFnPtr) {}

    fn visit_parenthesized_generic_arguments_mut(
        &mut self,
        _: &mut syn::ParenthesizedGenericArguments,
    ) {
    }

    fn visit_bound_lifetimes_mut(&mut self, _: &mut syn::BoundLifetimes) {}

    fn visit_macro_mut(&mut self, _: &mut syn::Macro) {}
}
