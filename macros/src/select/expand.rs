//! Code generation: turns a checked [`Select`] into one expression.
//!
//! Shape of the output (names in `<>` come from `crate::names`: hygienic and prefixed):
//!
//! ```text
//! {
//!     use Outcome::{L as __PatienceWonL, R as __PatienceWonR};  // from the support module
//!     use Node::{L as __PatienceL, R as __PatienceR};         // when n > 1
//!     match {
//!         let <state> = State::<{ words(n) }, _>::new(        // all conditions first
//!             [<condition_i or true>, …], <order>);            // (new_tracked, above 12)
//!         let <out> = select::new(                           // a `Tree` future
//!             ((<expr_0>,), ((<expr_1>,), …)),                // balanced tree of pairs of
//!                                                             // `(future,)` leaves, each
//!                                                             // through `checked_branch`
//!             <state>,
//!             move |<list>, <state>, <cx>| { split the tree; the ring of poll steps },
//!         ).await;                                            // the futures drop here
//!         <out>
//!     } {
//!         // Branch i's value sits at the end of a path of L/R through a balanced tree.
//!         __PatienceWonL(__PatienceR(<pattern_1>)) => <handler_1>,  // root: Outcome's L/R
//!         …                                                   // outside any closure
//!         Outcome::Disabled => <else, or the panic>,
//!         [Outcome::Default => <default>,]
//!     }
//! }
//! ```
//!
//! `select::new` fixes the poll closure's whole signature from the tree's type (trait
//! `Outputs`: a leaf `(F,)` gives `F::Output`, a pair a `Node` of its halves), so type
//! checking never infers the outcome type from the values the steps return.
//!
//! The poll steps form a ring: each poll starts at the branch the state's order gives
//! (`start`) and wraps around. The ring is a chain of nested labeled blocks: a `match` on
//! the start breaks out of block `start`, after which the steps run in order; a second
//! pass runs from 0 up to the start. For a constant start (`biased`) the optimizer folds
//! the chain into straight-line code. Above 12 branches each step is also guarded by
//! "this branch was woken" and polls with the branch's own waker.
//!
//! The poll loop never binds a user pattern: it tests a ready value with
//! `match value { <pattern> if { hit = true; false } => unreachable(), _ => {} }`. A guard
//! sees the bindings only by reference and is false, so the value is not moved, and the
//! test type-checks exactly as the final `match` will (same pattern, same scrutinee type,
//! by value), whatever `mut`, `ref` or `&` the pattern contains.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::Pat;
use syn::spanned::Spanned as _;

use crate::names;
use crate::tree::{split_tree, tree};

use super::model::{Branch, Order, Select};

/// Selects with more branches than this give each branch its own waker (a block leased
/// from a pool on the first poll), so that a poll after a wake-up polls only the woken
/// branches: K + 1 branch polls when one of K pending branches is woken. Smaller selects
/// poll every enabled branch on every poll, with no lease and no atomics. Both sides of
/// the trade-off are measured in `benches/peers` (BENCHMARKS.md).
const TRACK_ABOVE: usize = 12;

/// The generated names of one expansion and what every step needs to know.
struct Names {
    /// The support module, imported into the expansion's block under this alias.
    alias: Ident,
    polled: Ident,
    hit: Ident,
    value: Ident,
    out: Ident,
    list: Ident,
    state: Ident,
    cx: Ident,
    start: Ident,
    lo: Ident,
    hi: Ident,
    leaves: Vec<Ident>,
    /// With `patience::watch`: the watch in the state, and its site.
    watch: Option<(Ident, Ident)>,
}

impl Names {
    fn new(n: usize, watch: Option<Ident>) -> Names {
        Names {
            alias: names::local("select"),
            polled: names::local("polled"),
            hit: names::local("hit"),
            value: names::local("value"),
            out: names::local("out"),
            list: names::local("list"),
            state: names::local("state"),
            cx: names::local("cx"),
            start: names::local("start"),
            lo: names::local("lo"),
            hi: names::local("hi"),
            leaves: (0..n).map(|i| names::indexed("leaf", i)).collect(),
            watch: watch.map(|site| (names::local("watch"), site)),
        }
    }
}

/// Input: a checked select and the path of the patience crate. Output: one expression.
pub(crate) fn expand(select: Select, krate: &TokenStream, watch: Option<&str>) -> TokenStream {
    if select.branches.is_empty() {
        // Checked by the model: only `else` was given, and it runs at once.
        let handler = select
            .else_handler
            .expect("model: a select without branches has an `else`");
        return quote! { match () { () => #handler } };
    }
    let n = select.branches.len();
    let site = watch.map(|name| watch_site(&select, krate, name));
    let names = Names::new(n, site.as_ref().map(|(name, _)| name.clone()));
    let private = quote!(#krate::__private::select);
    let mut state_init = state_init(&select, &private);
    if let Some((_, site)) = &names.watch {
        state_init = quote! {
            (#state_init, #private::Watch::<{ #private::words(#n) }>::new(&#site))
        };
    }
    let site_item = site.map(|(_, item)| item);
    let tree = futures(&select.branches);
    let closure = poll_closure(&select, &names);
    let arms = arms(&select, &private);
    let Names {
        alias, out, state, ..
    } = &names;
    let node_import = (n > 1).then(|| {
        quote! {
            use #private::Node::{L as __PatienceL, R as __PatienceR};
        }
    });
    quote! {
        {
            #site_item
            #[allow(unused_imports)]
            use #private::Outcome::{L as __PatienceWonL, R as __PatienceWonR};
            #node_import
            match {
                #[allow(unused_imports)]
                use #private::{
                    self as #alias, Probe as __PatienceProbe, ProbeFused as _, ProbePlain as _,
                    unreachable as __patience_unreachable, IntoBranch as _, NotAFutureChild as _,
                    Argument as __PatienceArgument, checked_branch as __patience_checked_branch,
                };
                #[allow(unused_imports)]
                use ::core::{
                    option::Option::Some as __PatienceSome, task::Poll::Ready as __PatienceReady,
                };
                let #state = #state_init;
                // The closure holds no user code but the patterns of the pattern tests,
                // whose bindings are unused, and whose values need `mut` only for a
                // `ref mut` binding; a branch whose output is `!` makes its step
                // unreachable, which is not the user's mistake.
                #[allow(unused_mut, unused_variables, unused_assignments, unreachable_code)]
                let #out = #alias::new(#tree, #state, #closure).await;
                #out
            } {
                #arms
            }
        }
    }
}

/// Input: the conditions and the mode. Output: the select's state, made before any
/// future expression runs: every precondition in written order, the polling order, and
/// (above [`TRACK_ABOVE`] branches) the per-branch wakers.
fn state_init(select: &Select, private: &TokenStream) -> TokenStream {
    let n = select.branches.len();
    let enabled = names::local("enabled");
    // Only branches with a precondition cost anything at run time.
    let conditions: Vec<TokenStream> = select
        .branches
        .iter()
        .enumerate()
        .filter_map(|(i, branch)| {
            let condition = branch.condition.as_ref()?;
            Some(quote! { #enabled.keep_if(#i, #condition); })
        })
        .collect();
    let order = match &select.mode {
        Order::Fair => quote!(<#private::SelectDefault as ::core::default::Default>::default()),
        Order::Biased => quote!(#private::Biased),
        Order::RoundRobin(cursor) => quote!(#private::RoundRobin::new(#cursor)),
    };
    let words = quote!({ #private::words(#n) });
    let make = if n > TRACK_ABOVE {
        quote! { #private::State::<#words, _, #private::ChildWakers<#n, #words>>::new_tracked }
    } else {
        quote! { #private::State::<#words, _>::new }
    };
    quote! {{
        let mut #enabled = #private::Mask::<#words>::first(#n);
        #(#conditions)*
        #make(#enabled, #order)
    }}
}

/// Input: the branches. Output: the balanced tree of `(future,)` leaves the select
/// future owns, written in branch order (a tuple's fields are evaluated left to right,
/// so the future expressions run in written order). The tree is built inside the `let`
/// that awaits the select, so temporaries in the future expressions live until the
/// select is done (`() = &mut ready(())` works, as in tokio) and no copy of the
/// futures is made on the way.
fn futures(branches: &[Branch]) -> TokenStream {
    // Every token of the conversion is at the future expression, so that a branch whose
    // future is not a future gets one error, there (see `__private::argument`).
    let leaves: Vec<TokenStream> = branches
        .iter()
        .map(|branch| {
            let at = Span::mixed_site().located_at(branch.future.span());
            let future = &branch.future;
            quote_spanned! {at=>
                (__patience_checked_branch(__PatienceArgument(#future).__patience_branch()),)
            }
        })
        .collect();
    tree(&leaves)
}

/// Input: the select. Output: the capture-free poll function: split the tree into one
/// pinned leaf per branch, run the ring of steps, then return `Pending`, or the
/// outcome of "nothing is ready" (`default`) or "every branch is disabled".
fn poll_closure(select: &Select, names: &Names) -> TokenStream {
    let Names {
        alias,
        polled,
        hit,
        list,
        state,
        cx,
        start,
        ..
    } = names;
    let n = select.branches.len();
    let mut splits = TokenStream::new();
    split_tree(&quote!(#alias), list, 0, n, &names.leaves, &mut splits);
    let begin = if n > TRACK_ABOVE {
        quote!(#state.tracked(#cx))
    } else {
        quote!(#state.shared(#cx))
    };
    let outcome = quote!(#alias::Outcome);
    let has_default = select.default_handler.is_some();
    // Every branch disabled: `else` if given, otherwise `default` if given, otherwise
    // the panic in the `Disabled` arm.
    let when_disabled = if select.else_handler.is_none() && has_default {
        quote!(::core::task::Poll::Ready(#outcome::Default))
    } else {
        quote!(::core::task::Poll::Ready(#outcome::Disabled))
    };
    let when_pending = if has_default {
        quote!(::core::task::Poll::Ready(#outcome::Default))
    } else {
        quote!(::core::task::Poll::Pending)
    };
    let steps: Vec<TokenStream> = (0..n).map(|i| step(select, names, i)).collect();
    let ring = ring(&steps, names);
    let (unpack, mark_pending) = match &names.watch {
        Some((watch, _)) => (
            quote! {
                let (#state, #watch) = #state;
                let mut #watch = #watch.begin();
            },
            (!has_default).then(|| quote! { #watch.pending(); }),
        ),
        None => (TokenStream::new(), None),
    };
    quote! {
        move |#list, #state, #cx| {
            #unpack
            #splits
            // Set by a pattern test that matches; the branch then returns.
            let mut #hit = false;
            let mut #polled = #begin;
            let #start: ::core::primitive::usize = #polled.start(#n);
            #ring
            if #polled.any() {
                #mark_pending
                #when_pending
            } else {
                #when_disabled
            }
        }
    }
}

/// Input: one step per branch. Output: the steps as a ring that starts at `start`:
/// branches `start..n`, then `0..start`, one copy of each step in a chain of nested
/// labeled blocks. A `match` jumps to the end of block `from`, after which the steps
/// follow one another; before step `i`, `if to == i` leaves the chain. Each guard
/// compares with a constant and is almost never taken, so the only unpredictable branch
/// per pass is the jump into the chain.
fn ring(steps: &[TokenStream], names: &Names) -> TokenStream {
    let Names { start, lo, hi, .. } = names;
    let n = steps.len();
    if n == 1 {
        return steps[0].clone();
    }
    let label = |i: usize| names::label(&format!("step_{i}"));
    let chain_label = names::label("chain");
    let targets = (0..n).map(|i| {
        let label = label(i);
        if i + 1 == n {
            quote! { _ => break #label, }
        } else {
            let i_lit = Literal::usize_unsuffixed(i);
            quote! { #i_lit => break #label, }
        }
    });
    let mut chain = quote! { match #lo { #(#targets)* } };
    for (i, step) in steps.iter().enumerate() {
        let label = label(i);
        let guard = (i > 0).then(|| {
            let i_lit = Literal::usize_unsuffixed(i);
            quote! { if #hi == #i_lit { break #chain_label; } }
        });
        chain = quote! {
            #label: { #chain }
            #guard
            #step
        };
    }
    quote! {
        let (mut #lo, mut #hi): (::core::primitive::usize, ::core::primitive::usize) =
            (#start, #n);
        loop {
            #chain_label: { #chain }
            if #lo == 0 {
                break;
            }
            #hi = #lo;
            #lo = 0;
        }
    }
}

/// Input: branch `i`. Output: its step in the poll function: poll it (if enabled, and
/// woken for a tracked select), test a ready value against its pattern, and return the
/// winner's value at the end of its path through the outcome tree.
fn step(select: &Select, names: &Names, i: usize) -> TokenStream {
    let Names {
        polled, hit, value, ..
    } = names;
    let n = select.branches.len();
    let leaf = &names.leaves[i];
    let i_lit = Literal::usize_unsuffixed(i);
    let won = tree_path(i, n, quote!(#value));
    let win = quote! {
        #polled.won(#i_lit);
        return __PatienceReady(#won);
    };
    let pat = &select.branches[i].pat;
    let on_ready = if matches!(pat, Pat::Wild(_)) {
        win
    } else {
        quote! {
            match #value {
                #pat if { #hit = true; false } => __patience_unreachable(),
                _ => {}
            }
            if #hit {
                #win
            }
        }
    };
    // The `if true` unifies the branch's output with `!`, as a `match` with a diverging
    // arm would: an output nothing constrains (`poll_fn(|_| panic!())`, a future that
    // is not one) then gets the never-type fallback, as in tokio's expansion, instead
    // of "type annotations needed". `mut`: a `ref mut` binding in the pattern test
    // borrows the value mutably.
    let mut poll = quote! {
        #polled.poll(
            #i_lit,
            (&__PatienceProbe(&#leaf)).__patience_is_terminated(),
            &mut #leaf,
        )
    };
    if let Some((watch, _)) = &names.watch {
        // The poll runs inside a frame that names this branch for `patience::watch`.
        poll = quote! {{
            #watch.child(#i_lit);
            let #value = #poll;
            #watch.after(#i_lit, #value.is_some());
            #value
        }};
    }
    quote! {
        if let __PatienceSome(#value) = #poll {
            let mut #value = if true { #value } else { __patience_unreachable() };
            #on_ready
        }
    }
}

/// Input: the select and its macro's name. Output: the `static` that names the call and
/// its branches for `patience::watch` (located at the first branch, and each branch at
/// its future expression), and the static's name.
fn watch_site(select: &Select, krate: &TokenStream, name: &str) -> (Ident, TokenStream) {
    let children: Vec<(&dyn quote::ToTokens, Span)> = select
        .branches
        .iter()
        .map(|branch| (&branch.future as &dyn quote::ToTokens, branch.future.span()))
        .collect();
    crate::watch::site(krate, name, select.branches[0].pat.span(), &children)
}

/// Input: the select. Output: the arms of the final `match`, where patterns bind and
/// handlers run, after every branch future was dropped.
fn arms(select: &Select, private: &TokenStream) -> TokenStream {
    let n = select.branches.len();
    let outcome = quote!(#private::Outcome);
    let branches = select.branches.iter().enumerate().map(|(i, branch)| {
        let pat = &branch.pat;
        let handler = &branch.handler;
        let won = tree_path(i, n, quote!(#pat));
        quote! { #won => #handler, }
    });
    let disabled = match &select.else_handler {
        Some(handler) => quote! { #outcome::Disabled => #handler, },
        None => quote! { #outcome::Disabled => #private::all_disabled(), },
    };
    let default = select
        .default_handler
        .as_ref()
        .map(|handler| quote! { #outcome::Default => #handler, });
    quote! {
        #(#branches)*
        #disabled
        #default
        #[allow(unreachable_patterns)]
        _ => #private::unreachable(),
    }
}

/// Wraps `leaf` (a value or a pattern) in the path that leads to branch `index` in a
/// balanced binary tree over `0..n` of `Node::L`/`Node::R` variants (imported into the
/// expansion's block as `__PatienceL`/`__PatienceR`), under the root's
/// `Outcome::L`/`Outcome::R` (imported as `__PatienceWonL`/`__PatienceWonR`): the root
/// step is the outcome's own variant, one constructor less per branch. A single branch
/// is `Outcome::L(leaf)`.
///
/// The output is a tree rather than one enum with a variant per branch because type
/// inference of an `n`-parameter enum named `n` times costs O(n²) variables and grows
/// much faster than that in practice; the tree costs O(log n) per mention.
fn tree_path(index: usize, n: usize, leaf: TokenStream) -> TokenStream {
    let (mut lo, mut hi) = (0, n);
    let mut steps = Vec::new();
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        let left = index < mid;
        steps.push(match (steps.is_empty(), left) {
            (true, true) => quote!(__PatienceWonL),
            (true, false) => quote!(__PatienceWonR),
            (false, true) => quote!(__PatienceL),
            (false, false) => quote!(__PatienceR),
        });
        if left {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    if steps.is_empty() {
        steps.push(quote!(__PatienceWonL));
    }
    steps
        .iter()
        .rev()
        .fold(leaf, |inner, step| quote!(#step(#inner)))
}
