//! Support for `join!` and `try_join!`: what only a join has.
//!
//! The macro expands to one [`Tree`](super::tree::Tree) future (shared with
//! `select!`) that owns every child in a [`Slot`], the slots arranged as a balanced
//! binary tree of pairs, plus a polling state and a capture-free poll function, written
//! by the macro. Two polling states exist, chosen by the macro from the number of
//! children:
//!
//! - [`Children`] (few children): every poll of the join polls every unfinished child
//!   with the join's own waker, like `tokio::join!`. No allocation, no atomics.
//! - [`TrackedChildren`] (many children): every child gets its own waker
//!   ([`ChildWakers`]); after the first poll, a poll of the join polls only the children
//!   woken since the previous one.
//!
//! Both start each poll where their [`Order`] says ([`JoinDefault`] rotates the first
//! child; [`Biased`] keeps written order).
//!
//! The helpers called once per child are `inline(always)` only without debug assertions
//! (release builds): forced inlining in a debug build costs LLVM time in every `join!`
//! and buys nothing.

// `unsafe` here: the pin projection of a child's slot. Each use carries its argument.
#![allow(unsafe_code)]

use core::future::Future;
use core::mem::ManuallyDrop;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};

pub use super::argument::{Argument, IntoChild, IntoTryChild, NotAFutureChild, checked};
pub use super::mask::words;
pub use super::order::{Biased, JoinDefault};
pub use super::tree::{Tree, split};
pub use super::wakers::ChildWakers;
pub use crate::watch::Watch;

use super::order::Order;
use super::wakers::Woken;

// ---------------------------------------------------------------------------------------
// One child
// ---------------------------------------------------------------------------------------

/// A `join!` child, as the poll function sees it: polled until it finishes, then its
/// output taken once every child has finished.
///
/// The expansion makes each child through [`Argument`] (see `super::argument`): a
/// [`Slot`] for a future, a stand-in for anything else, so that a wrong argument gets
/// one error, at the argument.
pub trait Child {
    /// The future's output.
    type Output;
    /// Polls the child if it is still running. Returns `true` exactly once: on the poll
    /// where it finishes (its output is then stored and the future dropped).
    fn poll_child(self: Pin<&mut Self>, cx: &mut Context<'_>) -> bool;
    /// Moves the output out. Called once per child, after every child finished.
    ///
    /// # Panics
    /// If the child has not finished or its output was already taken: only possible if
    /// the join future is polled again after it completed.
    fn take(self: Pin<&mut Self>) -> Self::Output;
}

/// A `try_join!` child: like [`Child`], but it stops the join with its error.
pub trait TryChild {
    /// The success type of the future's `Result`.
    type Ok;
    /// The error type of the future's `Result`.
    type Err;
    /// Polls the child if it is still running. `Ok(true)` exactly once, on the poll
    /// where it finishes with `Ok` (the value is stored and the future dropped); `Err`
    /// when it finishes with `Err` (the future is dropped and the error handed over).
    fn poll_try(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Result<bool, Self::Err>;
    /// Moves the `Ok` value out; as [`Child::take`].
    fn take(self: Pin<&mut Self>) -> Self::Ok;
}

/// One child of a join: its future until it finishes, then its output (`O` is the
/// future's output for `join!`, the `Ok` value for `try_join!`), then nothing once the
/// output was taken. The future is dropped as soon as it finishes.
pub struct Slot<F, O>(SlotState<F, O>);

impl<F, O> Slot<F, O> {
    /// A child that runs `future`.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(crate) fn new(future: F) -> Self {
        Slot(SlotState::Running(future))
    }
}

enum SlotState<F, O> {
    Running(F),
    Done(O),
    Taken,
}

impl<F: Future> Child for Slot<F, F::Output> {
    type Output = F::Output;

    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn poll_child(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> bool {
        let Some(future) = self.as_mut().running() else {
            return false;
        };
        match future.poll(cx) {
            Poll::Ready(output) => {
                // Drops the future in place, then stores the output.
                self.set(Slot(SlotState::Done(output)));
                true
            }
            Poll::Pending => false,
        }
    }

    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn take(self: Pin<&mut Self>) -> F::Output {
        self.take_done()
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

impl<F> TryChild for Slot<F, <F::Output as TryOutput>::Ok>
where
    F: Future,
    F::Output: TryOutput,
{
    type Ok = <F::Output as TryOutput>::Ok;
    type Err = <F::Output as TryOutput>::Err;

    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn poll_try(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Result<bool, Self::Err> {
        let Some(future) = self.as_mut().running() else {
            return Ok(false);
        };
        match future.poll(cx) {
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
        }
    }

    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn take(self: Pin<&mut Self>) -> Self::Ok {
        self.take_done()
    }
}

impl<F, O> Slot<F, O> {
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn running(self: Pin<&mut Self>) -> Option<Pin<&mut F>> {
        // SAFETY: `F` (the `Running` payload) is structurally pinned, `O` is not. `Slot`
        // has no `Drop` impl and is `Unpin` only if `F` and `O` are. The future is only
        // reached through the `Pin` returned here and leaves the slot only by being
        // dropped in place (`Pin::set` in `poll_*`); `take_done` moves out only a `Done`
        // value, which is never pinned.
        unsafe {
            match &mut self.get_unchecked_mut().0 {
                SlotState::Running(future) => Some(Pin::new_unchecked(future)),
                _ => None,
            }
        }
    }

    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn take_done(self: Pin<&mut Self>) -> O {
        // SAFETY: only a `Done` value (never pinned) is moved out; a `Running` future is
        // left in place untouched (we panic before replacing anything).
        let slot = unsafe { self.get_unchecked_mut() };
        if !matches!(slot.0, SlotState::Done(_)) {
            panic!("`join!`/`try_join!` future polled after it completed");
        }
        match core::mem::replace(&mut slot.0, SlotState::Taken) {
            SlotState::Done(output) => output,
            _ => unreachable!("checked above"),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Polling states
// ---------------------------------------------------------------------------------------

/// State of a join whose children share the task's waker: every poll polls every
/// unfinished child, from where the order starts it.
pub struct Children<O> {
    order: O,
    /// Children not finished yet.
    remaining: u32,
}

impl<O: Order> Children<O> {
    /// State for `count` children.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub const fn new(count: u32, order: O) -> Self {
        Children {
            order,
            remaining: count,
        }
    }

    /// The child to poll first on this poll.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn start(&mut self, count: u32) -> u32 {
        self.order.start(count as usize) as u32
    }

    /// Records that `finished` children finished on this poll; `true` once all have.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn settle(&mut self, finished: u32) -> bool {
        self.remaining -= finished;
        self.remaining == 0
    }
}

/// State of a join whose children have wakers of their own: a poll polls only the
/// children woken since the previous one (all of them on the first poll).
pub struct TrackedChildren<const K: usize, const W: usize, O> {
    wakers: ChildWakers<K, W>,
    order: O,
    /// Children not finished yet.
    remaining: u32,
}

impl<const K: usize, const W: usize, O: Order> TrackedChildren<K, W, O> {
    /// State for `K` children (`W == words(K)`).
    #[inline]
    pub const fn new(order: O) -> Self {
        const { assert!(K <= u32::MAX as usize) };
        TrackedChildren {
            wakers: ChildWakers::new(),
            order,
            remaining: K as u32,
        }
    }

    /// The children to poll now, in polling order: all of them on the first poll,
    /// afterwards those woken since the last collection (finished ones included; their
    /// slots skip them). Also makes sure child wake-ups reach the task that polls now:
    /// a join almost always returns `Pending` on its first poll, so the task's waker is
    /// stored at once.
    #[inline]
    pub fn woken<'a, 'w: 'a>(&'a mut self, cx: &'a Context<'w>) -> WokenChildren<'a, K, W> {
        let mut woken = self.wakers.drain(cx);
        woken.before_pending();
        WokenChildren {
            woken,
            start: self.order.start(K),
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

/// The children to poll on one poll of a tracked join, in polling order.
pub struct WokenChildren<'a, const K: usize, const W: usize> {
    woken: Woken<'a, K, W>,
    start: usize,
}

impl<const K: usize, const W: usize> WokenChildren<'_, K, W> {
    /// The next child to poll.
    #[inline]
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<usize> {
        self.woken.pop_from(self.start)
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
        t: &mut TrackedChildren<K, W, JoinDefault>,
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
        let mut t = TrackedChildren::<K, 3, JoinDefault>::new(JoinDefault::default());
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
        let mut t = TrackedChildren::<K, 3, JoinDefault>::new(JoinDefault::default());
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
