//! Support for `select!` and `select_biased!`.
//!
//! Everything here is called from macro expansions as `::patience::__private::select::…`.
//! Only [`random_start`] needs std (a thread-local generator); the items used by `biased`
//! and `round_robin` selects are plain `core` code (apart from [`BranchWakers`], used
//! above a branch count only).
//!
//! A select expands to one [`Select`] future (the same type as `join!`'s): it owns the
//! branch futures as a balanced tree of pairs, a state (the [`Enabled`] flags, plus
//! [`BranchWakers`] for many branches) and a capture-free poll function written
//! by the macro, which reaches each branch through [`split`].
//!
//! The small helpers the poll function calls once per branch are `inline(always)` only
//! without debug assertions (release builds): in a debug build, forced inlining of them
//! into every step of every select more than doubled LLVM's time on a crate of 32-branch
//! selects, and a debug build does not need it.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use futures_core::future::FusedFuture;

pub use super::join::{Join as Select, leaf, split};
pub use super::wakers::BranchWakers;
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
pub fn new<L: Root, S, F>(list: L, state: S, poll: F) -> Select<L, S, F>
where
    F: FnMut(Pin<&mut L>, &mut S, &mut Context<'_>) -> Poll<L::Outcome>,
{
    Select::new(list, state, poll)
}

/// One flag per branch, packed: set while the branch may still be polled (its
/// precondition held, it has not finished with a value its pattern rejects, and its
/// future has not reported `is_terminated`). `W == branches.div_ceil(32)`.
pub struct Enabled<const W: usize>([u32; W]);

impl<const W: usize> Enabled<W> {
    /// The flags from each branch's precondition, in branch order (`N <= 32 * W`).
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn new<const N: usize>(enabled: [bool; N]) -> Self {
        let mut words = [0u32; W];
        for (i, on) in enabled.into_iter().enumerate() {
            words[i / 32] |= u32::from(on) << (i % 32);
        }
        Enabled(words)
    }

    /// Whether branch `index` may be polled.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn get(&self, index: usize) -> bool {
        self.0[index / 32] & (1 << (index % 32)) != 0
    }

    /// Disables branch `index` for the rest of this select.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn clear(&mut self, index: usize) {
        self.0[index / 32] &= !(1 << (index % 32));
    }

    /// Whether any branch is still enabled.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn any(&self) -> bool {
        self.0.iter().any(|&word| word != 0)
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

/// Polls branches for a select without per-branch wakers: each with the task's waker.
pub struct Branches<'a, 'b, 'c, const W: usize> {
    enabled: &'a mut Enabled<W>,
    cx: &'b mut Context<'c>,
}

impl<'a, 'b, 'c, const W: usize> Branches<'a, 'b, 'c, W> {
    /// For one poll of the select.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn new(enabled: &'a mut Enabled<W>, cx: &'b mut Context<'c>) -> Self {
        Branches { enabled, cx }
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
        if !self.enabled.get(index) {
            return None;
        }
        poll_enabled(
            self.enabled,
            index,
            terminated,
            leaf(future.as_mut()),
            self.cx,
        )
    }

    /// Whether any branch is still enabled.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn any(&self) -> bool {
        self.enabled.any()
    }
}

/// Polls branches for a select with per-branch wakers: only the woken ones (all on the
/// first poll), each with its own waker.
pub struct WokenBranches<'a, const K: usize, const W: usize> {
    enabled: &'a mut Enabled<W>,
    woken: Woken<'a, K, W>,
}

impl<'a, const K: usize, const W: usize> WokenBranches<'a, K, W> {
    /// For one poll of the select, from its state (the flags and the wakers): drains
    /// the woken flags of the wakers.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn new<'w: 'a>(
        state: &'a mut (Enabled<W>, BranchWakers<K, W>),
        cx: &'a Context<'w>,
    ) -> Self {
        let (enabled, wakers) = state;
        WokenBranches {
            enabled,
            woken: wakers.drain(cx),
        }
    }

    /// Like [`Branches::poll`], for a branch that was woken since the last poll.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn poll<F: Future>(
        &mut self,
        index: usize,
        terminated: bool,
        future: &mut Pin<&mut (F,)>,
    ) -> Option<F::Output> {
        if !self.enabled.get(index) || !self.woken.contains(index) {
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
    pub fn any(&self) -> bool {
        let any = self.enabled.any();
        if any {
            self.woken.before_pending();
        }
        any
    }
}

#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn poll_enabled<F: Future, const W: usize>(
    enabled: &mut Enabled<W>,
    index: usize,
    terminated: bool,
    future: Pin<&mut F>,
    cx: &mut Context<'_>,
) -> Option<F::Output> {
    if terminated {
        enabled.clear(index);
        return None;
    }
    match future.poll(cx) {
        Poll::Ready(value) => {
            enabled.clear(index);
            Some(value)
        }
        Poll::Pending => None,
    }
}

/// The branch a fair-mode select starts polling at: uniform in `0..branches`.
#[inline]
pub fn random_start(branches: usize) -> usize {
    crate::select_rng::below(branches)
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
