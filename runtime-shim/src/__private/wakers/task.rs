//! The task's waker in a waker block: written by the select or join that leases the
//! block, used by its children's wakers on any thread, with no lock held while user
//! code runs.
//!
//! A `Waker`'s `clone`, `wake` and `drop` are user code (the executor's), and may do
//! anything the contract allows, such as waking another child of the same select on
//! the same thread. So a child's wake-up must not hold anything another wake-up or the
//! owner could wait for. The protocol:
//!
//! - Wake-ups are readers: each enters (a compare-exchange that counts it in `state`),
//!   calls `wake_by_ref` on the stored waker, and leaves (a `fetch_sub`). Readers never
//!   wait for each other, so a wake-up nested in another's `wake_by_ref` goes through.
//! - The owner is the only writer. It replaces the waker only from a state with no
//!   reader, and holds `WRITING` for a pointer swap only: the new waker is cloned
//!   before, the old one dropped after, outside the section. A reader that finds
//!   `WRITING` waits for that swap, which runs no user code, so the wait is short and
//!   cannot be on the writer's own thread.
//! - If readers are inside when the owner wants to write, it does not wait (a reader
//!   may be running on the owner's own thread, e.g. a waker that polls the task): it
//!   wakes the new waker itself instead, so the task is polled again and the owner
//!   retries on that poll. Until then wake-ups reach the old waker (a spurious wake-up
//!   of it, which the `Future` contract allows), and none is lost: the owner drains the
//!   woken flags after each attempt, and the task polls again anyway.
//! - Since only the owner writes, the owner may read the waker without any of this
//!   (`will_wake`): a task that polls with the same waker as last time pays no atomic
//!   operation.

use core::task::Waker;

use crate::sync::{AtomicUsize, Ordering, UnsafeCell};

/// Set while the owner swaps the waker (then no reader is inside).
const WRITING: usize = 1;
/// One reader inside (the count is `state / READER`).
const READER: usize = 2;

/// The waker of the task that polls the block's current owner.
pub(crate) struct TaskWaker {
    state: AtomicUsize,
    waker: UnsafeCell<Option<Waker>>,
}

// SAFETY: `waker` is written only through the one `Owner`, in a `WRITING` section that
// excludes every reader (`replace` enters it only from a state with no reader, and
// readers enter only when `WRITING` is clear), and read by readers, which may overlap
// only each other, or by the owner, which never overlaps its own writes.
// `Waker` is `Send + Sync`.
unsafe impl Sync for TaskWaker {}

impl TaskWaker {
    /// Wakes the stored waker, if any; from any thread.
    pub(crate) fn wake(&self) {
        self.enter();
        // SAFETY: a reader is counted in `state`, so the owner does not write until it
        // leaves (see `replace`); other readers only read.
        self.waker.with(|waker| {
            if let Some(waker) = unsafe { &*waker } {
                waker.wake_by_ref();
            }
        });
        // Release: this reader's read of the waker happens before the owner's next
        // write, which starts with an acquire of a state this leaves behind.
        self.state.fetch_sub(READER, Ordering::Release);
    }

    /// Counts a reader in, once no swap is under way.
    fn enter(&self) {
        let mut state = self.state.load(Ordering::Relaxed);
        let mut spins = 0u32;
        loop {
            if state & WRITING != 0 {
                // The owner is swapping a pointer (no user code): wait for it.
                backoff(&mut spins);
                state = self.state.load(Ordering::Relaxed);
                continue;
            }
            // Acquire: the owner's last swap (released when it cleared `WRITING`)
            // happens before this reader's read.
            match self.state.compare_exchange_weak(
                state,
                state + READER,
                Ordering::Acquire,
                Ordering::Relaxed,
            ) {
                Ok(_) => return,
                Err(now) => state = now,
            }
        }
    }
}

/// The one handle that writes a [`TaskWaker`]: made once per task waker, with it, and
/// never cloned, so whoever holds it (through `&mut`) is the only writer.
pub(crate) struct Owner(&'static TaskWaker);

impl Owner {
    /// A task waker and its owner: the only way to make either.
    pub(crate) fn new() -> (&'static TaskWaker, Owner) {
        let task: &'static TaskWaker = std::boxed::Box::leak(std::boxed::Box::new(TaskWaker {
            state: AtomicUsize::new(0),
            waker: UnsafeCell::new(None),
        }));
        (task, Owner(task))
    }

    /// Whether the stored waker would wake the same task as `waker` (both `None` counts
    /// as the same). Reads without synchronising: the owner is the only writer, so no
    /// write can overlap the read.
    pub(crate) fn is(&self, waker: Option<&Waker>) -> bool {
        // SAFETY: only the owner writes the waker (`replace` takes `&mut Owner`, and
        // there is one `Owner` per task waker), so nothing writes during this read.
        self.0
            .waker
            .with(|stored| match (unsafe { &*stored }, waker) {
                (Some(old), Some(new)) => old.will_wake(new),
                (None, None) => true,
                _ => false,
            })
    }

    /// Stores `waker` (or clears the slot). Returns `false` if wake-ups were under way,
    /// in which case nothing changed and `waker` was woken so the task polls again.
    pub(crate) fn replace(&mut self, waker: Option<&Waker>) -> bool {
        let task = self.0;
        // Cloned outside the section: cloning is user code.
        let new = waker.cloned();
        // Acquire: pairs with the release of every reader that left, so their reads
        // of the old waker happen before the write below.
        if task
            .state
            .compare_exchange(0, WRITING, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            if let Some(new) = new {
                new.wake();
            }
            // The task now polls again and retries: a wait for the readers, through the
            // executor. The model checker must be told this thread waits for another.
            #[cfg(patience_loom)]
            crate::sync::yield_now();
            return false;
        }
        // SAFETY: `WRITING` is set and no reader is inside, so no other access to the
        // waker exists until it is cleared.
        let old = task
            .waker
            .with_mut(|slot| core::mem::replace(unsafe { &mut *slot }, new));
        // Release: the write happens before the read of any reader that enters next.
        task.state.store(0, Ordering::Release);
        // Dropped outside the section: dropping a waker is user code.
        drop(old);
        true
    }
}

/// Spins a little, then yields the thread: the one we wait for may have been
/// descheduled in its short section.
fn backoff(spins: &mut u32) {
    *spins += 1;
    // The model checker needs a yield on every turn of a spin loop.
    if *spins < 64 && !cfg!(patience_loom) {
        core::hint::spin_loop();
    } else {
        crate::sync::yield_now();
    }
}
