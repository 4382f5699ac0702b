//! Code generation: turns a checked [`Select`] into one expression.
//!
//! Shape of the output (names in `<>` are hygienic locals, invisible to user code):
//!
//! ```text
//! {
//!     use Outcome::{L as __PatienceWonL, R as __PatienceWonR};  // from the support module
//!     use Node::{L as __PatienceL, R as __PatienceR};         // when n > 1
//!     match {
//!         let <state> = Enabled::new([<condition_i or true>, …]);  // all conditions first
//!                                         // (with BranchWakers::new(), above 12 branches)
//!         let (<fut_i>, …) = (<expr_i>, …);                   // one `let`: lifetime extension
//!         [let <cursor>: &mut usize = <round_robin cursor>;]
//!         let <out> = select::new(                           // a `Select` future
//!             ((into_future(<fut_0>),), ((into_future(<fut_1>),), …)),  // balanced tree of
//!                                                             // pairs of `(future,)` leaves
//!             <state>,
//!             move |<list>, <state>, <cx>| { split the tree; … poll steps … },
//!         ).await;                                            // the futures drop here
//!         <out>
//!     } {
//!         // Branch i's value sits at the end of a path of L/R through a balanced tree
//!         // (the variants are imported into the block: shorter output).
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
//! checking never infers the outcome type from the values the steps return: with 32
//! branches that inference was about half of the select's type-checking time.
//!
//! The poll closure captures nothing but the round-robin cursor. Its steps are
//! straight-line code in written order for `biased` (and for a single branch). For `fair`
//! and `round_robin` they form a chain of nested labeled blocks: a `match` on the start
//! index breaks out of block `start`, after which the steps run in order; a second pass
//! runs from 0 up to the start. Above 12 branches each step is also guarded by "this
//! branch was woken" and polls with the branch's own waker.
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

use super::model::{Mode, Select};

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
        if index < mid {
            steps.push(quote!(__PatienceL));
            hi = mid;
        } else {
            steps.push(quote!(__PatienceR));
            lo = mid;
        }
    }
    match steps.first_mut() {
        Some(root) => {
            let root_step = if root.to_string() == "__PatienceL" {
                quote!(__PatienceWonL)
            } else {
                quote!(__PatienceWonR)
            };
            *root = root_step;
        }
        None => steps.push(quote!(__PatienceWonL)),
    }
    steps
        .iter()
        .rev()
        .fold(leaf, |inner, step| quote!(#step(#inner)))
}

/// Selects with more branches than this give each branch its own waker (a block leased
/// from a free list on the first poll), so that a poll after a wake-up polls only the
/// woken branches: K + 1 branch polls when one of K pending branches is woken. Smaller
/// selects poll every enabled branch on every poll, with no lease and no atomics.
/// Measured with `benches/peers` (fair mode, one of K pending gates woken, ratio to
/// `tokio::select!` in the same run): at K = 8, polling every branch 0.77x; at K = 32,
/// per-branch wakers 0.83x with K + 1 polls, polling every branch 0.86x with 1.5 K polls.
/// Per-branch wakers with reference-counted blocks were 1.8x: hence the free list.
/// Biased selects never use them: polling in written order, the lease cost more than
/// the polls it saved (K = 32 against `futures::select_biased!`: 1.16x to 1.23x with
/// per-branch wakers, 0.80x to 0.90x without).
const TRACK_ABOVE: usize = 12;

pub(crate) fn expand(select: Select) -> TokenStream {
    let Select {
        mode,
        branches,
        else_handler,
        default_handler,
    } = select;

    if branches.is_empty() {
        // Checked by the model: only `else` was given, and it runs at once.
        let handler = else_handler.expect("model: a select without branches has an `else`");
        return quote! { match () { () => #handler } };
    }

    let n = branches.len();
    let words = n.div_ceil(32);
    let tracked = n > TRACK_ABOVE && !matches!(mode, Mode::Biased);
    let private = quote!(::patience::__private::select);
    let output = quote!(#private::Outcome);
    let local = names::local;
    let cx = local("cx");
    // Aliases the expansion imports into its block, to keep the output short.
    let alias = Ident::new("__patience_select", Span::call_site());
    let some = Ident::new("__PatienceSome", Span::call_site());
    let ready = Ident::new("__PatienceReady", Span::call_site());
    let polled = local("polled");
    let hit = local("hit");
    let value = local("value");
    let out = local("out");
    let list = local("list");
    let state = local("state");
    let cursor = local("cursor");
    let start = local("start");
    let lo = local("lo");
    let hi = local("hi");

    let futs: Vec<Ident> = (0..n).map(|i| names::indexed("fut", i)).collect();
    let leaves: Vec<Ident> = (0..n).map(|i| names::indexed("leaf", i)).collect();
    let has_default = default_handler.is_some();

    // 1. Conditions, all of them (in order) before any future expression.
    let conditions = branches.iter().map(|branch| match &branch.condition {
        Some(condition) => quote!(#condition),
        None => quote!(true),
    });

    // 2. Future expressions in one `let`, then moved into the tree of the select future.
    let exprs = branches.iter().map(|branch| &branch.future);
    let into_futures: Vec<TokenStream> = branches
        .iter()
        .zip(&futs)
        .map(|(branch, fut)| {
            quote_spanned! {branch.future.span()=>
                (::core::future::IntoFuture::into_future(#fut),)
            }
        })
        .collect();
    let tree = tree(&into_futures);
    let mut splits = TokenStream::new();
    split_tree(&quote!(#alias), &list, 0, n, &leaves, &mut splits);

    let cursor_binding = match &mode {
        Mode::RoundRobin(expr) => quote! {
            let #cursor: &mut ::core::primitive::usize = #expr;
        },
        _ => TokenStream::new(),
    };

    // 3. The step for one branch inside the poll function.
    let step = |i: usize| -> TokenStream {
        let leaf = &leaves[i];
        let i_lit = Literal::usize_unsuffixed(i);
        let advance_cursor = match &mode {
            Mode::RoundRobin(_) => {
                let next = Literal::usize_unsuffixed(i + 1);
                quote! { *#cursor = #next; }
            }
            _ => TokenStream::new(),
        };
        let won = tree_path(i, n, quote!(#value));
        let win = quote! {
            #advance_cursor
            return #ready(#won);
        };
        let on_ready = if matches!(branches[i].pat, Pat::Wild(_)) {
            win
        } else {
            let pat = &branches[i].pat;
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
        // `mut`: a `ref mut` binding in the pattern test borrows the value mutably.
        quote! {
            if let #some(mut #value) = #polled.poll(
                #i_lit,
                (&__PatienceProbe(&#leaf)).__patience_is_terminated(),
                &mut #leaf,
            ) {
                #on_ready
            }
        }
    };

    let start_expr = match &mode {
        Mode::Biased => None,
        _ if n == 1 => None,
        Mode::Fair => Some(quote!(#private::random_start(#n))),
        Mode::RoundRobin(_) => Some(quote!(*#cursor % #n)),
    };
    let state_init = if tracked {
        quote! {
            (
                #private::Enabled::<#words>::new([#(#conditions,)*]),
                #private::BranchWakers::<#n, #words>::new(),
            )
        }
    } else {
        quote! { #private::Enabled::<#words>::new([#(#conditions,)*]) }
    };
    let take_state = if tracked {
        quote! {
            let mut #polled = #alias::WokenBranches::new(#state, #cx);
        }
    } else {
        quote! { let mut #polled = #alias::Branches::new(#state, #cx); }
    };
    let poll_section = match start_expr {
        // Written order: straight-line code, no dispatch.
        None => {
            let steps = (0..n).map(step);
            quote! {
                #take_state
                #(#steps)*
            }
        }
        // Branches `start..n`, then `0..start`: one copy of each step in a chain of
        // nested labeled blocks. A `match` jumps to the end of block `from`, after
        // which the steps follow one another; before step `i`, `if to == i` leaves
        // the chain. The first pass runs `start..n`, the second `0..start`. Each
        // guard compares with a constant and is almost never taken, so the only
        // unpredictable branch per pass is the jump into the chain.
        Some(start_expr) => {
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
            for i in 0..n {
                let label = label(i);
                let step = step(i);
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
                #take_state
                let #start: ::core::primitive::usize = #start_expr;
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
    };

    // Every branch disabled: `else` if given, otherwise `default` if given, otherwise
    // the panic in the `__Disabled` arm.
    let when_disabled = if else_handler.is_none() && has_default {
        quote!(::core::task::Poll::Ready(#output::Default))
    } else {
        quote!(::core::task::Poll::Ready(#output::Disabled))
    };
    let when_pending = if has_default {
        quote!(::core::task::Poll::Ready(#output::Default))
    } else {
        quote!(::core::task::Poll::Pending)
    };

    // 4. The final match, where patterns bind and handlers run.
    let arms = branches.iter().enumerate().map(|(i, branch)| {
        let pat = &branch.pat;
        let handler = &branch.handler;
        let won = tree_path(i, n, quote!(#pat));
        quote! { #won => #handler, }
    });
    let disabled_arm = match &else_handler {
        Some(handler) => quote! { #output::Disabled => #handler, },
        None => quote! { #output::Disabled => #private::all_disabled(), },
    };
    let default_arm = default_handler.map(|handler| quote! { #output::Default => #handler, });

    let node_import = (n > 1).then(|| {
        quote! {
            use #private::Node::{L as __PatienceL, R as __PatienceR};
        }
    });

    quote! {
        {
            #[allow(unused_imports)]
            use #output::{L as __PatienceWonL, R as __PatienceWonR};
            #node_import
            match {
                #[allow(unused_imports)]
                use #private::{
                    self as #alias, Probe as __PatienceProbe, ProbeFused as _, ProbePlain as _,
                    unreachable as __patience_unreachable,
                };
                #[allow(unused_imports)]
                use ::core::{
                    option::Option::Some as #some, task::Poll::Ready as #ready,
                };
                let #state = #state_init;
                let (#(#futs,)*) = (#(#exprs,)*);
                #cursor_binding
                // The closure holds no user code but the patterns of the pattern tests,
                // whose bindings are unused, and whose values need `mut` only for a
                // `ref mut` binding.
                #[allow(unused_mut, unused_variables)]
                let #out = #alias::new(
                    #tree,
                    #state,
                    move |#list, #state, #cx| {
                        #splits
                        // Set by a pattern test that matches; the branch then returns.
                        let mut #hit = false;
                        #poll_section
                        if #polled.any() {
                            #when_pending
                        } else {
                            #when_disabled
                        }
                    },
                )
                .await;
                #out
            } {
                #(#arms)*
                #disabled_arm
                #default_arm
                #[allow(unreachable_patterns)]
                _ => #private::unreachable(),
            }
        }
    }
}
