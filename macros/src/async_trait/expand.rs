//! The rewrite of one `async fn` into a plain `fn` returning a boxed future.
//!
//! ```text
//! async fn get<T>(&self, key: &str, (a, b): (T, T)) -> Ret { body }
//! ```
//! becomes
//! ```text
//! fn get<'life0, 'life1, 'async_trait, T: 'async_trait>(
//!     &'life0 self,
//!     key: &'life1 str,
//!     __patience_arg2: (T, T),
//! ) -> Pin<Box<dyn Future<Output = Ret> + Send + 'async_trait>>
//! where
//!     'life0: 'async_trait,
//!     'life1: 'async_trait,
//!     Self: 'async_trait,
//! {
//!     ::std::boxed::Box::pin(async move {
//!         let _ = &self;                      // capture all of `self`, as a native async fn does
//!         if let Some(__patience_ret) = None::<Ret> {  // fixes the block's output type
//!             return __patience_ret;
//!         }
//!         let __patience_arg2 = __patience_arg2;  // by-value arguments move into the block
//!         let (a, b) = __patience_arg2;           // in order, so they drop in native order
//!                                                 // (`key`, a reference, is captured if used)
//!         let __patience_ret: Ret = match () { () => { body } };
//!         return __patience_ret;
//!     })
//! }
//! ```

use super::args::Mode;
use super::lifetime::{self, BoundImplTrait, NameLifetimes};
use super::receiver::{self, AutoTraits, RenameSelf};
use crate::names;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use std::collections::BTreeSet;
use syn::visit_mut::VisitMut;
use syn::{
    Attribute, Block, FnArg, GenericParam, Generics, Lifetime, Pat, ReturnType, Signature, Type,
    TypeParamBound, WherePredicate,
};

/// Where the method lives, and what the whole attribute asked for.
pub(crate) struct Context<'a> {
    /// The generics of the trait or impl.
    pub(crate) generics: &'a Generics,
    /// In a trait, the auto traits it already implies for `Self`; `None` in an impl.
    pub(crate) trait_implies: Option<AutoTraits>,
    /// The path the expansion names `Box` by (see [`super::args::Args::box_path`]).
    pub(crate) boxed: &'a TokenStream,
}

/// Rewrites one `async fn` (its `asyncness` is set) in place. `body` is `None` for a trait
/// method without default body.
pub(crate) fn method(
    context: &Context<'_>,
    mode: Mode,
    sig: &mut Signature,
    body: Option<&mut Block>,
    attrs: &mut Vec<Attribute>,
) {
    let async_token = sig.asyncness.take();
    if let Some(async_token) = async_token {
        sig.fn_token.span = async_token.span;
    }
    let has_body = body.is_some();
    allow_lints(sig, attrs, context.trait_implies.is_some() && has_body);
    let ret_hint = return_hint(&sig.output);
    let sig_captures_self = receiver::signature_captures_self(sig);
    let body_mentions_self = body
        .as_ref()
        .is_some_and(|body| receiver::mentions_self(body.to_token_stream()));
    let user_declared_async_trait = sig
        .generics
        .lifetimes()
        .any(|param| param.lifetime.ident == "async_trait");

    let names = name_lifetimes(context, sig);
    let mut predicates = own_generics(sig, &names.fresh, user_declared_async_trait);
    outer_generics(context, sig, &names.explicit, &mut predicates);
    predicates.extend(self_bound(
        context,
        mode,
        sig,
        has_body,
        body_mentions_self,
        sig_captures_self,
    ));
    let where_clause = sig.generics.make_where_clause();
    for predicate in predicates {
        where_clause.predicates.push(predicate);
    }

    let bindings = arguments(sig, has_body);
    sig.output = boxed_output(sig, mode, context.boxed);
    if let Some(body) = body {
        box_body(sig, body, &bindings, ret_hint.as_ref(), context.boxed);
    }
}

/// Lints the rewritten signature would trigger where the user's does not.
/// `default_method` is set for a trait method with a body.
fn allow_lints(sig: &Signature, attrs: &mut Vec<Attribute>, default_method: bool) {
    // The boxed future's type nests the user's return type three levels deeper
    // (`Pin<Box<dyn Future<Output = ..>>>`), which pushes clippy's complexity score for
    // return types like `Result<Self::Connection, Self::Error>` over its threshold.
    attrs.push(syn::parse_quote!(#[allow(clippy::type_complexity)]));
    if default_method {
        // clippy suggests `#[must_use]` for a public default method returning a type it
        // does not know as `#[must_use]`; a native `async fn` returns an `impl Future`,
        // which is, and rustc's `unused_must_use` does report an unused boxed future.
        attrs.push(syn::parse_quote!(#[allow(clippy::must_use_candidate)]));
    }
    if receiver::is_needless_typed_self(sig) {
        // clippy would suggest `&self` for `self: &Self`, but after the rewrite it sees
        // `self: &'life0 Self` and its suggestion comes out garbled.
        attrs.push(syn::parse_quote!(#[allow(clippy::needless_arbitrary_self_type)]));
    }
}

/// The written return type as an expression can name it (`impl Trait` as `_`), or `None`
/// for `()`.
pub(super) fn return_hint(output: &ReturnType) -> Option<TokenStream> {
    match output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) if matches!(&**ty, Type::Tuple(t) if t.elems.is_empty()) => None,
        ReturnType::Type(_, ty) => {
            let mut ty = (**ty).clone();
            InferImplTrait.visit_type_mut(&mut ty);
            Some(ty.to_token_stream())
        }
    }
}

/// Names the elided input lifetimes, bounds `impl Trait` arguments, and writes out the
/// elided lifetimes of the return type. Returns the fresh and explicit input lifetimes.
fn name_lifetimes(context: &Context<'_>, sig: &mut Signature) -> NameLifetimes {
    let mut taken = BTreeSet::new();
    lifetime::lifetime_names(sig.to_token_stream(), &mut taken);
    lifetime::lifetime_names(context.generics.to_token_stream(), &mut taken);
    taken.insert(lifetime::ASYNC_TRAIT.to_owned());
    let mut names = NameLifetimes::new(taken);
    for input in &mut sig.inputs {
        match input {
            FnArg::Receiver(receiver) => names.visit_receiver(receiver),
            FnArg::Typed(arg) => {
                names.visit_type_mut(&mut arg.ty);
                BoundImplTrait.visit_type_mut(&mut arg.ty);
            }
        }
    }
    if let (Some(target), ReturnType::Type(_, ty)) =
        (lifetime::elision_target(sig), &mut sig.output)
    {
        lifetime::NameOutput(target).visit_type_mut(ty);
    }
    names
}

/// Input: `-> Ret` (or nothing). Output:
/// `-> Pin<Box<dyn Future<Output = Ret> + Send + 'async_trait>>` (no `Send` for
/// [`Mode::Local`]).
fn boxed_output(sig: &Signature, mode: Mode, boxed: &TokenStream) -> ReturnType {
    let (ret, output_span) = match &sig.output {
        ReturnType::Default => (quote!(()), sig.paren_token.span.join()),
        ReturnType::Type(arrow, ty) => (ty.to_token_stream(), arrow.spans[0]),
    };
    // Spanned in the signature, so a `Send` mismatch between trait and impl points there.
    let send = match mode {
        Mode::Send => Some(quote_spanned!(output_span=> ::core::marker::Send +)),
        Mode::Local => None,
    };
    let async_trait = lifetime::async_trait_lifetime();
    syn::parse_quote_spanned! {output_span=>
        -> ::core::pin::Pin<#boxed<
            dyn ::core::future::Future<Output = #ret> + #send #async_trait
        >>
    }
}

/// Bounds the method's own lifetime and type parameters by `'async_trait`, declares the
/// fresh lifetimes and `'async_trait`, and returns the where-clause predicates to add.
fn own_generics(
    sig: &mut Signature,
    fresh: &[Lifetime],
    user_declared_async_trait: bool,
) -> Vec<WherePredicate> {
    // The method's own generics: every lifetime and type parameter outlives the future.
    // The bound joins the user's own, as clippy wants bounds in one place: at the
    // declaration when it has bounds there or a `#[cfg]` (which a where clause cannot
    // follow), in the where clause otherwise.
    let async_trait = lifetime::async_trait_lifetime();
    let mut predicates: Vec<WherePredicate> = Vec::new();
    let has_cfg = |attrs: &[Attribute]| attrs.iter().any(|attr| attr.path().is_ident("cfg"));
    for param in &mut sig.generics.params {
        match param {
            GenericParam::Lifetime(param) if param.lifetime.ident != "async_trait" => {
                if has_cfg(&param.attrs) || !param.bounds.is_empty() {
                    param.bounds.push(async_trait.clone());
                } else {
                    let lifetime = &param.lifetime;
                    predicates.push(syn::parse_quote!(#lifetime: #async_trait));
                }
            }
            GenericParam::Type(param) => {
                if has_cfg(&param.attrs) || !param.bounds.is_empty() {
                    let bound = TypeParamBound::Lifetime(async_trait.clone());
                    param.bounds.push(bound);
                } else {
                    let ident = &param.ident;
                    predicates.push(syn::parse_quote!(#ident: #async_trait));
                }
            }
            _ => {}
        }
    }
    // Fresh lifetimes are bounded in the where clause: a bound at the declaration would not
    // count as a use for `single_use_lifetimes`.
    for fresh in fresh {
        let param = syn::LifetimeParam::new(fresh.clone());
        sig.generics.params.push(GenericParam::Lifetime(param));
        predicates.push(syn::parse_quote!(#fresh: #async_trait));
    }
    if !user_declared_async_trait {
        sig.generics
            .params
            .push(GenericParam::Lifetime(syn::LifetimeParam::new(
                async_trait.clone(),
            )));
    }
    if sig.generics.lt_token.is_none() {
        sig.generics.lt_token = Some(syn::Token![<](sig.ident.span()));
        sig.generics.gt_token = Some(syn::Token![>](sig.ident.span()));
    }
    predicates
}

/// Bounds by `'async_trait` the trait- or impl-level lifetimes and type parameters that the
/// arguments mention (the future holds them).
fn outer_generics(
    context: &Context<'_>,
    sig: &Signature,
    explicit: &[Lifetime],
    predicates: &mut Vec<WherePredicate>,
) {
    let async_trait = lifetime::async_trait_lifetime();
    let method_lifetimes: Vec<Lifetime> = sig
        .generics
        .lifetimes()
        .map(|param| param.lifetime.clone())
        .collect();
    for used in explicit {
        let outer = context
            .generics
            .lifetimes()
            .any(|param| param.lifetime == *used);
        if outer && !method_lifetimes.contains(used) {
            predicates.push(syn::parse_quote!(#used: #async_trait));
        }
    }
    let input_tokens: TokenStream = sig
        .inputs
        .iter()
        .filter_map(|input| match input {
            FnArg::Typed(arg) => Some(arg.ty.to_token_stream()),
            FnArg::Receiver(_) => None,
        })
        .collect();
    let mut input_idents = BTreeSet::new();
    idents(input_tokens, &mut input_idents);
    for param in context.generics.type_params() {
        let shadowed = sig
            .generics
            .type_params()
            .any(|own| own.ident == param.ident);
        if !shadowed && input_idents.contains(&param.ident.to_string()) {
            let ident = &param.ident;
            predicates.push(syn::parse_quote!(#ident: #async_trait));
        }
    }
}

/// `Self: 'async_trait` (always in a trait, when the arguments hold `Self` in an impl), plus
/// the auto traits a default body in a `Send` trait needs from `Self`.
fn self_bound(
    context: &Context<'_>,
    mode: Mode,
    sig: &Signature,
    has_body: bool,
    body_mentions_self: bool,
    sig_captures_self: bool,
) -> Option<WherePredicate> {
    let async_trait = lifetime::async_trait_lifetime();
    // `Self` outlives the future, and a default body's future is `Send` only if `Self`
    // has the auto traits its captures need.
    match context.trait_implies {
        Some(implied) => {
            let mut needed = AutoTraits::default();
            if has_body && mode == Mode::Send {
                needed = receiver::needed_by_default_body(sig, body_mentions_self);
                needed.send &= !implied.send;
                needed.sync &= !implied.sync;
            }
            // Spanned at the receiver, so "required by this bound" points at `&self`.
            let span = sig
                .receiver()
                .map_or_else(|| sig.ident.span(), |receiver| receiver.self_token.span);
            let send = needed
                .send
                .then(|| quote_spanned!(span=> ::core::marker::Send +));
            let sync = needed
                .sync
                .then(|| quote_spanned!(span=> ::core::marker::Sync +));
            Some(syn::parse_quote!(Self: #send #sync #async_trait))
        }
        None => sig_captures_self.then(|| syn::parse_quote!(Self: #async_trait)),
    }
}

/// Arguments: plain names stay (without `mut`), patterns become positional names. Returns
/// the statements that bind them again, in order, inside the body.
///
/// A by-reference argument of a method with a body is the exception: a reference has no
/// drop glue, so it is left in the signature with its pattern, and the block captures only
/// the bindings the body uses (as async-trait does). Moving it into the block whole would
/// make the future hold `&T` even where the body ignores it (`_: &T`), and so need `T: Sync`
/// to be `Send`. Patterns with `ref` or `mut` bindings are re-bound like by-value arguments:
/// a `ref` binding would borrow the argument's own slot, which the block outlives, and a
/// `mut thing: &T` may be reassigned with a borrow of a local of the body, which needs a
/// local of the block.
pub(super) fn arguments(sig: &mut Signature, has_body: bool) -> TokenStream {
    let mut bindings = TokenStream::new();
    for (index, input) in sig.inputs.iter_mut().enumerate() {
        match input {
            FnArg::Receiver(receiver) => {
                // `mut self` means nothing without a body (and is rejected there).
                if !has_body {
                    receiver.mutability = None;
                }
            }
            FnArg::Typed(arg) => {
                let stays = has_body
                    && is_reference(&arg.ty)
                    && !binds(&arg.pat, |pat| {
                        pat.by_ref.is_some() || pat.mutability.is_some()
                    });
                if !stays {
                    bindings.extend(rebind(index, arg));
                }
            }
        }
    }
    bindings
}

/// Input: the argument `pat: Type` at `index`.
/// Output: `x: Type` for a plain name `x` or `mut x`, `__arg<index>: Type` for a pattern;
/// returns the statements binding the pattern again inside the body, after moving the
/// argument into it:
/// `let mut x = x;`, or `let __arg2 = __arg2; let (a, b) = __arg2;`.
fn rebind(index: usize, arg: &mut syn::PatType) -> TokenStream {
    let cfgs: Vec<&Attribute> = arg
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("cfg"))
        .collect();
    match &mut *arg.pat {
        Pat::Ident(pat) if pat.by_ref.is_none() && pat.subpat.is_none() => {
            let mutability = pat.mutability.take();
            let ident = &pat.ident;
            // `let x = x;` is what clippy's `shadow_same` looks for, and for `_x` its
            // underscore lints fire too; a native `async fn` moves its arguments without them.
            let underscore = ident.to_string().starts_with('_').then(|| {
                quote!(
                    clippy::used_underscore_binding,
                    clippy::no_effect_underscore_binding,
                )
            });
            quote_spanned! {ident.span()=>
                #(#cfgs)*
                #[allow(clippy::shadow_same, #underscore)]
                let #mutability #ident = #ident;
            }
        }
        pat => {
            let positional = names::indexed("arg", index);
            let needs_mut = binds(pat, |pat| pat.by_ref.is_some() && pat.mutability.is_some());
            let mutability = needs_mut.then(|| quote!(mut));
            let mut bindings = quote! {
                #(#cfgs)* let #mutability #positional = #positional;
            };
            if !matches!(pat, Pat::Wild(_)) {
                bindings.extend(quote! {
                    #(#cfgs)* let #pat = #positional;
                });
            }
            *arg.pat = syn::parse_quote!(#positional);
            bindings
        }
    }
}

/// Whether `ty` is a reference (`&T`, `&mut T`, also in parentheses or a macro's group).
fn is_reference(ty: &Type) -> bool {
    match ty {
        Type::Reference(_) => true,
        Type::Paren(paren) => is_reference(&paren.elem),
        Type::Group(group) => is_reference(&group.elem),
        _ => false,
    }
}

/// Replaces the body with `Box::pin(async move { .. })` around the user's block (see
/// [`async_block`]).
fn box_body(
    sig: &mut Signature,
    body: &mut Block,
    bindings: &TokenStream,
    ret_hint: Option<&TokenStream>,
    boxed: &TokenStream,
) {
    let (block, body_span) = async_block(sig, body, bindings, ret_hint);
    // Spanned at the body like the rest of the call, so that errors about the future
    // (not `Send`, wrong output type) point at the body rather than at the attribute.
    let boxed = respan(boxed.clone(), body_span);
    *body = syn::parse_quote_spanned!(body_span=> { #boxed::pin(#block) });
}

/// Takes the user's block out of `body` (leaving it empty) and returns the `async move`
/// block that runs it, spanned at the body, with that span. `ret_hint` is the return type
/// as an expression can name it (`impl Trait` as `_`), or `None` for `()`.
///
/// Input: `{ body }`, the argument re-bindings, `Ret`.
/// Output:
/// ```text
/// async move {
///     let _ = &self;
///     if let Some(__patience_ret) = None::<Ret> { return __patience_ret; }
///     <re-bindings>
///     let __patience_ret: Ret = match () { () => { body } };
///     return __patience_ret;
/// }
/// ```
/// (for `()`: `let () = match () { () => { body } };` and no `return`).
///
/// - The value is bound before the block ends, so the body's temporaries drop before the
///   arguments, as in a native `async fn` (a tail expression's temporaries would outlive
///   them in edition 2021): a match arm is a scope of its own.
/// - It is returned rather than left as the block's tail, or clippy's `async_yields_async`
///   takes a future-typed value for a future the block forgot to await (a native
///   `async fn` declares its output type and is not checked).
/// - The match keeps clippy's `diverging_sub_expression` from taking a body that ends in
///   `return x;` or `unimplemented!()` for a diverging sub-expression of the `let`: it looks
///   into a `let`'s block, not into match arms.
pub(super) fn async_block(
    sig: &mut Signature,
    body: &mut Block,
    bindings: &TokenStream,
    ret_hint: Option<&TokenStream>,
) -> (TokenStream, Span) {
    let mut user_body = std::mem::replace(body, syn::parse_quote!({}));
    let capture_self = capture_self(sig, &mut user_body);
    let ret_var = names::local("ret");
    let body_span = user_body.brace_token.span.join();
    let (hint, value) = match ret_hint {
        None => (
            None,
            quote_spanned!(body_span=> let () = match () { () => #user_body };),
        ),
        Some(ret_hint) => {
            let hint = quote_spanned! {body_span=>
                if let ::core::option::Option::Some(#ret_var) =
                    ::core::option::Option::None::<#ret_hint>
                {
                    // `__patience_ret: !` when the method returns `!`: unreachable, and
                    // so is the `return` (a native `async fn` has neither).
                    #[allow(unreachable_code)]
                    return #ret_var;
                }
            };
            let value = quote_spanned! {body_span=>
                let #ret_var: #ret_hint = match () { () => #user_body };
                #[allow(unreachable_code)]
                return #ret_var;
            };
            (Some(hint), value)
        }
    };
    let block = quote_spanned! {body_span=>
        async move {
            #capture_self
            #hint
            #bindings
            #value
        }
    };
    (block, body_span)
}

/// `tokens` (a path: no groups) with every token spanned at `span`.
pub(super) fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tt| {
            tt.set_span(span);
            tt
        })
        .collect()
}

/// The statement that makes the block capture the receiver, adjusting the receiver (and
/// the body's `self`) where the body needs a mutable binding.
fn capture_self(sig: &mut Signature, user_body: &mut Block) -> Option<TokenStream> {
    let FnArg::Receiver(receiver) = sig.inputs.first_mut()? else {
        return None;
    };
    let self_token = receiver.self_token;
    match &receiver.kind {
        // `mut self: &Self` may be reassigned to a shorter borrow: it needs a local.
        syn::ReceiverKind::Typed(..) if receiver.mutability.is_some() => {
            receiver.mutability = None;
            let local = names::local("self");
            RenameSelf { to: local.clone() }.visit_block_mut(user_body);
            Some(quote!(let mut #local = #self_token;))
        }
        // `&mut self` whose body takes `&mut self` or reassigns `self` needs a mutable
        // binding (async-trait gives it one): `mut self: &'life0 mut Self`, which the block
        // captures with its mutability.
        syn::ReceiverKind::Reference(_, _, Some(_)) if receiver::needs_mut_binding(user_body) => {
            make_binding_mut(receiver);
            Some(quote!(let _ = &#self_token;))
        }
        // Otherwise the block captures `self` whole, as a native `async fn` does.
        _ => Some(quote!(let _ = &#self_token;)),
    }
}

/// Input: `&'a mut self`. Output: `mut self: &'a mut Self`.
fn make_binding_mut(receiver: &mut syn::Receiver) {
    let span = receiver.self_token.span;
    if let syn::ReceiverKind::Reference(and, lifetime, mutability) = &receiver.kind {
        let self_type = Ident::new("Self", span);
        let ty: Type = syn::parse_quote!(#and #lifetime #mutability #self_type);
        receiver.kind = syn::ReceiverKind::Typed(syn::Token![:](span), Box::new(ty));
        receiver.mutability = Some(syn::Token![mut](span));
    }
}

/// Collects the identifiers in `tokens`.
fn idents(tokens: TokenStream, out: &mut BTreeSet<String>) {
    for tt in tokens {
        match tt {
            proc_macro2::TokenTree::Ident(ident) => {
                out.insert(ident.to_string());
            }
            proc_macro2::TokenTree::Group(group) => idents(group.stream(), out),
            _ => {}
        }
    }
}

/// Whether the pattern has a binding for which `pred` holds.
fn binds(pat: &Pat, pred: fn(&syn::PatIdent) -> bool) -> bool {
    struct Find {
        pred: fn(&syn::PatIdent) -> bool,
        found: bool,
    }
    impl VisitMut for Find {
        fn visit_pat_ident_mut(&mut self, pat: &mut syn::PatIdent) {
            self.found |= (self.pred)(pat);
            syn::visit_mut::visit_pat_ident_mut(self, pat);
        }
    }
    let mut find = Find { pred, found: false };
    find.visit_pat_mut(&mut pat.clone());
    find.found
}

/// Replaces `impl Trait` with `_` so the return type can be written in expression position.
struct InferImplTrait;

impl VisitMut for InferImplTrait {
    fn visit_type_mut(&mut self, ty: &mut Type) {
        if let Type::ImplTrait(_) = ty {
            *ty = Type::Infer(syn::TypeInfer {
                attrs: Vec::new(),
                underscore_token: syn::Token![_](Span::call_site()),
            });
        } else {
            syn::visit_mut::visit_type_mut(self, ty);
        }
    }
}
