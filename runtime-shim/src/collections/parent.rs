//! The waker of the task that polls a collection, shared with the children's wakers.
//!
//! One consumer (the collection, through `&mut`) installs the task's waker; any number
//! of producers (child wakers, on any thread) take it out to wake the task. It is the
//! protocol of an "atomic waker" with one change: taking the waker leaves a mark
//! (`EMPTY`), so the consumer can tell without a read-modify-write whether the waker it
//! installed last is still there, and a poll with the same task waker as the previous
//! one costs one atomic load.
//!
//! Nobody ever waits for anybody: a producer that finds the cell busy leaves (the
//! consumer then wakes its own task), and a consumer that finds a producer taking the
//! waker wakes its task so that it polls again. User code (a waker's `clone`, `wake`,
//! `drop`) only runs while the cell is not held.

// `unsafe` here: the cell is accessed by whoever owns it under the state protocol.
#![allow(unsafe_code)]

use core::task::Waker;

use super::sync::{AtomicUsize, Ordering, UnsafeCell};

/// No waker in the cell (never installed, or taken by a producer).
const EMPTY: usize = 0;
/// The cell holds the waker the consumer installed last.
const FULL: usize = 1;
/// The consumer owns the cell and is replacing the waker.
const REGISTERING: usize = 2;
/// Added to a state: a producer owns the cell (from `FULL`) or wants the task woken
/// (from `REGISTERING`).
const WAKING: usize = 4;

/// Identifies a waker for `will_wake`-style comparisons without keeping it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) struct WakerId(*const (), *const ());

impl WakerId {
    pub(super) fn of(waker: &Waker) -> WakerId {
        WakerId(waker.data(), core::ptr::from_ref(waker.vtable()).cast())
    }
}

// SAFETY: a `WakerId` is two addresses that are compared, never dereferenced.
unsafe impl Send for WakerId {}
// SAFETY: as for `Send`.
unsafe impl Sync for WakerId {}

/// The task waker cell.
pub(super) struct Parent {
    state: AtomicUsize,
    waker: UnsafeCell<Option<Waker>>,
}

// SAFETY: `waker` is only accessed by the party the state machine makes its owner (the
// consumer in `REGISTERING`, one producer in `FULL | WAKING`), so accesses never
// overlap; `Waker` is `Send + Sync`.
unsafe impl Sync for Parent {}
// SAFETY: as for `Sync`; moving the cell moves an `Option<Waker>`, which is `Send`.
unsafe impl Send for Parent {}

impl Parent {
    pub(super) fn new() -> Parent {
        Parent {
            state: AtomicUsize::new(EMPTY),
            waker: UnsafeCell::new(None),
        }
    }

    /// Makes the next [`Parent::take`] return (a clone of) `waker`. Only the consumer
    /// calls this; `installed` is its record of the waker it installed last.
    ///
    /// The caller must drain its wake-ups after this call (see `ready.rs`): a producer
    /// that found no waker relies on it. Returns `false` if the state was left as it was
    /// (the waker installed last is still in the cell).
    pub(super) fn register(&self, waker: &Waker, installed: &mut Option<WakerId>) -> bool {
        let id = WakerId::of(waker);
        // Acquire: if a producer took the waker, see the cell as it left it.
        let state = self.state.load(Ordering::Acquire);
        if state == FULL && *installed == Some(id) {
            // Our waker is in the cell. A producer may take it right now; it then wakes
            // a waker equivalent to this one, which is what we want.
            return false;
        }
        // Cloned before owning the cell: cloning runs user code.
        let fresh = waker.clone();
        if state == EMPTY {
            // Nobody owns an empty cell (a producer only takes it from `FULL`), so a
            // plain store claims it: one read-modify-write less on the common path (a
            // poll after a wake-up took the waker). A producer that marks `EMPTY` as
            // `WAKING` meanwhile undoes its mark with an exchange that then fails, so
            // it never overwrites this store. The load above acquired the cell as the
            // last producer left it.
            self.state.store(REGISTERING, Ordering::Relaxed);
        } else {
            let mut from = state;
            loop {
                if from != EMPTY && from != FULL {
                    // A producer is taking the waker: it will wake the previous one,
                    // which may not be this task's. Poll again; the next poll installs
                    // this one.
                    waker.wake_by_ref();
                    return true;
                }
                // Acquire: see the cell as the last owner left it.
                match self.state.compare_exchange_weak(
                    from,
                    REGISTERING,
                    Ordering::Acquire,
                    Ordering::Acquire,
                ) {
                    Ok(_) => break,
                    Err(now) => from = now,
                }
            }
        }
        // SAFETY: in `REGISTERING` the consumer owns the cell: producers that arrive now
        // only add `WAKING` and leave (see `take`).
        let old = self.waker.with_mut(|w| unsafe { (*w).replace(fresh) });
        *installed = Some(id);
        // Release: the producer that takes the waker from `FULL` sees it written.
        let done =
            self.state
                .compare_exchange(REGISTERING, FULL, Ordering::Release, Ordering::Acquire);
        let woken = match done {
            Ok(_) => None,
            Err(_) => {
                // A producer came while we held the cell and left the wake-up to us.
                // SAFETY: the state is `REGISTERING | WAKING`: still ours.
                let waker = self.waker.with_mut(|w| unsafe { (*w).take() });
                // Release: the next owner sees the cell empty.
                self.state.store(EMPTY, Ordering::Release);
                waker
            }
        };
        // User code runs after the cell is released.
        drop(old);
        if let Some(waker) = woken {
            waker.wake();
        }
        true
    }

    /// Takes the installed waker, if there is one to wake. Producers call this (and
    /// the consumer, to clear the cell when the collection is dropped).
    pub(super) fn take(&self) -> Option<Waker> {
        // Acquire: pairs with the consumer's release of `FULL` (the waker in the cell).
        if self.state.load(Ordering::Acquire) == EMPTY {
            // Nobody to wake. The consumer has not registered since the last take: it
            // will, then drain the wake-up that led here (see `register`).
            return None;
        }
        // AcqRel: acquire the cell from the consumer's `FULL`; release, so a consumer
        // in `REGISTERING` that sees our mark (its failed exchange acquires) also sees
        // the wake-up we queued before coming here.
        match self.state.fetch_or(WAKING, Ordering::AcqRel) {
            FULL => {
                // SAFETY: the state went from `FULL` to `FULL | WAKING` by our hand: we own
                // the cell until we store a new state.
                let waker = self.waker.with_mut(|w| unsafe { (*w).take() });
                // Release: the consumer's next `register` sees the cell empty. A plain
                // store is enough: a producer whose mark this overwrites pushed its
                // wake-up after the consumer's last drain, so the poll our wake-up
                // causes drains it (`ready.rs` explains why the drain sees it).
                self.state.store(EMPTY, Ordering::Release);
                waker
            }
            EMPTY => {
                // Taken by someone else since our load: undo our mark, unless the
                // consumer has claimed the cell meanwhile (`register` stores
                // `REGISTERING` over it; then the exchange fails and we leave).
                let _ = self.state.compare_exchange(
                    WAKING,
                    EMPTY,
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                );
                None
            }
            // `REGISTERING`: the consumer sees our mark and wakes its task.
            // Already marked: another producer owns the cell and wakes the task.
            _ => None,
        }
    }
}
