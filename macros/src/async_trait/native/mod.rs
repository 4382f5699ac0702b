//! `#[async_trait(native)]`: the trait keeps native `async fn` (as methods returning
//! `impl Future [+ Send]`), so static calls allocate nothing, and gets a `dyn`-compatible
//! companion that boxes the future of each call made through it.
//!
//! - [`method`]: which methods the companion can forward, and the rewrite of each `async fn`;
//! - [`shape`]: the companion's names and generics;
//! - [`companion`]: the companion trait and its blanket impl;
//! - [`constructors`]: `DynStore::new`, `boxed`, `from_ref`, `from_mut`;
//! - [`forward`]: the impls of the trait for the companion's `dyn` values;
//! - [`supertraits`]: how a subtrait's companion gets a native supertrait's methods.
//!
//! Impls of the trait need no attribute: they write plain `async fn`.

mod companion;
mod constructors;
mod forward;
mod method;
mod shape;
mod supertraits;

use self::shape::{Forwarded, Paths, Shape, Super};
use super::args::{self, Args};
use super::bound;
use crate::errors::Errors;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, quote};
use syn::{ImplItem, ItemImpl, ItemTrait, TraitItem, TypeParamBound};

/// Input: `#[async_trait(native, ..)] trait Store { .. }`.
/// Output: the rewritten trait, then its companion (see [`companion`]).
pub(crate) fn expand_trait(mut item: ItemTrait, args: &Args, errors: &mut Errors) -> TokenStream {
    let implied = bound::implied_by_trait(&item);
    let supers = native_supertraits(&item, &args.native_supertraits, errors);
    let reasons = method::left_out_all(&item);
    let item_generics_empty = item.generics.params.is_empty();
    let mut forwarded = Vec::new();
    let mut left_out: Vec<(Ident, String)> = Vec::new();
    let methods = item.items.iter_mut().filter_map(|inner| match inner {
        TraitItem::Fn(method) => Some(method),
        _ => None,
    });
    for (method, out) in methods.zip(reasons) {
        let is_async = method.sig.asyncness.is_some();
        let over = args::take_method_override(&mut method.attrs, is_async, errors);
        let mode = over.unwrap_or(args.mode);
        let mut written = method.sig.clone();
        let self_bound = if is_async {
            method::rewrite(method, mode, implied)
        } else {
            None
        };
        if let Some(out) = out {
            if !out.already_sized {
                method::bound_sized(&mut method.sig, out.span);
            }
            left_out.push((method.sig.ident.clone(), out.reason));
            continue;
        }
        // A trait's generics are captured by every future, and would need bounds by the
        // receiver's lifetime that the companion's impls cannot state.
        let direct = item_generics_empty && method::single_borrow(&written);
        let written_names = method::forwarding_names(&mut written);
        let mut native = method.sig.clone();
        let native_names = method::forwarding_names(&mut native);
        let cfgs = method.attrs.iter().filter(|a| method::is_cfg(a));
        forwarded.push(Forwarded {
            cfgs: cfgs.cloned().collect(),
            mode: is_async.then_some(mode),
            written,
            written_names,
            native,
            native_names,
            self_bound,
            direct,
        });
    }
    let paths = Paths {
        boxed: args.box_path(),
    };
    let shape = Shape::new(&item, &paths, supers);
    let companion = companion::expand(shape, &forwarded, &left_out, implied);
    quote!(#item #companion)
}

/// The supertraits `native_supertraits(..)` names, found among the trait's bounds (each
/// one that is not is an error).
fn native_supertraits(item: &ItemTrait, named: &[syn::Path], errors: &mut Errors) -> Vec<Super> {
    let mut supers = Vec::new();
    for path in named {
        let Some(wanted) = path.segments.last() else {
            continue;
        };
        let found = item.supertraits.iter().find_map(|bound| match bound {
            TypeParamBound::Trait(bound)
                if bound.path.segments.last().map(|s| &s.ident) == Some(&wanted.ident) =>
            {
                Some(bound)
            }
            _ => None,
        });
        match found {
            Some(bound) => supers.push(supertraits::super_of(bound)),
            None => errors.push(syn::Error::new_spanned(
                path,
                format!(
                    "`{}` is not a supertrait of `{}`: `native_supertraits(..)` names \
                     supertraits that are `#[async_trait(native)]` traits themselves",
                    wanted.ident, item.ident
                ),
            )),
        }
    }
    supers
}

/// `native` on an impl: an error, and the impl as written (less any per-method
/// `#[async_trait(..)]`, which would fail on its own), so that the compiler still checks it.
pub(crate) fn expand_impl(mut item: ItemImpl, native: Span, errors: &mut Errors) -> TokenStream {
    errors.push(syn::Error::new(
        native,
        "`native` goes on the trait only: an impl of a `native` trait needs no attribute, \
         write plain `async fn` in it and remove this `#[async_trait(native)]`",
    ));
    for inner in &mut item.items {
        if let ImplItem::Fn(method) = inner {
            method.attrs.retain(|attr| !args::is_method_override(attr));
        }
    }
    item.into_token_stream()
}

#[cfg(test)]
mod tests {
    use quote::quote;

    fn count(haystack: &str, needle: &str) -> usize {
        haystack.matches(needle).count()
    }

    #[test]
    fn mistakes_come_with_the_rewritten_trait_and_its_companion() {
        let out = crate::async_trait::expand(
            quote!(native, bogus, native_supertraits(Missing)),
            quote!(
                trait Store {
                    async fn get(&self) -> u8;
                }
            ),
        )
        .to_string();
        // One error per mistake, and the items an IDE keeps analysing.
        assert_eq!(count(&out, "compile_error"), 2, "{out}");
        assert!(out.contains("unknown option `bogus`"), "{out}");
        assert!(
            out.contains("`Missing` is not a supertrait of `Store`"),
            "{out}"
        );
        assert!(out.contains("trait Store"), "{out}");
        assert!(out.contains("trait DynStore"), "{out}");
    }

    #[test]
    fn native_on_an_impl_is_one_error_and_the_impl_as_written() {
        let out = crate::async_trait::expand(
            quote!(native),
            quote!(
                impl Store for Memory {
                    #[async_trait(?Send)]
                    async fn get(&self) -> u8 {
                        1
                    }
                }
            ),
        )
        .to_string();
        assert_eq!(count(&out, "compile_error"), 1, "{out}");
        assert!(out.contains("async fn get"), "{out}");
        // The per-method override is dropped: it would be an error of its own.
        assert!(!out.contains("? Send"), "{out}");
    }
}
