//! Support for `select!` and `select_biased!`: what only a select has.
//!
//! Everything here is called from macro expansions as `::patience::__private::select::…`.
//! A select expands to one [`Tree`](super::tree::Tree) future (shared with `join!`):
//! it owns the branch futures as a balanced tree of `(future,)` leaves, a [`State`]
//! (the enabled branches, the polling [`Order`], and per-branch wakers for many
//! branches) and a capture-free poll function written by the macro. What a select adds
//! to the shared pieces: the type of its outcome ([`Outcome`], [`Node`], [`Outputs`],
//! [`Root`]), branches that get disabled (preconditions, rejected values, terminated
//! [`FusedFuture`]s: [`Probe`]), and the two ways of polling a branch ([`Shared`],
//! [`Tracked`]).
//!
//! The small helpers the poll function calls once per branch are `inline(always)` only
//! without debug assertions (release builds): in a debug build, forced inlining of them
//! into every step of every select costs LLVM time, and a debug build does not need it.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use futures_core::future::FusedFuture;

pub use super::argument::{Argument, IntoBranch, NotAFutureChild, checked_branch};
pub use super::mask::{Mask, words};
pub use super::order::{Biased, Fair, RoundRobin, SelectDefault};
pub use super::tree::{Tree, leaf, split};
pub use super::wakers::ChildWakers;
pub use crate::watch::Watch;

use super::order::Order;
use super::wakers::Woken;

/// What a select's poll function returns when it is ready: the winning branch's value
/// at the end of its path through the tree of [`Node`]s (the root's step is this enum's
/// `L`/`R`: one constructor less per branch), or why there is no winner.
pub enum Outcome<A, B> {
    /// A branch of the left half (or the only branch) won, with the value at the end of
    /// this path.
    L(A),
    /// A branch of the right half won.
    R(B),
    /// Every branch is disabled.
    Disabled,
    /// Nothing is ready and the select has a `default` branch (or every branch is
    /// disabled, and it has `default` but no `else`).
    Default,
}

/// One step of the path to a branch's value: the left or the right half of the tree.
pub enum Node<A, B> {
    /// The value is in the left half.
    L(A),
    /// The value is in the right half.
    R(B),
}

/// The type of the winning value for a tree of branch futures: a leaf `(F,)` gives
/// `F::Output`, a pair gives a [`Node`] of its halves' types.
///
/// The expansion never names the output type: [`new`] fixes the poll function's return
/// type from the tree's type (through [`Root`]), so type checking never has to infer it from the
/// expression that builds each branch's value (with many branches, that inference cost
/// about half of the select's type-checking time).
pub trait Outputs {
    /// The winning value's type.
    type Output;
}

impl<F: Future> Outputs for (F,) {
    type Output = F::Output;
}

impl<A: Outputs, B: Outputs> Outputs for (A, B) {
    type Output = Node<A::Output, B::Output>;
}

/// The [`Outcome`] type for a whole tree of branch futures: the root pair's halves'
/// [`Outputs`], or a single branch's output (with an uninhabited right half).
pub trait Root {
    /// The outcome's type.
    type Outcome;
}

impl<F: Future> Root for (F,) {
    type Outcome = Outcome<F::Output, core::convert::Infallible>;
}

impl<A: Outputs, B: Outputs> Root for (A, B) {
    type Outcome = Outcome<A::Output, B::Output>;
}

/// The select future over the tree `list` (leaves `(future,)`), with the state and the
/// poll function; the bound gives the closure its full signature, return type included.
#[inline]
pub fn new<L: Root, S, F>(list: L, state: S, poll: F) -> Tree<L, S, F>
where
    F: FnMut(Pin<&mut L>, &mut S, &mut Context<'_>) -> Poll<L::Outcome>,
{
    Tree::new(list, state, poll)
}

/// A select's state between polls: the branches still enabled (their precondition
/// held, they have not finished with a value their pattern rejects, and their future has
/// not reported `is_terminated`), the polling order, and the per-branch wakers `C`
/// (`()` for selects whose branches share the task's waker; [`ChildWakers`] above a
/// branch count).
pub struct State<const W: usize, O, C = ()> {
    enabled: Mask<W>,
    order: O,
    wakers: C,
}

impl<const W: usize, O: Order> State<W, O> {
    /// The state of a select whose branches share the task's waker, from the branches
    /// whose precondition held.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn new(enabled: Mask<W>, order: O) -> Self {
        State {
            enabled,
            order,
            wakers: (),
        }
    }

    /// Starts one poll of the select.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn shared<'a, 'b, 'c>(&'a mut self, cx: &'b mut Context<'c>) -> Shared<'a, 'b, 'c, W, O> {
        Shared { state: self, cx }
    }
}

impl<const K: usize, const W: usize, O: Order> State<W, O, ChildWakers<K, W>> {
    /// The state of a select whose branches get wakers of their own.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn new_tracked(enabled: Mask<W>, order: O) -> Self {
        State {
            enabled,
            order,
            wakers: ChildWakers::new(),
        }
    }

    /// Starts one poll of the select: drains the woken flags of the branch wakers.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn tracked<'a, 'w: 'a>(&'a mut self, cx: &'a Context<'w>) -> Tracked<'a, K, W, O> {
        let State {
            enabled,
            order,
            wakers,
        } = self;
        Tracked {
            enabled,
            order,
            woken: wakers.drain(cx),
        }
    }
}

/// Borrows a branch future so the expansion can ask, at the call site, whether it is a
/// [`FusedFuture`] that has terminated, without requiring the trait.
///
/// The expansion calls `(&Probe(&leaf)).__patience_is_terminated()` on a pinned leaf
/// `leaf: Pin<&mut (F,)>` of the tree (no deref: one method lookup less per branch),
/// with both probe traits in scope. Method lookup first tries receivers of type
/// `&Probe<Pin<&mut (F,)>>`, where only [`ProbeFused`] applies, and only when
/// `F: FusedFuture`; otherwise it auto-references to `&&Probe<_>` and finds
/// [`ProbePlain`], which answers `false`.
pub struct Probe<'a, F: ?Sized>(pub &'a F);

/// The probe answer for futures that implement [`FusedFuture`].
pub trait ProbeFused {
    /// Whether the branch future reports that it has terminated.
    fn __patience_is_terminated(&self) -> bool;
}

impl<F: FusedFuture> ProbeFused for Probe<'_, Pin<&mut (F,)>> {
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn __patience_is_terminated(&self) -> bool {
        self.0.as_ref().get_ref().0.is_terminated()
    }
}

/// The probe answer for every other future: never terminated, always polled.
pub trait ProbePlain {
    /// Always `false`.
    fn __patience_is_terminated(&self) -> bool;
}

impl<F: ?Sized> ProbePlain for &Probe<'_, F> {
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn __patience_is_terminated(&self) -> bool {
        false
    }
}

/// One poll of a select whose branches share the task's waker: every enabled branch
/// may be polled.
pub struct Shared<'a, 'b, 'c, const W: usize, O> {
    state: &'a mut State<W, O>,
    cx: &'b mut Context<'c>,
}

impl<const W: usize, O: Order> Shared<'_, '_, '_, W, O> {
    /// The branch this poll starts at (see [`Order`]).
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn start(&mut self, n: usize) -> usize {
        self.state.order.start(n)
    }

    /// Branch `index` won (its value matched its pattern).
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn won(&mut self, index: usize) {
        self.state.order.won(index);
    }

    /// Polls branch `index` if it is enabled, unless its future reports `terminated`
    /// (the branch is then disabled). A branch that gives a value is disabled too: the
    /// caller either returns it as the winner or leaves it disabled (pattern mismatch).
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn poll<F: Future>(
        &mut self,
        index: usize,
        terminated: bool,
        future: &mut Pin<&mut (F,)>,
    ) -> Option<F::Output> {
        if !self.state.enabled.contains(index) {
            return None;
        }
        poll_enabled(
            &mut self.state.enabled,
            index,
            terminated,
            leaf(future.as_mut()),
            self.cx,
        )
    }

    /// Whether any branch is still enabled.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn any(&mut self) -> bool {
        !self.state.enabled.is_empty()
    }
}

/// One poll of a select whose branches have wakers of their own: only the woken ones
/// (all on the first poll) are polled, each with its own waker.
pub struct Tracked<'a, const K: usize, const W: usize, O> {
    enabled: &'a mut Mask<W>,
    order: &'a mut O,
    woken: Woken<'a, K, W>,
}

impl<const K: usize, const W: usize, O: Order> Tracked<'_, K, W, O> {
    /// The branch this poll starts at (see [`Order`]).
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn start(&mut self, n: usize) -> usize {
        self.order.start(n)
    }

    /// Branch `index` won (its value matched its pattern).
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn won(&mut self, index: usize) {
        self.order.won(index);
    }

    /// Like [`Shared::poll`], for a branch that was woken since the last poll.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn poll<F: Future>(
        &mut self,
        index: usize,
        terminated: bool,
        future: &mut Pin<&mut (F,)>,
    ) -> Option<F::Output> {
        if !self.enabled.contains(index) || !self.woken.contains(index) {
            return None;
        }
        let waker = self.woken.waker(index);
        poll_enabled(
            self.enabled,
            index,
            terminated,
            leaf(future.as_mut()),
            &mut Context::from_waker(&waker),
        )
    }

    /// Whether any branch is still enabled. The expansion asks only after polling
    /// every branch to be polled, when no branch won: if one is enabled, the select
    /// returns `Pending` (or runs `default`), so this first makes sure that branch
    /// wake-ups reach the task ([`Woken::before_pending`]).
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn any(&mut self) -> bool {
        let any = !self.enabled.is_empty();
        if any {
            self.woken.before_pending();
        }
        any
    }
}

#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn poll_enabled<F: Future, const W: usize>(
    enabled: &mut Mask<W>,
    index: usize,
    terminated: bool,
    future: Pin<&mut F>,
    cx: &mut Context<'_>,
) -> Option<F::Output> {
    if terminated {
        enabled.remove(index);
        return None;
    }
    match future.poll(cx) {
        Poll::Ready(value) => {
            enabled.remove(index);
            Some(value)
        }
        Poll::Pending => None,
    }
}

/// Panics for a select whose branches are all disabled and that has no `else` branch.
#[cold]
#[inline(never)]
#[track_caller]
pub fn all_disabled() -> ! {
    panic!("all branches are disabled and there is no else branch")
}

/// Marks code the expansion never reaches (the body of a pattern test whose guard is
/// always false, and the fallback arm of the final `match`).
#[cold]
#[inline(never)]
pub fn unreachable() -> ! {
    unreachable!("patience::select!: internal error, an impossible branch was taken")
}
