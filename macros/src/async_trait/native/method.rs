//! One method of a `native` trait: whether the companion can forward it, and its rewrite
//! into a method returning `impl Future`.
//!
//! ```text
//! async fn get(&self, key: &str) -> Ret;
//! async fn total(&self) -> usize { body }
//! async fn each<T: Send>(&self, value: T) -> T;
//! ```
//! becomes
//! ```text
//! fn get(&self, key: &str) -> impl Future<Output = Ret> + Send;
//! fn total(&self) -> impl Future<Output = usize> + Send
//! where
//!     Self: Sync,                              // only if the trait does not imply it
//! {
//!     async move { let _ = &self; .. body .. } // as in the boxed mode, without the box
//! }
//! fn each<T: Send>(&self, value: T) -> impl Future<Output = T> + Send
//! where
//!     Self: Sized;                             // generic: not callable through `dyn`
//! ```
//! The signature keeps its lifetimes as written (elided ones stay elided and late-bound), so
//! an impl's plain `async fn` matches it.

use super::super::args::Mode;
use super::super::expand;
use super::super::receiver::{self, AutoTraits};
use crate::names;
use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote_spanned};
use syn::spanned::Spanned;
use syn::{
    Attribute, FnArg, Pat, ReceiverKind, ReturnType, Signature, TraitItemFn, Type, WherePredicate,
};

/// Why a method cannot be called through the companion.
pub(super) struct LeftOut {
    /// Where the reason is (the `Self: Sized` bound the rewrite adds points there).
    pub(super) span: Span,
    /// The reason, completing "left out of the companion because ..".
    pub(super) reason: String,
    /// Whether the user already bounded the method by `Self: Sized`.
    pub(super) already_sized: bool,
}

/// For each method of the trait, in order, why the companion leaves it out, if it does: its
/// signature's reason (see [`left_out`]), or, for a default method, that its body calls
/// one that is left out (which needs `Self: Sized` then, so this one does too). A call is
/// `Self::name`, `<Self>::name` or `.name(`, found in the body's tokens (macro calls
/// included); a method of another type with the same name counts too, and only costs the
/// companion that method.
pub(super) fn left_out_all(item: &syn::ItemTrait) -> Vec<Option<LeftOut>> {
    let methods: Vec<&TraitItemFn> = item
        .items
        .iter()
        .filter_map(|inner| match inner {
            syn::TraitItem::Fn(method) => Some(method),
            _ => None,
        })
        .collect();
    let mut reasons: Vec<Option<LeftOut>> = methods.iter().map(|m| left_out(&m.sig)).collect();
    loop {
        let out: Vec<String> = methods
            .iter()
            .zip(&reasons)
            .filter(|(_, reason)| reason.is_some())
            .map(|(method, _)| method.sig.ident.to_string())
            .collect();
        let mut changed = false;
        for (method, reason) in methods.iter().zip(&mut reasons) {
            let Some(body) = method.default.as_ref().filter(|_| reason.is_none()) else {
                continue;
            };
            if let Some((name, span)) = calls(body.to_token_stream(), &out) {
                *reason = Some(LeftOut {
                    span,
                    reason: format!("it calls `{name}`, which is left out"),
                    already_sized: false,
                });
                changed = true;
            }
        }
        if !changed {
            return reasons;
        }
    }
}

/// The first of `names` that `tokens` call as a method or associated function (after `.`
/// or `::`), with its span.
fn calls(tokens: TokenStream, names: &[String]) -> Option<(String, Span)> {
    let mut after_path = false;
    for tt in tokens {
        match tt {
            TokenTree::Ident(ident) if after_path && names.iter().any(|n| ident == n) => {
                return Some((ident.to_string(), ident.span()));
            }
            TokenTree::Punct(punct) if matches!(punct.as_char(), '.' | ':') => {
                after_path = true;
                continue;
            }
            TokenTree::Group(group) => {
                if let Some(found) = calls(group.stream(), names) {
                    return Some(found);
                }
            }
            _ => {}
        }
        after_path = false;
    }
    None
}

/// Whether the companion can forward a method with this signature, or why not.
pub(super) fn left_out(sig: &Signature) -> Option<LeftOut> {
    let out = |span: Span, reason: &str| {
        Some(LeftOut {
            span,
            reason: reason.to_owned(),
            already_sized: false,
        })
    };
    if let Some(span) = sized_bound(sig) {
        return Some(LeftOut {
            span,
            reason: "it requires `Self: Sized`".to_owned(),
            already_sized: true,
        });
    }
    if let syn::Safety::Unsafe(token) = &sig.safety {
        return out(token.span, "it is an `unsafe fn`");
    }
    let generic = sig.generics.params.iter().any(|param| {
        matches!(
            param,
            syn::GenericParam::Type(_) | syn::GenericParam::Const(_)
        )
    });
    if generic {
        // At the name: spanned at a type parameter, the bound reads to rustc as that
        // parameter's implicit `Sized`, and it suggests `T: ?Sized`.
        return out(sig.ident.span(), "it is generic");
    }
    let receiver = match sig.inputs.first() {
        Some(FnArg::Receiver(receiver)) => receiver,
        _ => return out(sig.ident.span(), "it has no `self` receiver"),
    };
    match &receiver.kind {
        ReceiverKind::Value => return out(receiver.self_token.span, "it takes `self` by value"),
        ReceiverKind::Typed(_, ty) if !dispatchable(ty) => {
            return out(
                ty.span(),
                "its receiver type cannot be called through `dyn`",
            );
        }
        _ => {}
    }
    for input in sig.inputs.iter().skip(1) {
        if let FnArg::Typed(arg) = input {
            if let Some(span) = impl_trait(&arg.ty) {
                return out(span, "it takes an `impl Trait` argument");
            }
            if let Some(span) = self_type(arg.ty.to_token_stream()) {
                return out(span, "an argument's type names `Self`");
            }
        }
    }
    if let ReturnType::Type(_, ty) = &sig.output {
        if let Some(span) = impl_trait(ty) {
            return out(span, "it returns `impl Trait`");
        }
        if let Some(span) = self_type(ty.to_token_stream()) {
            return out(span, "its return type names `Self`");
        }
    }
    None
}

/// The span of a `Self: Sized` bound in the method's where clause.
fn sized_bound(sig: &Signature) -> Option<Span> {
    let where_clause = sig.generics.where_clause.as_ref()?;
    where_clause.predicates.iter().find_map(|predicate| {
        let WherePredicate::Type(predicate) = predicate else {
            return None;
        };
        let is_self = matches!(&predicate.bounded_ty, Type::Path(ty)
            if ty.qself.is_none() && ty.path.is_ident("Self"));
        let sized = predicate.bounds.iter().any(|bound| {
            matches!(bound, syn::TypeParamBound::Trait(bound)
                if bound.maybe.is_none()
                    && bound.path.segments.last().is_some_and(|s| s.ident == "Sized"))
        });
        (is_self && sized).then(|| predicate.span())
    })
}

/// Whether a `self: Type` receiver can be called on a `dyn` value: `&Self`, `&mut Self`,
/// `Box<Self>`, `Rc<Self>`, `Arc<Self>`, or `Pin` of one of them.
fn dispatchable(ty: &Type) -> bool {
    match ty {
        Type::Reference(reference) => is_self(&reference.elem),
        Type::Paren(paren) => dispatchable(&paren.elem),
        Type::Group(group) => dispatchable(&group.elem),
        _ => match wrapper(ty) {
            Some(("Box" | "Rc" | "Arc", inner)) => is_self(inner),
            Some(("Pin", inner)) => dispatchable(inner),
            _ => false,
        },
    }
}

/// `("Box", T)` for a path type ending in `Box<T>` with one type argument (any name).
fn wrapper(ty: &Type) -> Option<(&str, &Type)> {
    let Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last().filter(|_| path.qself.is_none())?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let mut types = args.args.iter().filter_map(|arg| match arg {
        syn::GenericArgument::Type(ty) => Some(ty),
        _ => None,
    });
    let (Some(inner), None) = (types.next(), types.next()) else {
        return None;
    };
    let name = match last.ident.to_string().as_str() {
        "Box" => "Box",
        "Rc" => "Rc",
        "Arc" => "Arc",
        "Pin" => "Pin",
        _ => return None,
    };
    Some((name, inner))
}

fn is_self(ty: &Type) -> bool {
    matches!(ty, Type::Path(path) if path.qself.is_none() && path.path.is_ident("Self"))
}

/// The span of an `impl Trait` anywhere in `ty`.
fn impl_trait(ty: &Type) -> Option<Span> {
    let mut found = None;
    let mut ty = ty.clone();
    syn::visit_mut::VisitMut::visit_type_mut(&mut FindImplTrait(&mut found), &mut ty);
    found
}

struct FindImplTrait<'a>(&'a mut Option<Span>);

impl syn::visit_mut::VisitMut for FindImplTrait<'_> {
    fn visit_type_impl_trait_mut(&mut self, ty: &mut syn::TypeImplTrait) {
        self.0.get_or_insert(ty.impl_token.span);
    }
}

/// The span of a `Self` that names the type itself rather than starting a `Self::Assoc`
/// path, looking into macro calls and groups.
fn self_type(tokens: TokenStream) -> Option<Span> {
    let mut iter = tokens.into_iter().peekable();
    while let Some(tt) = iter.next() {
        match tt {
            TokenTree::Ident(ident) if ident == "Self" => {
                let path = matches!(iter.peek(), Some(TokenTree::Punct(p))
                    if p.as_char() == ':' && p.spacing() == proc_macro2::Spacing::Joint);
                if !path {
                    return Some(ident.span());
                }
            }
            TokenTree::Group(group) => {
                if let Some(span) = self_type(group.stream()) {
                    return Some(span);
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether the only lifetime a method's future borrows is its receiver's: a `&self`,
/// `&mut self` or `Pin<&mut Self>`-like receiver, and arguments with no reference or
/// lifetime in their types. Then the companion's impl can return the boxed future itself,
/// its lifetime the receiver's (see [`super::forward`]); otherwise the box lives for the
/// shortest of several lifetimes, which only the inside of an `async` block can name.
pub(super) fn single_borrow(sig: &Signature) -> bool {
    let Some(receiver) = sig.receiver() else {
        return false;
    };
    let receiver_borrows = match &receiver.kind {
        ReceiverKind::Reference(..) => true,
        ReceiverKind::Typed(_, ty) => borrows_self(ty),
        _ => false,
    };
    receiver_borrows
        && sig.inputs.iter().skip(1).all(|input| match input {
            FnArg::Typed(arg) => !borrows(arg.ty.to_token_stream()),
            FnArg::Receiver(_) => false,
        })
}

/// `&Self`, `&mut Self`, or `Pin` of one of them, with at most that one lifetime.
fn borrows_self(ty: &Type) -> bool {
    match ty {
        Type::Reference(reference) => is_self(&reference.elem),
        Type::Paren(paren) => borrows_self(&paren.elem),
        Type::Group(group) => borrows_self(&group.elem),
        _ => matches!(wrapper(ty), Some(("Pin", inner)) if borrows_self(inner)),
    }
}

/// Whether `tokens` (a type) contain a reference or a lifetime.
fn borrows(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|tt| match tt {
        TokenTree::Punct(punct) => matches!(punct.as_char(), '&' | '\''),
        TokenTree::Group(group) => borrows(group.stream()),
        _ => false,
    })
}

/// Adds `Self: Sized` to a method the companion leaves out, so that the trait stays
/// implementable by the companion; the bound is spanned at the reason, which "required by
/// this bound" notes then point at (`Self` at the method's name: clippy takes a bounded
/// type spanned at a generic parameter for that parameter).
pub(super) fn bound_sized(sig: &mut Signature, span: Span) {
    let this = Ident::new("Self", sig.ident.span());
    let sized = quote_spanned!(span=> ::core::marker::Sized);
    let predicate: WherePredicate = syn::parse_quote!(#this: #sized);
    sig.generics.make_where_clause().predicates.push(predicate);
}

/// Rewrites one `async fn` of the trait into a method returning
/// `impl Future<Output = ..> [+ Send]`. Returns the `Self: Send/Sync` bound a default body
/// needed (also added to the method), which the companion's erased method repeats.
pub(super) fn rewrite(
    method: &mut TraitItemFn,
    mode: Mode,
    implied: AutoTraits,
) -> Option<WherePredicate> {
    let sig = &mut method.sig;
    let async_span = sig
        .asyncness
        .take()
        .map_or_else(|| sig.fn_token.span, |token| token.span);
    sig.fn_token.span = async_span;
    let ret_hint = expand::return_hint(&sig.output);
    let mut self_bound = None;
    if method.default.is_none() {
        // Patterns are not allowed in a method without body (the boxed mode accepts them,
        // renaming them): they become positional names.
        expand::arguments(sig, false);
    }
    if let Some(body) = &mut method.default {
        if mode == Mode::Send {
            let mentions = receiver::mentions_self(body.to_token_stream());
            let mut needed = receiver::needed_by_default_body(sig, mentions);
            needed.send &= !implied.send;
            needed.sync &= !implied.sync;
            self_bound = auto_bound(sig, needed);
        }
        let bindings = expand::arguments(sig, true);
        let (block, span) = expand::async_block(sig, body, &bindings, ret_hint.as_ref());
        *body = syn::parse_quote_spanned!(span=> { #block });
        // clippy would suggest `async fn`, which cannot say `+ Send`; the user wrote one.
        method
            .attrs
            .push(syn::parse_quote!(#[allow(clippy::manual_async_fn)]));
    }
    if let Some(predicate) = &self_bound {
        let where_clause = method.sig.generics.make_where_clause();
        where_clause.predicates.push(predicate.clone());
    }
    method.sig.output = future_output(&method.sig.output, mode, async_span);
    // The future's type nests the user's return type one level deeper.
    method
        .attrs
        .push(syn::parse_quote!(#[allow(clippy::type_complexity)]));
    self_bound
}

/// `Self: Send + Sync` (those of them `needed` asks for), spanned at the receiver.
fn auto_bound(sig: &Signature, needed: AutoTraits) -> Option<WherePredicate> {
    if needed == AutoTraits::default() {
        return None;
    }
    let span = sig
        .receiver()
        .map_or_else(|| sig.ident.span(), |receiver| receiver.self_token.span);
    let send = needed
        .send
        .then(|| quote_spanned!(span=> ::core::marker::Send));
    let sync = needed
        .sync
        .then(|| quote_spanned!(span=> ::core::marker::Sync));
    let bounds = [send, sync].into_iter().flatten();
    Some(syn::parse_quote_spanned!(span=> Self: #(#bounds)+*))
}

/// Input: `-> Ret` (or nothing). Output: `-> impl Future<Output = Ret> + Send` (no `Send`
/// for [`Mode::Local`]), the `Send` spanned at the `async` keyword: a future that is not
/// `Send` in an impl is reported with "required by this bound" pointing there.
fn future_output(output: &ReturnType, mode: Mode, async_span: Span) -> ReturnType {
    let (ret, span) = match output {
        ReturnType::Default => (quote_spanned!(async_span=> ()), async_span),
        ReturnType::Type(arrow, ty) => (ty.to_token_stream(), arrow.spans[0]),
    };
    let send = match mode {
        Mode::Send => Some(quote_spanned!(async_span=> + ::core::marker::Send)),
        Mode::Local => None,
    };
    syn::parse_quote_spanned! {span=>
        -> impl ::core::future::Future<Output = #ret> #send
    }
}

/// Names every argument so a forwarding call can pass it on: a plain name stays (without
/// `mut`), any other pattern, and a name starting with `_` (which clippy's
/// `used_underscore_binding` would flag when passed on), becomes `__patience_arg<index>`, as
/// the boxed rewrite names it. Returns the names, the receiver's as `self`.
pub(super) fn forwarding_names(sig: &mut Signature) -> Vec<TokenStream> {
    let mut names = Vec::new();
    for (index, input) in sig.inputs.iter_mut().enumerate() {
        match input {
            FnArg::Receiver(receiver) => {
                receiver.mutability = None;
                receiver.attrs.clear();
                names.push(receiver.self_token.to_token_stream());
            }
            FnArg::Typed(arg) => {
                arg.attrs.retain(is_cfg);
                let name = match &*arg.pat {
                    Pat::Ident(pat)
                        if pat.by_ref.is_none()
                            && pat.subpat.is_none()
                            && !pat.ident.to_string().starts_with('_') =>
                    {
                        pat.ident.clone()
                    }
                    _ => names::indexed("arg", index),
                };
                *arg.pat = syn::parse_quote!(#name);
                names.push(name.to_token_stream());
            }
        }
    }
    names
}

/// Whether the attribute is a `#[cfg(..)]`, which the companion's copies of an item keep.
pub(super) fn is_cfg(attr: &Attribute) -> bool {
    attr.path().is_ident("cfg")
}

#[cfg(test)]
mod tests {
    use super::left_out;

    fn reason(method: proc_macro2::TokenStream) -> Option<String> {
        let method: syn::TraitItemFn = syn::parse2(method).expect("a trait method");
        left_out(&method.sig).map(|out| out.reason)
    }

    #[test]
    fn dispatchable_methods_are_forwarded() {
        for method in [
            quote::quote!(
                async fn a(&self, key: &str) -> Option<Self::Key>;
            ),
            quote::quote!(
                async fn b(&mut self, value: Vec<u8>);
            ),
            quote::quote!(
                async fn c(self: Box<Self>) -> u8;
            ),
            quote::quote!(
                async fn d(self: std::sync::Arc<Self>) -> u8;
            ),
            quote::quote!(
                async fn e(self: Pin<&mut Self>) -> u8;
            ),
            quote::quote!(
                async fn f<'a>(&self, text: &'a str) -> &'a str;
            ),
            quote::quote!(
                fn g(&self) -> &str;
            ),
        ] {
            assert_eq!(reason(method.clone()), None, "{method}");
        }
    }

    #[test]
    fn non_dispatchable_methods_are_left_out_with_their_reason() {
        let cases = [
            (
                quote::quote!(
                    async fn a<T>(&self, t: T);
                ),
                "it is generic",
            ),
            (
                quote::quote!(
                    async fn b<const N: usize>(&self);
                ),
                "it is generic",
            ),
            (
                quote::quote!(
                    async fn c(&self, f: impl Fn());
                ),
                "it takes an `impl Trait` argument",
            ),
            (
                quote::quote!(
                    async fn d(self) -> u8;
                ),
                "it takes `self` by value",
            ),
            (
                quote::quote!(
                    async fn e() -> u8;
                ),
                "it has no `self` receiver",
            ),
            (
                quote::quote!(
                    async fn f(&self, other: &Self);
                ),
                "an argument's type names `Self`",
            ),
            (
                quote::quote!(
                    async fn g(&self) -> Self;
                ),
                "its return type names `Self`",
            ),
            (
                quote::quote!(
                    fn h(&self) -> impl Iterator<Item = u8>;
                ),
                "it returns `impl Trait`",
            ),
            (
                quote::quote!(
                    async fn i(self: Rc<Rc<Self>>);
                ),
                "its receiver type cannot be called through `dyn`",
            ),
            (
                quote::quote!(
                    async fn j(&self)
                    where
                        Self: Sized;
                ),
                "it requires `Self: Sized`",
            ),
            (
                quote::quote!(
                    unsafe fn k(&self);
                ),
                "it is an `unsafe fn`",
            ),
        ];
        for (method, expected) in cases {
            assert_eq!(
                reason(method.clone()).as_deref(),
                Some(expected),
                "{method}"
            );
        }
    }

    #[test]
    fn default_methods_calling_left_out_methods_are_left_out_too() {
        let item: syn::ItemTrait = syn::parse_quote! {
            trait T {
                async fn make() -> u8;
                async fn uses(&self) -> u8 { Self::make().await }
                async fn indirect(&self) -> u8 { self.uses().await }
                async fn other(&self) -> u8 { 1 }
            }
        };
        let reasons: Vec<Option<String>> = super::left_out_all(&item)
            .into_iter()
            .map(|out| out.map(|out| out.reason))
            .collect();
        assert_eq!(
            reasons,
            [
                Some("it has no `self` receiver".to_owned()),
                Some("it calls `make`, which is left out".to_owned()),
                Some("it calls `uses`, which is left out".to_owned()),
                None,
            ]
        );
    }
}
