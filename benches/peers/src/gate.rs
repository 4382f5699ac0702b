//! The children every peer races or joins: a gate that is pending until opened.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

thread_local! {
    static POLLS: Cell<u64> = const { Cell::new(0) };
}

/// Child polls counted on this thread since the last call; resets the count.
pub fn take_polls() -> u64 {
    POLLS.with(|p| p.replace(0))
}

/// Shared state of one gate: open or not, and the waker of whoever waits on it.
#[derive(Default)]
pub struct Slot {
    open: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

impl Slot {
    /// Closes the gate and forgets its waker.
    pub fn reset(&self) {
        self.open.set(false);
        self.waker.borrow_mut().take();
    }

    /// Opens the gate without waking anyone (for children ready on first poll).
    pub fn open(&self) {
        self.open.set(true);
    }

    /// Opens the gate and wakes the waker it was last polled with.
    pub fn open_and_wake(&self) {
        self.open.set(true);
        if let Some(w) = self.waker.borrow_mut().take() {
            w.wake();
        }
    }
}

/// A future that is ready once its slot is open, counting every poll.
pub struct Gate<'a> {
    slot: &'a Slot,
    index: usize,
}

/// A gate on `slot` whose output is `index`.
pub fn gate(slot: &Slot, index: usize) -> Gate<'_> {
    Gate { slot, index }
}

impl Future for Gate<'_> {
    type Output = usize;

    // Never inlined, for every peer alike: a real child (a socket, a channel) is an
    // opaque call, and whether LLVM inlines this small one into a given select or join
    // depends on that caller's inlining budget, which made single cases swing by 1.3x
    // between builds and peers. The comparison is then of the macros' own machinery.
    #[inline(never)]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
        POLLS.with(|p| p.set(p.get() + 1));
        if self.slot.open.get() {
            return Poll::Ready(self.index);
        }
        let mut waker = self.slot.waker.borrow_mut();
        match &mut *waker {
            Some(w) if w.will_wake(cx.waker()) => {}
            other => *other = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

/// Polls `future` once with a waker that does nothing (wake-ups are delivered by the
/// gates, through whatever waker each child was given).
pub fn poll_once<F: Future>(future: Pin<&mut F>) -> Poll<F::Output> {
    future.poll(&mut Context::from_waker(Waker::noop()))
}
