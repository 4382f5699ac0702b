//! `#[async_trait]`: `async fn` in traits and trait impls as boxed, pinned futures; with
//! `native`, native `async fn` in the trait plus a boxing `dyn` companion.
//!
//! - [`args`]: the attribute's arguments (`?Send`, `Send`, `native`, `crate = ".."`), and
//!   the per-method override (`?Send`, `Send`);
//! - [`parse`]: the item it goes on (a trait or a trait impl);
//! - [`expand`]: the rewrite of one `async fn`;
//! - [`lifetime`]: naming elided lifetimes and bounding `impl Trait` arguments;
//! - [`receiver`]: how a method uses `Self`, and which auto traits that needs;
//! - [`bound`]: the auto traits a trait already implies for `Self`;
//! - [`native`]: the `native` mode.

mod args;
mod bound;
mod expand;
mod lifetime;
mod native;
mod parse;
mod receiver;

use self::args::Mode;
use self::expand::Context;
use self::parse::Item;
use crate::errors::Errors;
use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::{ImplItem, TraitItem};

/// Expands `#[async_trait(args)] item`.
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::new();
    let args = args::parse(args, &mut errors);
    let Some(mut parsed) = errors.ok(parse::parse(item.clone())) else {
        let errors = errors.into_error().expect("an error was just pushed");
        return crate::errors::items(&errors, item);
    };
    let boxed = args.box_path();
    if let Some(native) = args.native {
        let mut out = match parsed {
            Item::Trait(item) => native::expand_trait(item, &args, &mut errors),
            Item::Impl(item) => native::expand_impl(item, native, &mut errors),
        };
        out.extend(errors.into_error().map(|err| err.to_compile_error()));
        return out;
    }
    match &mut parsed {
        Item::Trait(item) => expand_trait(item, args.mode, &boxed, &mut errors),
        Item::Impl(item) => expand_impl(item, args.mode, &boxed, &mut errors),
    }
    // On error the rewritten item still goes out, so the errors come alone rather than
    // followed by a cascade of mismatches with the other side.
    let errors = errors.into_error().map(|err| err.to_compile_error());
    let mut out = parsed.into_token_stream();
    out.extend(errors);
    out
}

fn expand_trait(item: &mut syn::ItemTrait, mode: Mode, boxed: &TokenStream, errors: &mut Errors) {
    let generics = item.generics.clone();
    let context = Context {
        generics: &generics,
        trait_implies: Some(bound::implied_by_trait(item)),
        boxed,
    };
    for inner in &mut item.items {
        if let TraitItem::Fn(method) = inner {
            let is_async = method.sig.asyncness.is_some();
            let over = args::take_method_override(&mut method.attrs, is_async, errors);
            if is_async {
                let body = method.default.as_mut();
                expand::method(
                    &context,
                    over.unwrap_or(mode),
                    &mut method.sig,
                    body,
                    &mut method.attrs,
                );
            }
        }
    }
}

fn expand_impl(item: &mut syn::ItemImpl, mode: Mode, boxed: &TokenStream, errors: &mut Errors) {
    let generics = item.generics.clone();
    let context = Context {
        generics: &generics,
        trait_implies: None,
        boxed,
    };
    for inner in &mut item.items {
        match inner {
            ImplItem::Fn(method) => {
                let is_async = method.sig.asyncness.is_some();
                let over = args::take_method_override(&mut method.attrs, is_async, errors);
                if is_async {
                    let body = Some(&mut method.block);
                    expand::method(
                        &context,
                        over.unwrap_or(mode),
                        &mut method.sig,
                        body,
                        &mut method.attrs,
                    );
                }
            }
            ImplItem::Verbatim(tokens) => {
                // `async fn f();` without body is not an impl item syn knows. Report it, and
                // put out its rewritten signature so the error is not followed by a mismatch
                // with the trait.
                if let Ok(mut method) = syn::parse2::<syn::TraitItemFn>(tokens.clone()) {
                    if method.sig.asyncness.is_some() && method.default.is_none() {
                        errors.push(syn::Error::new_spanned(
                            &method.sig,
                            "this `async fn` in an impl needs a body: `{ .. }` instead of `;`",
                        ));
                        let over = args::take_method_override(&mut method.attrs, true, errors);
                        expand::method(
                            &context,
                            over.unwrap_or(mode),
                            &mut method.sig,
                            None,
                            &mut method.attrs,
                        );
                        *tokens = method.into_token_stream();
                    }
                }
            }
            _ => {}
        }
    }
}
