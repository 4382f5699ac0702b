//! Per-branch wakers for large `select!`s, without reference counting.
//!
//! A select with many branches gives each branch its own waker, so that after a wake-up
//! it polls only the branches that were woken. The wakers point into a [`Block`]: the
//! task's waker and one "woken" flag per branch. Children clone their waker whenever
//! they return `Pending`, so a reference count on the block would cost two atomic
//! operations per pending branch per select, more than polling a cheap branch again.
//!
//! Instead, blocks are never deallocated: a select leases one from a free list (this
//! thread's, else a global one) on its first poll and returns it when dropped, so a waker's pointer stays valid
//! forever and cloning or dropping a waker does nothing. The memory kept is bounded by
//! the largest number of large selects alive at once (16 bytes per branch and a few
//! words each).
//!
//! A waker that outlives its select may later set a flag of, and wake, whichever select
//! leases the block next. That is a spurious wake-up (the task polls, the woken branch
//! is polled and returns `Pending` again), which the `Future` contract allows; a wake-up
//! is never lost, because a lease clears the flags after installing the task's waker
//! and polls every branch on its first poll.

// `unsafe` here: building `Waker`s from `'static` cells. Each use carries its argument.
#![allow(unsafe_code)]

use core::cell::RefCell;
use core::task::{Context, RawWaker, RawWakerVTable, Waker};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, PoisonError};

/// What the wakers of one select's branches share. Lives forever.
struct Block {
    /// The waker of the task that polls the select leasing this block; `None` while the
    /// block is free.
    parent: Mutex<Option<Waker>>,
    /// Bit `i` set: branch `i` was woken since the select last drained the flags.
    woken: Box<[AtomicU32]>,
}

impl Block {
    fn wake(&self, index: usize) {
        let bit = 1u32 << (index % 32);
        // AcqRel: pairs with the select's `swap` of the word, so a flag set after a
        // drain also sees the task waker the select installed before draining.
        if self.woken[index / 32].fetch_or(bit, Ordering::AcqRel) != 0 {
            // The word was not empty: the task has a wake-up pending that drains it.
            return;
        }
        // Clone under the lock and wake outside it: waking may run arbitrary code.
        let parent = self
            .parent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(parent) = parent {
            parent.wake();
        }
    }

    fn set_parent(&self, waker: Option<&Waker>) {
        let mut parent = self.parent.lock().unwrap_or_else(PoisonError::into_inner);
        let old = match (waker, &*parent) {
            (Some(new), Some(old)) if old.will_wake(new) => None,
            _ => core::mem::replace(&mut *parent, waker.cloned()),
        };
        drop(parent);
        // Dropped outside the lock: dropping a waker may run arbitrary code.
        drop(old);
    }
}

/// The data a branch waker points at.
struct Cell {
    block: &'static Block,
    index: usize,
}

/// A block with its cells (`cells[i].index == i`).
#[derive(Clone, Copy)]
struct Lease {
    block: &'static Block,
    cells: &'static [Cell],
}

/// Blocks not leased by any select, given back on threads that have exited.
static FREE: Mutex<Vec<Lease>> = Mutex::new(Vec::new());

/// Blocks not leased by any select, given back on this thread: taking and giving back
/// needs no lock. When the thread exits, they move to [`FREE`].
struct LocalFree(RefCell<Vec<Lease>>);

impl Drop for LocalFree {
    fn drop(&mut self) {
        FREE.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .append(self.0.get_mut());
    }
}

std::thread_local! {
    static LOCAL_FREE: LocalFree = const { LocalFree(RefCell::new(Vec::new())) };
}

fn take_from(free: &mut Vec<Lease>, branches: usize) -> Option<Lease> {
    let at = free.iter().position(|l| l.cells.len() == branches)?;
    Some(free.swap_remove(at))
}

impl Lease {
    /// A free block for `branches` branches (from this thread's list, else the global
    /// one), or a new one.
    fn take(branches: usize) -> Lease {
        let local = LOCAL_FREE
            .try_with(|free| take_from(&mut free.0.borrow_mut(), branches))
            .ok()
            .flatten();
        if let Some(lease) = local {
            return lease;
        }
        let global = take_from(
            &mut FREE.lock().unwrap_or_else(PoisonError::into_inner),
            branches,
        );
        if let Some(lease) = global {
            return lease;
        }
        let words = branches.div_ceil(32);
        let block: &'static Block = Box::leak(Box::new(Block {
            parent: Mutex::new(None),
            woken: (0..words).map(|_| AtomicU32::new(0)).collect(),
        }));
        let cells: &'static [Cell] = Box::leak(
            (0..branches)
                .map(|index| Cell { block, index })
                .collect::<Box<[Cell]>>(),
        );
        Lease { block, cells }
    }

    fn give_back(self) {
        self.block.set_parent(None);
        // During thread exit (this thread's list already gone): the global list.
        if LOCAL_FREE
            .try_with(|free| free.0.borrow_mut().push(self))
            .is_err()
        {
            FREE.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(self);
        }
    }
}

const VTABLE: RawWakerVTable = RawWakerVTable::new(clone_waker, wake, wake, drop_waker);

fn clone_waker(cell: *const ()) -> RawWaker {
    RawWaker::new(cell, &VTABLE)
}

fn wake(cell: *const ()) {
    // SAFETY: every waker with this vtable was made by `Woken::waker` (or cloned from
    // one), whose data pointer comes from a `&'static Cell`: it is valid for reads
    // forever, and `Cell` is `Sync`, so any thread may read it.
    let cell: &'static Cell = unsafe { &*cell.cast::<Cell>() };
    cell.block.wake(cell.index);
}

fn drop_waker(_: *const ()) {}

/// Select state for `K` branches with their own wakers (`W == K.div_ceil(32)`): the
/// leased block, from the first poll until the select is dropped.
pub struct BranchWakers<const K: usize, const W: usize> {
    lease: Option<Lease>,
}

impl<const K: usize, const W: usize> BranchWakers<K, W> {
    /// No block yet: it is leased on the first poll.
    #[inline]
    pub const fn new() -> Self {
        const { assert!(W == K.div_ceil(32), "W must be K.div_ceil(32)") };
        BranchWakers { lease: None }
    }

    /// The branches to poll now: all of them on the first poll, afterwards those woken
    /// since the previous poll. Makes sure that branch wake-ups reach the task that
    /// polls now (installing its waker before draining the flags).
    #[inline]
    pub fn drain(&mut self, cx: &Context<'_>) -> Woken<W> {
        let first_poll = self.lease.is_none();
        let lease = *self.lease.get_or_insert_with(|| Lease::take(K));
        lease.block.set_parent(Some(cx.waker()));
        let mut words = [0u32; W];
        for (word, flags) in words.iter_mut().zip(lease.block.woken.iter()) {
            // Skip the read-modify-write when nothing was woken (the common case for
            // all but one word).
            if flags.load(Ordering::Relaxed) != 0 {
                *word = flags.swap(0, Ordering::AcqRel);
            }
        }
        if first_poll {
            words = [u32::MAX; W];
            if K % 32 != 0 {
                words[W - 1] = (1u32 << (K % 32)) - 1;
            }
        }
        Woken {
            words,
            cells: lease.cells,
        }
    }
}

impl<const K: usize, const W: usize> Default for BranchWakers<K, W> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const K: usize, const W: usize> Drop for BranchWakers<K, W> {
    fn drop(&mut self) {
        if let Some(lease) = self.lease.take() {
            lease.give_back();
        }
    }
}

/// The branches to poll on one poll of a select, and their wakers.
pub struct Woken<const W: usize> {
    words: [u32; W],
    cells: &'static [Cell],
}

impl<const W: usize> Woken<W> {
    /// Whether branch `index` is to be polled now.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn contains(&self, index: usize) -> bool {
        self.words[index / 32] & (1 << (index % 32)) != 0
    }

    /// The waker branch `index` must be polled with.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn waker(&self, index: usize) -> Waker {
        let cell: *const Cell = &self.cells[index];
        // SAFETY: the `RawWaker` contract holds for `VTABLE` with pointers to `'static`
        // cells: the data stays valid forever, `clone` returns an equivalent waker,
        // `wake` and `wake_by_ref` only read the `Sync` cell (so any thread may call
        // them), and `drop` has nothing to release.
        unsafe { Waker::from_raw(RawWaker::new(cell.cast(), &VTABLE)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;
    use std::task::Wake;

    struct CountWakes(AtomicUsize);
    impl Wake for CountWakes {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn listed<const W: usize>(woken: &Woken<W>, k: usize) -> Vec<usize> {
        (0..k).filter(|&i| woken.contains(i)).collect()
    }

    // A branch count no other test uses, so the free list cannot hand this test a
    // block another test holds or fills.
    const K: usize = 70;

    #[test]
    fn first_poll_lists_every_branch_then_only_woken_ones() {
        let parent = Arc::new(CountWakes(AtomicUsize::new(0)));
        let waker = Waker::from(parent.clone());
        let cx = Context::from_waker(&waker);
        let mut wakers = BranchWakers::<K, 3>::new();
        let first = wakers.drain(&cx);
        assert_eq!(listed(&first, K), (0..K).collect::<Vec<_>>());
        let children: Vec<Waker> = [1, 2, 40, 69].iter().map(|&i| first.waker(i)).collect();
        assert!(listed(&wakers.drain(&cx), K).is_empty());
        for c in &children {
            c.wake_by_ref();
        }
        // One task wake-up per flag word that went from empty to non-empty.
        assert_eq!(parent.0.load(Ordering::SeqCst), 3);
        assert_eq!(listed(&wakers.drain(&cx), K), vec![1, 2, 40, 69]);
        // A clone woken by value (`wake`) works like `wake_by_ref`.
        let clone = children[0].clone();
        clone.wake();
        children[0].wake_by_ref();
        assert_eq!(parent.0.load(Ordering::SeqCst), 4);
        assert_eq!(listed(&wakers.drain(&cx), K), vec![1]);
        drop(wakers);
        // The select is gone: kept wakers still work and wake nobody.
        for c in &children {
            c.wake_by_ref();
        }
        assert_eq!(parent.0.load(Ordering::SeqCst), 4);
        // The next select of this size reuses the block; stale flags are cleared and
        // its first poll lists every branch; the stale wakers now reach its task.
        let mut next = BranchWakers::<K, 3>::new();
        assert_eq!(listed(&next.drain(&cx), K).len(), K);
        children[3].wake_by_ref();
        assert_eq!(parent.0.load(Ordering::SeqCst), 5);
        assert_eq!(listed(&next.drain(&cx), K), vec![69]);
    }
}
