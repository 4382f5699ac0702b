//! Expanding a parsed `join!`/`try_join!` into one future, then `.await`ing it.
//!
//! Shape of the expansion (for `join!(a, b, c)`, names simplified):
//!
//! ```text
//! match () { #[allow(unreachable_code)] () => match (into_future(a), into_future(b), into_future(c)) {
//!     (f0, f1, f2) => Join::new(
//!         (Slot::new(f0), (Slot::new(f1), Slot::new(f2))),   // balanced tree of pairs
//!         PollAll::new(3),                                    // or Tracked::<K, W, BIASED>::new()
//!         |list, state, cx| { /* split the tree, poll the children, take the outputs */ },
//!     ).await,
//! } }
//! ```
//!
//! - The arguments are evaluated in written order by the scrutinee tuple, and temporaries
//!   in them live until the join finishes (match scrutinee), so `join!(&mut ready(1))`
//!   works.
//! - Every name the expansion introduces has `Span::mixed_site()` hygiene, so user local
//!   variables cannot interfere, and a `__patience_` prefix: hygiene does not cover items,
//!   and a user `const` with the same name as a binding would turn it into a constant
//!   pattern (tokio's `COUNT` bug). Paths are absolute (`::core`, `::patience`), so a user
//!   type `Option` or module `core` changes nothing.
//! - Code that can be type-checked against one argument (`into_future`, the slot
//!   constructor, returning its error) carries that argument's span, so type errors point
//!   at it.
//! - The outer `match ()` arm carries `#[allow(unreachable_code)]`: a `!`-typed argument
//!   or output makes parts of the expansion unreachable, which is not the user's mistake.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::names;
use crate::tree::{split_tree, tree};

use super::Kind;
use super::model::JoinInput;

/// Joins with more children than this give each child its own waker and poll only the
/// woken ones; smaller joins poll every unfinished child on every wake-up (no allocation,
/// no atomics). Measured on cheap children woken one at a time (release, ns per join,
/// poll-all / tracked): K = 8: 384 / 675, K = 12: 840-1046 / 921-1150 (a tie),
/// K = 16: 1600 / 1330, K = 32: 5472 / 2255.
const TRACK_ABOVE: usize = 12;

pub(crate) fn expand(kind: Kind, input: &JoinInput) -> TokenStream {
    let count = input.futures.len();
    if count == 0 {
        return match kind {
            Kind::Join => quote! { ::core::future::ready(()).await },
            Kind::TryJoin => quote! {
                ::core::future::ready(::core::result::Result::Ok(())).await
            },
        };
    }

    let private = quote! { ::patience::__private::join };
    let spans: Vec<Span> = input.futures.iter().map(|e| e.span()).collect();
    let raw_futures: Vec<_> = spans
        .iter()
        .enumerate()
        .map(|(i, &span)| names::indexed_at("f", i, span))
        .collect();
    let leaves: Vec<_> = spans
        .iter()
        .enumerate()
        .map(|(i, &span)| names::indexed_at("s", i, span))
        .collect();
    let list = names::local("list");
    let state = names::local("state");
    let cx = names::local("cx");
    let finished = names::local("finished");

    let into_futures = input.futures.iter().zip(&spans).map(|(expr, &span)| {
        quote_spanned! {span=> ::core::future::IntoFuture::into_future(#expr) }
    });
    let slots: Vec<TokenStream> = raw_futures
        .iter()
        .zip(&spans)
        .map(|(future, &span)| {
            let at = Span::mixed_site().located_at(span);
            // The path is written out (not `#private`) so that all of the call carries
            // the argument's location.
            match kind {
                Kind::Join => quote_spanned! {at=>
                    ::patience::__private::join::Slot::new(#future)
                },
                Kind::TryJoin => quote_spanned! {at=>
                    ::patience::__private::join::Slot::new_try(#future)
                },
            }
        })
        .collect();
    let tree = tree(&slots);
    let mut splits = TokenStream::new();
    split_tree(&private, &list, 0, count, &leaves, &mut splits);

    let tracked = count > TRACK_ABOVE;
    let child_cx = if tracked {
        names::local("child_cx")
    } else {
        cx.clone()
    };
    let polls: Vec<TokenStream> = (0..count)
        .map(|i| poll_child(kind, &leaves[i], spans[i], &child_cx, &finished))
        .collect();

    let (state_init, poll_section) = if tracked {
        let words = count.div_ceil(32);
        let biased = input.biased;
        let woken = names::local("woken");
        let index = names::local("i");
        let waker = names::local("waker");
        let dispatch = dispatch_tree(
            &private,
            quote!(#list.as_mut()),
            0..count,
            &index,
            &leaves,
            &polls,
        );
        (
            quote! { #private::Tracked::<#count, #words, #biased>::new() },
            quote! {
                let mut #woken = #state.woken(#cx);
                while let ::core::option::Option::Some(#index) = #woken.next() {
                    let #waker = #woken.waker(#index);
                    let #child_cx = &mut ::core::task::Context::from_waker(&#waker);
                    #dispatch
                }
            },
        )
    } else if input.biased || count == 1 {
        let count = count as u32;
        (
            quote! { #private::PollAll::new(#count) },
            quote! { #(#polls)* },
        )
    } else {
        // Two unrolled passes (children from `start` up, then those below it): no loop,
        // no jump table, and each guard compares with a constant.
        let start = names::local("start");
        let from_start = polls.iter().enumerate().map(|(i, poll)| {
            let i = i as u32;
            if i == 0 {
                quote! { if #start == 0 { #poll } }
            } else {
                quote! { if #start <= #i { #poll } }
            }
        });
        // The last child is never below `start`.
        let below_start = polls[..count - 1].iter().enumerate().map(|(i, poll)| {
            let i = i as u32;
            quote! { if #start > #i { #poll } }
        });
        let count = count as u32;
        (
            quote! { #private::PollAll::new(#count) },
            quote! {
                let #start = #state.rotate(#count);
                #( #from_start )*
                #( #below_start )*
            },
        )
    };

    // A tracked join polls one child per wake-up: it reaches that child through the
    // pairs on its path only, and splits the whole tree once all children finished.
    // (Splitting it up front on every poll cost more than the poll itself at K = 32.)
    let (list_param, splits_before, splits_after) = if tracked {
        (quote!(mut #list), TokenStream::new(), splits)
    } else {
        (quote!(#list), splits, TokenStream::new())
    };

    let takes = leaves.iter().zip(&spans).map(|(leaf, &span)| {
        let at = Span::mixed_site().located_at(span);
        quote_spanned! {at=> #leaf.take() }
    });
    let outputs = quote! { ( #( #takes, )* ) };
    let ready = match kind {
        Kind::Join => quote! { ::core::task::Poll::Ready(#outputs) },
        Kind::TryJoin => {
            quote! { ::core::task::Poll::Ready(::core::result::Result::Ok(#outputs)) }
        }
    };

    quote! {
        match () {
            #[allow(unreachable_code)]
            () => match ( #( #into_futures, )* ) {
                ( #( #raw_futures, )* ) => #private::Join::new(
                    #tree,
                    #state_init,
                    |#list_param, #state, #cx| {
                        #splits_before
                        let mut #finished: u32 = 0;
                        #poll_section
                        if !#state.settle(#finished) {
                            return ::core::task::Poll::Pending;
                        }
                        #splits_after
                        #ready
                    },
                )
                .await,
            },
        }
    }
}

/// Polls child `leaf` once, counting it in `finished` when it completes. For `try_join!`
/// an error returns from the poll function; that `return` carries the argument's span,
/// so an error type that differs from the others is reported at the argument.
fn poll_child(
    kind: Kind,
    leaf: &syn::Ident,
    span: Span,
    cx: &syn::Ident,
    finished: &syn::Ident,
) -> TokenStream {
    // Same hygiene as the other internal names, located at the argument: if its type is
    // wrong, follow-up errors from this code are reported there too.
    let at = Span::mixed_site().located_at(span);
    match kind {
        Kind::Join => quote_spanned! {at=>
            if #leaf.as_mut().poll_join(#cx) {
                #finished += 1;
            }
        },
        Kind::TryJoin => {
            let error = names::at("error", span);
            quote_spanned! {at=>
                match #leaf.as_mut().poll_try(#cx) {
                    ::core::result::Result::Ok(true) => #finished += 1,
                    ::core::result::Result::Ok(false) => {}
                    ::core::result::Result::Err(#error) => {
                        return ::core::task::Poll::Ready(::core::result::Result::Err(#error));
                    }
                }
            }
        }
    }
}

/// Polls child `index` (within `range`) of the pinned tree `node`, a binary search down
/// the tree: each step splits one pair and goes left if `index` is below the middle.
/// Mirrors [`tree`]; binds `leaves[i]` before `polls[i]`, as [`split_tree`] does.
fn dispatch_tree(
    private: &TokenStream,
    node: TokenStream,
    range: std::ops::Range<usize>,
    index: &syn::Ident,
    leaves: &[syn::Ident],
    polls: &[TokenStream],
) -> TokenStream {
    let (lo, hi) = (range.start, range.end);
    if hi - lo == 1 {
        let (leaf, poll) = (&leaves[lo], &polls[lo]);
        return quote! {{ let mut #leaf = #node; #poll }};
    }
    let mid = lo + (hi - lo) / 2;
    let left = names::local(&format!("d{lo}_{mid}"));
    let right = names::local(&format!("d{mid}_{hi}"));
    let go_left = dispatch_tree(private, quote!(#left), lo..mid, index, leaves, polls);
    let go_right = dispatch_tree(private, quote!(#right), mid..hi, index, leaves, polls);
    let mid = proc_macro2::Literal::usize_unsuffixed(mid);
    quote! {{
        let (#left, #right) = #private::split(#node);
        if #index < #mid { #go_left } else { #go_right }
    }}
}
