//! The future a `select!` or `join!` expands to, and pinned access to its children.
//!
//! The children live in one value `L`: a balanced binary tree of pairs
//! (`((c0, c1), (c2, (c3, c4)))`), of depth `log2(n)` for `n` children, so any number
//! of children makes a shallow type. [`Tree`] owns that value, a polling state `S`
//! (not pinned) and a capture-free poll function `F` written by the macro, which reaches
//! each child through [`split`] (both halves of a pinned pair) and [`leaf`] (a select's
//! `(future,)` leaves). The expansions hold no `unsafe`: the pin projections are here.

// The three pin projections below are this module's only `unsafe`.
#![allow(unsafe_code)]

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

/// The children `list`, the polling state and the macro-written poll function.
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Tree<L, S, F> {
    /// Structurally pinned: only ever reached through `Pin<&mut Option<L>>`. `None`
    /// once the tree has returned `Ready`: the children are dropped in place then.
    list: Option<L>,
    /// Not pinned.
    state: S,
    /// Not pinned.
    poll: F,
}

impl<L, S, F> Tree<L, S, F> {
    /// Bundles the children, the state and the poll function. The bound lets the
    /// compiler infer the closure's argument types.
    #[inline]
    pub fn new<T>(list: L, state: S, poll: F) -> Self
    where
        F: FnMut(Pin<&mut L>, &mut S, &mut Context<'_>) -> Poll<T>,
    {
        Tree {
            list: Some(list),
            state,
            poll,
        }
    }
}

impl<L, S, F, T> Future for Tree<L, S, F>
where
    F: FnMut(Pin<&mut L>, &mut S, &mut Context<'_>) -> Poll<T>,
{
    type Output = T;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        // SAFETY: `list` is structurally pinned and the other two fields are not. That
        // is sound because `Tree` is `Unpin` only if `L` is (auto trait over all fields),
        // `Tree` has no `Drop` impl and is not `repr(packed)`, and nothing here moves out
        // of `list` or hands out `&mut Option<L>` (it is only replaced through
        // `Pin::set`, which drops the children in place); `state` and `poll` are never
        // pinned, so `&mut` to them is fine.
        let (mut list, state, poll) = unsafe {
            let this = self.get_unchecked_mut();
            (
                Pin::new_unchecked(&mut this.list),
                &mut this.state,
                &mut this.poll,
            )
        };
        let Some(children) = list.as_mut().as_pin_mut() else {
            panic!("a select!/join! future polled after it completed");
        };
        let output = poll(children, state, cx);
        if output.is_ready() {
            // Drop the children here, while the output is a local of this function: if
            // a child's `Drop` panics, the output is still dropped as the panic unwinds.
            // (Dropped by the caller after `Ready`, on its way out of the `.await`, a
            // panicking drop would leak the output: rust-lang/rust#47949.) Dropping a
            // pinned value in place is allowed; `set` writes `None` even if a drop
            // panics, so nothing is dropped twice.
            list.set(None);
        }
        output
    }
}

/// Pinned access to both halves of a pinned pair.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn split<A, B>(pair: Pin<&mut (A, B)>) -> (Pin<&mut A>, Pin<&mut B>) {
    // SAFETY: the fields of a tuple are structurally pinned here: a tuple has no `Drop`
    // impl that could move a field, is never packed, and is `Unpin` only if both fields
    // are, so `Pin::get_mut`/`Pin::set` on the pair cannot move a pinned field out from
    // under these references. The two references are to disjoint fields.
    unsafe {
        let (a, b) = pair.get_unchecked_mut();
        (Pin::new_unchecked(a), Pin::new_unchecked(b))
    }
}

/// Pinned access to the future in a one-element tuple: the leaves of a `select!` tree
/// are `(future,)`, so that the select's output types can tell a leaf from a pair.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn leaf<F>(leaf: Pin<&mut (F,)>) -> Pin<&mut F> {
    // SAFETY: as in `split`: the only field of a tuple is structurally pinned (no `Drop`
    // impl, never packed, `Unpin` only if the field is).
    unsafe { leaf.map_unchecked_mut(|leaf| &mut leaf.0) }
}
