//! Expanding a parsed `join!`/`try_join!` into one future, then `.await`ing it.
//!
//! Shape of the expansion (for `join!(a, b, c)`, names simplified):
//!
//! ```text
//! match () { #[allow(unreachable_code)] () => Tree::new(
//!     (child(a), (child(b), child(c))),                // balanced tree of pairs
//!     Children::new(3, JoinDefault::default()),        // or TrackedChildren, Biased
//!     |list, state, cx| { /* split the tree, poll the children, take the outputs */ },
//! ).await }
//! ```
//!
//! - The tree lists the arguments in written order, so they are evaluated in that order,
//!   and temporaries in them live until the end of the arm, after the `.await`, so
//!   `join!(&mut ready(1))` works. Nothing else holds the children: the join future is
//!   as small as its tree.
//! - `child(a)` (or `try_child`) is where an argument must be a future: its result is an
//!   opaque `impl Child`, so a wrong argument gets one error, there, and nothing after it.
//! - Every name the expansion introduces comes from `crate::names` (hygienic and
//!   prefixed). Paths are absolute (`::core`, the patience path), so a user type
//!   `Option` or module `core` changes nothing.
//! - Code that can be type-checked against one argument (the child constructor, returning
//!   its error) carries that argument's span, so type errors point at it.
//! - The outer `match ()` arm carries `#[allow(unreachable_code)]`: a `!`-typed argument
//!   or output makes parts of the expansion unreachable, which is not the user's mistake.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::names;
use crate::tree::{split_tree, tree};

use super::Macro;
use super::model::JoinInput;

/// Joins with more children than this give each child its own waker and poll only the
/// woken ones; smaller joins poll every unfinished child on every wake-up (no lease, no
/// atomics). Both sides of the trade-off are measured in `benches/peers` (BENCHMARKS.md).
const TRACK_ABOVE: usize = 12;

/// The names of one expansion, and what every step needs to know.
struct Join {
    kind: Macro,
    /// The support module, `<krate>::__private::join`.
    private: TokenStream,
    /// One span per argument (its first token on stable).
    spans: Vec<Span>,
    /// The pinned leaves the tree of children is split into.
    leaves: Vec<Ident>,
    list: Ident,
    state: Ident,
    cx: Ident,
    finished: Ident,
    /// With `patience::watch`: the watch in the state, and the site `static`.
    watch: Option<(Ident, Ident, TokenStream)>,
}

/// Input: the parsed arguments. Output: one expression, the joined outputs.
pub(crate) fn expand(
    kind: Macro,
    krate: &TokenStream,
    input: &JoinInput,
    watch: bool,
) -> TokenStream {
    let count = input.futures.len();
    if count == 0 {
        return match kind {
            Macro::Join => quote! { ::core::future::ready(()).await },
            Macro::TryJoin => quote! {
                ::core::future::ready(::core::result::Result::Ok(())).await
            },
        };
    }
    let spans: Vec<Span> = input.futures.iter().map(Spanned::span).collect();
    let join = Join {
        kind,
        private: quote! { #krate::__private::join },
        leaves: (0..count)
            .map(|i| names::indexed_at("s", i, spans[i]))
            .collect(),
        spans,
        list: names::local("list"),
        state: names::local("state"),
        cx: names::local("cx"),
        finished: names::local("finished"),
        watch: watch.then(|| watch_site(kind, krate, input)),
    };
    join.expand(input)
}

/// Input: the arguments. Output: the names of the watch and of its site, and the site
/// `static` (located at the first argument, each child at its own).
fn watch_site(kind: Macro, krate: &TokenStream, input: &JoinInput) -> (Ident, Ident, TokenStream) {
    let children: Vec<(&dyn quote::ToTokens, Span)> = input
        .futures
        .iter()
        .map(|future| (future as &dyn quote::ToTokens, future.span()))
        .collect();
    let (site, item) = crate::watch::site(krate, kind.name(), children[0].1, &children);
    (names::local("watch"), site, item)
}

impl Join {
    /// Input: the arguments. Output: the whole expansion (see the module docs).
    fn expand(&self, input: &JoinInput) -> TokenStream {
        let Join {
            private,
            leaves,
            list,
            state,
            cx,
            finished,
            ..
        } = self;
        // The tree lists the children in argument order, and a tuple's fields are
        // evaluated left to right: the arguments run in written order.
        let tree = tree(&self.constructors(&input.futures).collect::<Vec<_>>());
        let tracked = leaves.len() > TRACK_ABOVE;
        let order = if input.biased {
            quote! { #private::Biased }
        } else {
            quote! { <#private::JoinDefault as ::core::default::Default>::default() }
        };
        let (state_init, list_param, body) = if tracked {
            let count = leaves.len();
            let init = quote! {
                #private::TrackedChildren::<#count, { #private::words(#count) }, _>::new(#order)
            };
            (init, quote!(mut #list), self.tracked_body())
        } else {
            let count = Literal::u32_unsuffixed(leaves.len() as u32);
            let init = quote! { #private::Children::new(#count, #order) };
            (init, quote!(#list), self.poll_all_body())
        };
        // Temporaries of the arguments live until the end of the arm, after the `.await`
        // (so `join!(&mut ready(1))` works).
        let into_child = match self.kind {
            Macro::Join => quote!(IntoChild),
            Macro::TryJoin => quote!(IntoTryChild),
        };
        let (site_item, state_init, unpack) = match &self.watch {
            Some((watch, site, item)) => {
                let count = leaves.len();
                let krate_watch = quote! { #private::Watch::<{ #private::words(#count) }> };
                (
                    item.clone(),
                    quote! { (#state_init, #krate_watch::new(&#site)) },
                    quote! {
                        let (#state, #watch) = #state;
                        let mut #watch = #watch.begin();
                    },
                )
            }
            None => (TokenStream::new(), state_init, TokenStream::new()),
        };
        quote! {{
            #site_item
            // Both traits: method lookup picks the first for a future, the second for
            // anything else (whose stand-in child fails `checked`: one error).
            #[allow(unused_imports)]
            use #private::{
                #into_child as _, NotAFutureChild as _, Argument as __PatienceArgument,
                checked as __patience_checked,
            };
            match () {
                #[allow(unreachable_code)]
                () => #private::Tree::new(
                    #tree,
                    #state_init,
                    |#list_param, #state, #cx| {
                        #unpack
                        let mut #finished: u32 = 0;
                        #body
                    },
                )
                .await,
            }
        }}
    }

    /// Input: the arguments. Output: `child(arg)` (or `try_child`) for each, spanned at
    /// the argument so that a non-future is reported there.
    fn constructors<'e>(
        &'e self,
        futures: &'e [syn::Expr],
    ) -> impl Iterator<Item = TokenStream> + 'e {
        futures.iter().zip(&self.spans).map(move |(expr, &span)| {
            let at = Span::mixed_site().located_at(span);
            let make = match self.kind {
                Macro::Join => quote_spanned!(at=> __patience_child),
                Macro::TryJoin => quote_spanned!(at=> __patience_try_child),
            };
            // Every token here is at the argument (the imported names are not paths that
            // start at the macro), so an error is reported at the argument alone.
            quote_spanned! {at=>
                __patience_checked(__PatienceArgument(#expr).#make())
            }
        })
    }

    /// Input: nothing. Output: the poll function's body for a join that polls every
    /// unfinished child: split the tree, two unrolled passes (children from `start` up,
    /// then those below it; each guard compares with a constant), then finish.
    fn poll_all_body(&self) -> TokenStream {
        let Join {
            state, list, cx, ..
        } = self;
        let mut splits = TokenStream::new();
        split_tree(
            &self.private,
            list,
            0,
            self.leaves.len(),
            &self.leaves,
            &mut splits,
        );
        let start = names::local("start");
        let count = self.leaves.len();
        let polls: Vec<TokenStream> = (0..count).map(|i| self.poll_child(i, cx)).collect();
        let from_start = polls.iter().enumerate().map(|(i, poll)| {
            let i_lit = Literal::u32_unsuffixed(i as u32);
            if i == 0 {
                quote! { if #start == 0 { #poll } }
            } else {
                quote! { if #start <= #i_lit { #poll } }
            }
        });
        // The last child is never below `start`.
        let below_start = polls[..count - 1].iter().enumerate().map(|(i, poll)| {
            let i = Literal::u32_unsuffixed(i as u32);
            quote! { if #start > #i { #poll } }
        });
        let count = Literal::u32_unsuffixed(count as u32);
        let finish = self.finish(TokenStream::new());
        quote! {
            #splits
            let #start: u32 = #state.start(#count);
            #( #from_start )*
            #( #below_start )*
            #finish
        }
    }

    /// Input: nothing. Output: the poll function's body for a join whose children have
    /// wakers of their own: poll each woken child, reached through the pairs on its path
    /// only, and split the whole tree once all children finished. (Splitting it up front
    /// on every poll cost more than the poll itself at K = 32.)
    fn tracked_body(&self) -> TokenStream {
        let Join {
            state, list, cx, ..
        } = self;
        let woken = names::local("woken");
        let index = names::local("i");
        let waker = names::local("waker");
        let child_cx = names::local("child_cx");
        let polls: Vec<TokenStream> = (0..self.leaves.len())
            .map(|i| self.poll_child(i, &child_cx))
            .collect();
        let dispatch = self.dispatch(quote!(#list.as_mut()), 0..self.leaves.len(), &index, &polls);
        let mut splits = TokenStream::new();
        split_tree(
            &self.private,
            list,
            0,
            self.leaves.len(),
            &self.leaves,
            &mut splits,
        );
        let finish = self.finish(splits);
        quote! {
            let mut #woken = #state.woken(#cx);
            while let ::core::option::Option::Some(#index) = #woken.next() {
                let #waker = #woken.waker(#index);
                let #child_cx = &mut ::core::task::Context::from_waker(&#waker);
                #dispatch
            }
            #finish
        }
    }

    /// Input: the statements that bind every leaf (empty if they are bound already).
    /// Output: `Pending` unless every child finished, else the outputs.
    fn finish(&self, splits: TokenStream) -> TokenStream {
        let Join {
            state, finished, ..
        } = self;
        let private = &self.private;
        let child = match self.kind {
            Macro::Join => quote!(Child),
            Macro::TryJoin => quote!(TryChild),
        };
        let takes = self.leaves.iter().zip(&self.spans).map(|(leaf, &span)| {
            let at = Span::mixed_site().located_at(span);
            quote_spanned! {at=> #private::#child::take(#leaf) }
        });
        let outputs = quote! { ( #( #takes, )* ) };
        let ready = match self.kind {
            Macro::Join => quote! { ::core::task::Poll::Ready(#outputs) },
            Macro::TryJoin => {
                quote! { ::core::task::Poll::Ready(::core::result::Result::Ok(#outputs)) }
            }
        };
        let mark_pending = self
            .watch
            .as_ref()
            .map(|(watch, _, _)| quote! { #watch.pending(); });
        quote! {
            if !#state.settle(#finished) {
                #mark_pending
                return ::core::task::Poll::Pending;
            }
            #splits
            #ready
        }
    }

    /// Input: child `i` and the context to poll it with. Output: one poll of its leaf,
    /// counting it in `finished` when it completes. For `try_join!` an error returns
    /// from the poll function; that `return` carries the argument's span, so an error
    /// type that differs from the others is reported at the argument.
    fn poll_child(&self, i: usize, cx: &Ident) -> TokenStream {
        let (leaf, finished) = (&self.leaves[i], &self.finished);
        let at = Span::mixed_site().located_at(self.spans[i]);
        let private = &self.private;
        let Some((watch, _, _)) = &self.watch else {
            return match self.kind {
                Macro::Join => quote_spanned! {at=>
                    if #private::Child::poll_child(#leaf.as_mut(), #cx) {
                        #finished += 1;
                    }
                },
                Macro::TryJoin => {
                    let error = names::at("error", self.spans[i]);
                    quote_spanned! {at=>
                        match #private::TryChild::poll_try(#leaf.as_mut(), #cx) {
                            ::core::result::Result::Ok(true) => #finished += 1,
                            ::core::result::Result::Ok(false) => {}
                            ::core::result::Result::Err(#error) => {
                                return ::core::task::Poll::Ready(::core::result::Result::Err(#error));
                            }
                        }
                    }
                }
            };
        };
        // With `patience::watch`, the frame names this child while it is polled.
        let i_lit = Literal::usize_unsuffixed(i);
        let done = names::local("done");
        let poll = match self.kind {
            Macro::Join => quote_spanned! {at=> #private::Child::poll_child(#leaf.as_mut(), #cx) },
            Macro::TryJoin => {
                let error = names::at("error", self.spans[i]);
                quote_spanned! {at=>
                    match #private::TryChild::poll_try(#leaf.as_mut(), #cx) {
                        ::core::result::Result::Ok(#done) => #done,
                        ::core::result::Result::Err(#error) => {
                            return ::core::task::Poll::Ready(::core::result::Result::Err(#error));
                        }
                    }
                }
            }
        };
        quote_spanned! {at=>
            #watch.child(#i_lit);
            let #done = #poll;
            #watch.after(#i_lit, #done);
            if #done {
                #finished += 1;
            }
        }
    }

    /// Input: the pinned subtree `node` over children `range`, the index to reach, and
    /// each child's poll. Output: a binary search down the tree (each step splits one
    /// pair and goes left if `index` is below the middle) ending in that child's poll,
    /// with its leaf bound as [`split_tree`] binds it.
    fn dispatch(
        &self,
        node: TokenStream,
        range: std::ops::Range<usize>,
        index: &Ident,
        polls: &[TokenStream],
    ) -> TokenStream {
        let (lo, hi) = (range.start, range.end);
        if hi - lo == 1 {
            let (leaf, poll) = (&self.leaves[lo], &polls[lo]);
            return quote! {{ let mut #leaf = #node; #poll }};
        }
        let mid = lo + (hi - lo) / 2;
        let left = names::local(&format!("d{lo}_{mid}"));
        let right = names::local(&format!("d{mid}_{hi}"));
        let go_left = self.dispatch(quote!(#left), lo..mid, index, polls);
        let go_right = self.dispatch(quote!(#right), mid..hi, index, polls);
        let private = &self.private;
        let mid = Literal::usize_unsuffixed(mid);
        quote! {{
            let (#left, #right) = #private::split(#node);
            if #index < #mid { #go_left } else { #go_right }
        }}
    }
}
