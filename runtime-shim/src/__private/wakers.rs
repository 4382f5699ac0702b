//! Per-branch wakers for large `select!`s and `join!`s, without reference counting.
//!
//! A select with many branches gives each branch its own waker, so that after a wake-up
//! it polls only the branches that were woken; so does a join with many children (a
//! "branch" below is also a join's child). The wakers point into a [`Block`]: the
//! task's waker and one "woken" flag per branch. Children clone their waker whenever
//! they return `Pending`, so a reference count on the block would cost two atomic
//! operations per pending branch per select, more than polling a cheap branch again.
//!
//! Instead, blocks are never deallocated: a select leases one from a free list (this
//! thread's, else a global one) on its first poll and returns it when dropped, so a
//! waker's pointer stays valid forever and cloning or dropping a waker does nothing.
//! The memory kept is bounded by the largest number of large selects alive at once
//! (16 bytes per branch and a few words each).
//!
//! The task's waker is stored in the block only when the select is about to return
//! `Pending`: a select that finds a ready branch on its first poll (the common, "hot"
//! case) never takes the block's lock. The block's spin lock is described at
//! [`Parent`].
//!
//! A waker that outlives its select may later set a flag of, and wake, whichever select
//! leases the block next. That is a spurious wake-up (the task polls, the woken branch
//! is polled and returns `Pending` again), which the `Future` contract allows. A
//! wake-up is never lost: the first poll of a lease clears stale flags and polls every
//! branch, and a flag set before the task's waker was stored is checked for right
//! after storing it ([`Woken::before_pending`]).

// `unsafe` here: building `Waker`s from `'static` cells. Each use carries its argument.
#![allow(unsafe_code)]

use core::cell::{RefCell, UnsafeCell};
use core::mem::ManuallyDrop;
use core::task::{Context, RawWaker, RawWakerVTable, Waker};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Mutex, PoisonError};

/// The waker of the task polling the select that leases a block, behind a spin lock.
///
/// Only the leasing select writes it (installing its task's waker, clearing it when it
/// gives the block back), always under the lock; branch wakers, on any thread, read it
/// (clone it) under the lock. So the select may also read it without the lock: no write
/// can overlap its own read, and concurrent reads are fine. That makes a poll by the
/// same task as the previous one free of atomic read-modify-writes. The critical
/// sections only clone or swap a waker, so a spin lock (one compare-exchange, one store)
/// does as well as a `Mutex` (two read-modify-writes) for less.
struct Parent {
    locked: AtomicBool,
    waker: UnsafeCell<Option<Waker>>,
}

// SAFETY: `waker` is only written under `locked`, by the leasing select, and read either
// under `locked` (any thread) or without it by the leasing select, which is the only
// writer, so its unlocked reads never overlap a write. `Waker` is `Send + Sync`.
unsafe impl Sync for Parent {}

/// Holds `Parent::locked`; releases it when dropped (also if cloning a waker panics).
struct Locked<'a>(&'a Parent);

impl Drop for Locked<'_> {
    fn drop(&mut self) {
        self.0.locked.store(false, Ordering::Release);
    }
}

impl Parent {
    const fn new() -> Parent {
        Parent {
            locked: AtomicBool::new(false),
            waker: UnsafeCell::new(None),
        }
    }

    fn lock(&self) -> Locked<'_> {
        let mut spins = 0u32;
        while self
            .locked
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            // The holder only clones or swaps a waker; if it was descheduled meanwhile,
            // stop burning a CPU it may need.
            spins += 1;
            if spins < 64 {
                core::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
        Locked(self)
    }

    /// A clone of the task's waker, for a branch waker on any thread.
    fn get(&self) -> Option<Waker> {
        let _locked = self.lock();
        // SAFETY: under the lock, no write overlaps this read (see `Parent`).
        unsafe { (*self.waker.get()).clone() }
    }

    /// Installs `waker`, or clears it.
    ///
    /// # Safety
    /// Only the select that leases the block may call this.
    #[inline(always)]
    unsafe fn set(&self, waker: Option<&Waker>) {
        // SAFETY: the caller is the only writer, so this unlocked read overlaps no write.
        let same = match (waker, unsafe { &*self.waker.get() }) {
            (Some(new), Some(old)) => old.will_wake(new),
            (None, None) => true,
            _ => false,
        };
        if !same {
            // SAFETY: forwarded from the caller.
            unsafe { self.replace(waker) };
        }
    }

    /// The part of [`Parent::set`] that changes the waker, out of line: a task polls
    /// a select or join with the same waker nearly every time.
    ///
    /// # Safety
    /// As for [`Parent::set`].
    #[inline(never)]
    unsafe fn replace(&self, waker: Option<&Waker>) {
        let new = waker.cloned();
        let old = {
            let _locked = self.lock();
            // SAFETY: under the lock, by the only writer: no other reference to the
            // waker exists meanwhile.
            unsafe { core::mem::replace(&mut *self.waker.get(), new) }
        };
        // Dropped outside the lock: dropping a waker may run arbitrary code.
        drop(old);
    }
}

/// What the wakers of one select's branches share. Lives forever.
struct Block {
    /// The waker of the task that polls the select leasing this block; `None` while the
    /// block is free.
    parent: Parent,
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
        // Cloned under the lock, woken outside it: waking may run arbitrary code.
        if let Some(parent) = self.parent.get() {
            parent.wake();
        }
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
            parent: Parent::new(),
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
        // SAFETY: called by the select that leased the block, as it gives it back.
        unsafe { self.block.parent.set(None) };
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
    /// since the previous poll, with the task's waker to install before returning
    /// `Pending` on the first poll (see [`Woken::before_pending`]). On later polls the
    /// task's waker is installed here, before the flags are drained, so a branch woken
    /// after the drain reaches the task that polls now.
    #[inline]
    pub fn drain<'a, 'w: 'a>(&'a mut self, cx: &'a Context<'w>) -> Woken<'a, K, W> {
        let first_poll = self.lease.is_none();
        let lease = *self.lease.get_or_insert_with(|| Lease::take(K));
        if !first_poll {
            // SAFETY: this select holds the lease.
            unsafe { lease.block.parent.set(Some(cx.waker())) };
        }
        let mut words = [0u32; W];
        for (word, flags) in words.iter_mut().zip(lease.block.woken.iter()) {
            // Skip the read-modify-write when nothing was woken (the common case for
            // all but one word). On the first poll this clears flags set by wakers of
            // an earlier select that leased the block.
            if flags.load(Ordering::Relaxed) != 0 {
                *word = flags.swap(0, Ordering::AcqRel);
            }
        }
        let mut install = None;
        if first_poll {
            words = [u32::MAX; W];
            if K % 32 != 0 {
                words[W - 1] = (1u32 << (K % 32)) - 1;
            }
            install = Some(cx.waker());
        }
        Woken {
            words,
            // Once per poll, so that each branch's waker needs no bounds check.
            cells: lease
                .cells
                .try_into()
                .expect("a block leased for K branches has K cells"),
            block: lease.block,
            install,
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

/// The branches to poll on one poll of a select, and their wakers. It borrows the
/// [`BranchWakers`] it came from, so it cannot outlive the lease (it writes the block).
pub struct Woken<'a, const K: usize, const W: usize> {
    words: [u32; W],
    cells: &'static [Cell; K],
    block: &'static Block,
    /// On the first poll: the task's waker, not installed yet.
    install: Option<&'a Waker>,
}

impl<const K: usize, const W: usize> Woken<'_, K, W> {
    /// To call before the select returns `Pending`. On the first poll, installs the
    /// task's waker only now, so that a select whose first poll finishes (a branch
    /// was ready) never touches the lock. A branch woken during this poll found no
    /// waker to wake, but its flag is set: the task is then woken here, so the flag is
    /// drained on the next poll. (Either the branch's lock comes after the installation
    /// and it wakes the task itself, or it comes before, and the load below sees the
    /// flag it set before locking.)
    #[inline]
    pub fn before_pending(&self) {
        if let Some(waker) = self.install {
            // SAFETY: `Woken` is made by the select holding the lease, and borrows it.
            unsafe { self.block.parent.set(Some(waker)) };
            if self
                .block
                .woken
                .iter()
                .any(|w| w.load(Ordering::Acquire) != 0)
            {
                waker.wake_by_ref();
            }
        }
    }

    /// The lowest branch of flag word `word` that is listed and in `mask`, removed from
    /// the list (a bit index within the word).
    #[inline(always)]
    pub(super) fn take_lowest(&mut self, word: usize, mask: u32) -> Option<usize> {
        let bits = self.words[word] & mask;
        if bits == 0 {
            return None;
        }
        let bit = bits.trailing_zeros();
        self.words[word] &= !(1u32 << bit);
        Some(bit as usize)
    }

    /// Whether branch `index` is to be polled now.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn contains(&self, index: usize) -> bool {
        self.words[index / 32] & (1 << (index % 32)) != 0
    }

    /// The waker branch `index` must be polled with. Dropping it would do nothing, so
    /// it comes in a `ManuallyDrop`, which saves an indirect call per branch poll.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn waker(&self, index: usize) -> ManuallyDrop<Waker> {
        let cell: *const Cell = &self.cells[index];
        // SAFETY: the `RawWaker` contract holds for `VTABLE` with pointers to `'static`
        // cells: the data stays valid forever, `clone` returns an equivalent waker,
        // `wake` and `wake_by_ref` only read the `Sync` cell (so any thread may call
        // them), and `drop` has nothing to release.
        ManuallyDrop::new(unsafe { Waker::from_raw(RawWaker::new(cell.cast(), &VTABLE)) })
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

    fn listed<const W: usize>(woken: &Woken<'_, K, W>, k: usize) -> Vec<usize> {
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
        let children: Vec<Waker> = [1, 2, 40, 69]
            .iter()
            .map(|&i| ManuallyDrop::into_inner(first.waker(i)))
            .collect();
        // Not installed yet: a branch woken during the first poll sets its flag only,
        // and `before_pending` then wakes the task itself.
        assert!(first.install.is_some());
        children[0].wake_by_ref();
        assert_eq!(parent.0.load(Ordering::SeqCst), 0);
        first.before_pending();
        assert_eq!(parent.0.load(Ordering::SeqCst), 1);
        assert_eq!(listed(&wakers.drain(&cx), K), vec![1]);
        assert!(listed(&wakers.drain(&cx), K).is_empty());
        for c in &children {
            c.wake_by_ref();
        }
        // One task wake-up per flag word that went from empty to non-empty.
        assert_eq!(parent.0.load(Ordering::SeqCst), 4);
        assert_eq!(listed(&wakers.drain(&cx), K), vec![1, 2, 40, 69]);
        // A clone woken by value (`wake`) works like `wake_by_ref`.
        let clone = children[0].clone();
        clone.wake();
        children[0].wake_by_ref();
        assert_eq!(parent.0.load(Ordering::SeqCst), 5);
        assert_eq!(listed(&wakers.drain(&cx), K), vec![1]);
        drop(wakers);
        // The select is gone: kept wakers still work and wake nobody.
        for c in &children {
            c.wake_by_ref();
        }
        assert_eq!(parent.0.load(Ordering::SeqCst), 5);
        // The next select of this size reuses the block; stale flags are cleared and
        // its first poll lists every branch; the stale wakers now reach its task.
        let mut next = BranchWakers::<K, 3>::new();
        let first = next.drain(&cx);
        assert_eq!(listed(&first, K).len(), K);
        first.before_pending();
        children[3].wake_by_ref();
        assert_eq!(parent.0.load(Ordering::SeqCst), 6);
        assert_eq!(listed(&next.drain(&cx), K), vec![69]);
    }
}
