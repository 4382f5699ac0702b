//! Support for `join!` and `try_join!`.
//!
//! The macro expands to one [`Join`] future that owns every child in a [`Slot`], the
//! slots arranged as a balanced binary tree of pairs (`((s0, s1), (s2, (s3, s4)))`), plus
//! a small polling state ([`PollAll`] or [`Tracked`]) and a capture-free closure, written
//! by the macro, that polls the slots. The tree keeps the type nesting shallow (depth
//! `log2(n)`) for any number of children, and [`split`] gives pinned access to both
//! halves of a pair, so the expansion itself needs no `unsafe`.
//!
//! Two polling states exist, chosen by the macro from the number of children:
//!
//! - [`PollAll`] (few children): every poll of the join polls every unfinished child with
//!   the join's own waker, like `tokio::join!`. No allocation, no atomics.
//! - [`Tracked`] (many children): every child gets its own waker that records "child `i`
//!   was woken" in a bitset and wakes the join's task only when its flag word was empty.
//!   After the first poll, a poll of the join polls only the children recorded since the
//!   previous poll. The wakers are those of large selects (`super::wakers`): a block
//!   leased from a free list on the first poll, no allocation per join, and no reference
//!   count to update when a child clones or drops its waker.
//!
//! The helpers called once per child are `inline(always)` only without debug assertions
//! (release builds): forced inlining in a debug build cost LLVM time in every `join!`
//! (40 uses at K = 8: 78 -> 50 million rustc instructions per use) and bought nothing.

// `unsafe` is confined to this module. Each use carries its own soundness argument.
#![allow(unsafe_code)]

use core::future::Future;
use core::mem::ManuallyDrop;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};

use super::wakers::{BranchWakers, Woken as BranchesWoken};

// ---------------------------------------------------------------------------------------
// The future
// ---------------------------------------------------------------------------------------

/// The future a `join!` expands to: the slot tree `L`, the polling state `S` and the
/// macro-written poll function `F`.
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Join<L, S, F> {
    /// Structurally pinned: only ever reached through `Pin<&mut L>`.
    list: L,
    /// Not pinned.
    state: S,
    /// Not pinned.
    poll: F,
}

impl<L, S, F> Join<L, S, F> {
    /// Bundles the slots, the state and the poll function. The bound on `F` lets the
    /// compiler infer the closure's argument types.
    #[inline]
    pub fn new<T>(list: L, state: S, poll: F) -> Self
    where
        F: FnMut(Pin<&mut L>, &mut S, &mut Context<'_>) -> Poll<T>,
    {
        Join { list, state, poll }
    }
}

impl<L, S, F, T> Future for Join<L, S, F>
where
    F: FnMut(Pin<&mut L>, &mut S, &mut Context<'_>) -> Poll<T>,
{
    type Output = T;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        // SAFETY: `list` is treated as structurally pinned and the other two fields are
        // not. This is sound because: `Join` is `Unpin` only if `L` is (auto trait, all
        // fields); `Join` has no `Drop` impl and is not `repr(packed)`; nothing here moves
        // out of `list` or hands out `&mut L`; `state` and `poll` are never pinned, so
        // handing out `&mut` to them is fine.
        let this = unsafe { self.get_unchecked_mut() };
        let list = unsafe { Pin::new_unchecked(&mut this.list) };
        (this.poll)(list, &mut this.state, cx)
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
/// are `(future,)`, so that [`Outputs`](super::select::Outputs) can tell a leaf from a
/// pair.
#[inline]
pub fn leaf<F>(leaf: Pin<&mut (F,)>) -> Pin<&mut F> {
    // SAFETY: as in `split`: the only field of a tuple is structurally pinned (no `Drop`
    // impl, never packed, `Unpin` only if the field is).
    unsafe { leaf.map_unchecked_mut(|leaf| &mut leaf.0) }
}

// ---------------------------------------------------------------------------------------
// One child
// ---------------------------------------------------------------------------------------

/// One child of a join: its future until it finishes, then its output (`O` is the
/// future's output for `join!`, the `Ok` value for `try_join!`), then nothing once the
/// output was taken. The future is dropped as soon as it finishes.
pub struct Slot<F, O>(SlotState<F, O>);

enum SlotState<F, O> {
    Running(F),
    Done(O),
    Taken,
}

impl<F: Future> Slot<F, F::Output> {
    /// A slot for a `join!` child.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn new(future: F) -> Self {
        Slot(SlotState::Running(future))
    }

    /// Polls the child if it is still running. Returns `true` exactly once: on the poll
    /// where it finishes (its output is then stored and the future dropped).
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn poll_join(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> bool {
        match self.as_mut().running() {
            Some(future) => match future.poll(cx) {
                Poll::Ready(output) => {
                    // Drops the future in place, then stores the output.
                    self.set(Slot(SlotState::Done(output)));
                    true
                }
                Poll::Pending => false,
            },
            None => false,
        }
    }
}

/// The output of a `try_join!` argument: a `Result`.
#[diagnostic::on_unimplemented(
    message = "`try_join!` needs every future to output a `Result`, but this one outputs `{Self}`",
    label = "this future's output is not a `Result`"
)]
pub trait TryOutput {
    /// The success type.
    type Ok;
    /// The error type.
    type Err;
    /// Converts into a `Result`.
    fn into_result(self) -> Result<Self::Ok, Self::Err>;
}

impl<T, E> TryOutput for Result<T, E> {
    type Ok = T;
    type Err = E;
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn into_result(self) -> Result<T, E> {
        self
    }
}

impl<F> Slot<F, <F::Output as TryOutput>::Ok>
where
    F: Future,
    F::Output: TryOutput,
{
    /// A slot for a `try_join!` child.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn new_try(future: F) -> Self {
        Slot(SlotState::Running(future))
    }

    /// Polls the child if it is still running. `Ok(true)` exactly once, on the poll where
    /// it finishes with `Ok` (the value is stored and the future dropped); `Err` when it
    /// finishes with `Err` (the future is dropped and the error handed over).
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn poll_try(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Result<bool, <F::Output as TryOutput>::Err> {
        match self.as_mut().running() {
            Some(future) => match future.poll(cx) {
                Poll::Ready(output) => match output.into_result() {
                    Ok(value) => {
                        self.set(Slot(SlotState::Done(value)));
                        Ok(true)
                    }
                    Err(error) => {
                        self.set(Slot(SlotState::Taken));
                        Err(error)
                    }
                },
                Poll::Pending => Ok(false),
            },
            None => Ok(false),
        }
    }
}

impl<F, O> Slot<F, O> {
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn running(self: Pin<&mut Self>) -> Option<Pin<&mut F>> {
        // SAFETY: `F` (the `Running` payload) is structurally pinned, `O` is not. `Slot`
        // has no `Drop` impl and is `Unpin` only if `F` and `O` are. The future is only
        // reached through the `Pin` returned here and leaves the slot only by being
        // dropped in place (`Pin::set` in `poll_*`); `take` moves out only a `Done` value,
        // which is never pinned.
        unsafe {
            match &mut self.get_unchecked_mut().0 {
                SlotState::Running(future) => Some(Pin::new_unchecked(future)),
                _ => None,
            }
        }
    }

    /// Moves the output out. Called once per slot, after every child finished.
    ///
    /// # Panics
    /// If the child has not finished or its output was already taken: only possible if
    /// the join future is polled again after it completed.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn take(self: Pin<&mut Self>) -> O {
        // SAFETY: only a `Done` value (never pinned) is moved out; a `Running` future is
        // left in place untouched (we panic before replacing anything).
        let slot = unsafe { self.get_unchecked_mut() };
        match slot.0 {
            SlotState::Done(_) => match core::mem::replace(&mut slot.0, SlotState::Taken) {
                SlotState::Done(output) => output,
                _ => unreachable!(),
            },
            _ => panic!("`join!`/`try_join!` future polled after it completed"),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Poll-all state (few children)
// ---------------------------------------------------------------------------------------

/// State for joins that poll every unfinished child on every poll.
pub struct PollAll {
    /// Index of the child polled first on the next poll.
    start: u32,
    /// Children not finished yet.
    remaining: u32,
}

impl PollAll {
    /// State for `count` children.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub const fn new(count: u32) -> Self {
        PollAll {
            start: 0,
            remaining: count,
        }
    }

    /// The child to poll first on this poll; the next poll starts one further.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn rotate(&mut self, count: u32) -> u32 {
        let start = self.start;
        self.start = if start + 1 >= count { 0 } else { start + 1 };
        start
    }

    /// Records that `finished` children finished on this poll; `true` once all have.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn settle(&mut self, finished: u32) -> bool {
        self.remaining -= finished;
        self.remaining == 0
    }
}

// ---------------------------------------------------------------------------------------
// Tracked state (many children)
// ---------------------------------------------------------------------------------------

/// State for joins that poll only the children that were woken. The children's wakers
/// are those of large selects ([`BranchWakers`]: a block leased on the first poll, whose
/// wakers cost nothing to clone or drop).
pub struct Tracked<const K: usize, const W: usize, const BIASED: bool> {
    wakers: BranchWakers<K, W>,
    /// Index of the child polled first on the next poll (rotates unless `BIASED`).
    start: u32,
    /// Children not finished yet.
    remaining: u32,
}

impl<const K: usize, const W: usize, const BIASED: bool> Tracked<K, W, BIASED> {
    /// State for `K` children (`W == K.div_ceil(32)`); `BIASED` polls woken children in
    /// index order instead of rotating the first one.
    #[inline]
    pub const fn new() -> Self {
        const { assert!(K <= u32::MAX as usize) };
        Tracked {
            wakers: BranchWakers::new(),
            start: 0,
            remaining: K as u32,
        }
    }

    /// Collects the children to poll now: all of them on the first poll, afterwards those
    /// woken since the last collection (finished ones included; their slots skip them).
    /// Also makes sure child wake-ups reach the task that polls now: a join almost always
    /// returns `Pending` on its first poll, so the task's waker is stored at once.
    #[inline]
    pub fn woken<'a, 'w: 'a>(&'a mut self, cx: &'a Context<'w>) -> Woken<'a, K, W> {
        let woken = self.wakers.drain(cx);
        woken.before_pending();
        let start = self.start as usize;
        if !BIASED {
            self.start = if start + 1 >= K { 0 } else { start as u32 + 1 };
        }
        Woken {
            woken,
            start,
            step: 0,
        }
    }

    /// Records that `finished` children finished on this poll; `true` once all have.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn settle(&mut self, finished: u32) -> bool {
        self.remaining -= finished;
        self.remaining == 0
    }
}

impl<const K: usize, const W: usize, const BIASED: bool> Default for Tracked<K, W, BIASED> {
    fn default() -> Self {
        Self::new()
    }
}

/// The children to poll on one poll of a tracked join, in polling order.
pub struct Woken<'a, const K: usize, const W: usize> {
    woken: BranchesWoken<'a, K, W>,
    /// First bit index in polling order.
    start: usize,
    /// Words visited so far: `start`'s word from `start` up, the following words
    /// (wrapping), then `start`'s word below `start`.
    step: usize,
}

impl<const K: usize, const W: usize> Woken<'_, K, W> {
    /// The next child to poll.
    #[inline]
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<usize> {
        let first_word = self.start / 32;
        let low_bits = (1u32 << (self.start % 32)) - 1;
        while self.step <= W {
            let (word, mask) = if self.step == 0 {
                (first_word, !low_bits)
            } else if self.step == W {
                (first_word, low_bits)
            } else {
                ((first_word + self.step) % W, u32::MAX)
            };
            if let Some(bit) = self.woken.take_lowest(word, mask) {
                return Some(word * 32 + bit);
            }
            self.step += 1;
        }
        None
    }

    /// The waker child `index` must be polled with.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn waker(&self, index: usize) -> ManuallyDrop<Waker> {
        self.woken.waker(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::Wake;

    // A child count no other test uses, so the free list of waker blocks cannot hand
    // this test a block another test holds or has stale wakers of.
    const K: usize = 71;

    struct CountWakes(AtomicUsize);
    impl Wake for CountWakes {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn collect<const K: usize, const W: usize>(
        t: &mut Tracked<K, W, false>,
        cx: &Context<'_>,
    ) -> Vec<usize> {
        let mut w = t.woken(cx);
        let mut out = Vec::new();
        while let Some(i) = w.next() {
            out.push(i);
        }
        out
    }

    #[test]
    fn first_collection_lists_every_child_from_the_rotating_start() {
        let parent = Arc::new(CountWakes(AtomicUsize::new(0)));
        let waker = Waker::from(parent.clone());
        let cx = Context::from_waker(&waker);
        let mut t = Tracked::<K, 3, false>::new();
        let first = collect(&mut t, &cx);
        assert_eq!(first, (0..K).collect::<Vec<_>>());
        // Nothing was woken: nothing to poll, and the start moved on.
        assert!(collect(&mut t, &cx).is_empty());
    }

    #[test]
    fn later_collections_list_only_woken_children_starting_at_the_rotation_point() {
        let parent = Arc::new(CountWakes(AtomicUsize::new(0)));
        let waker = Waker::from(parent.clone());
        let cx = Context::from_waker(&waker);
        let mut t = Tracked::<K, 3, false>::new();
        let _ = collect(&mut t, &cx); // start 0; next start 1
        let _ = collect(&mut t, &cx); // start 1; next start 2
        let children: Vec<Waker> = {
            let w = t.woken(&cx); // start 2; next start 3
            [1, 2, 40, 69]
                .iter()
                .map(|&i| (*w.waker(i)).clone())
                .collect()
        };
        for c in &children {
            c.wake_by_ref();
        }
        // One parent wake-up per flag word that went from empty to non-empty: 1 and 2
        // share word 0, 40 is in word 1, 69 in word 2.
        assert_eq!(parent.0.load(Ordering::SeqCst), 3);
        // This collection starts at 3: 40 and 69 first, then wrap around to 1 and 2.
        assert_eq!(collect(&mut t, &cx), vec![40, 69, 1, 2]);
        // Drained: the next wake-up wakes the parent again, repeats do not.
        children[0].wake_by_ref();
        children[0].wake_by_ref();
        children[1].wake_by_ref();
        assert_eq!(parent.0.load(Ordering::SeqCst), 4);
        assert_eq!(collect(&mut t, &cx), vec![1, 2]);
        drop(t);
        // The join is gone: kept wakers still work and wake nobody.
        for c in children {
            c.wake();
        }
        assert_eq!(parent.0.load(Ordering::SeqCst), 4);
    }
}
