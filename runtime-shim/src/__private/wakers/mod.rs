//! Per-child wakers for large `select!`s and `join!`s, without reference counting.
//!
//! A select with many branches gives each branch its own waker, so that after a wake-up
//! it polls only the branches that were woken; so does a join with many children (a
//! "child" below is either). The wakers point into a [`Block`]: the task's waker
//! ([`task::TaskWaker`]) and one "woken" flag per child ([`Mask`](super::mask::Mask)
//! layout). Children clone their waker whenever they return `Pending`, so a reference
//! count on the block would cost two atomic operations per pending child per poll,
//! more than polling a cheap child again.
//!
//! Instead, blocks are never deallocated: a select leases one ([`Lease`]) from the
//! [`pool`] on its first poll and gives it back when dropped, so a waker's pointer stays
//! valid forever and cloning or dropping a waker does nothing. The pool bounds the
//! memory: blocks never outnumber the large selects and joins alive at once, plus a
//! few cached per thread.
//!
//! A lease is the only handle that writes its block's task waker: it is not `Copy`,
//! only the pool makes one, and the select holds it in [`ChildWakers`] until dropped.
//!
//! The task's waker is stored only when the select is about to return `Pending`: a
//! select that finds a ready branch on its first poll (the common, "hot" case) makes no
//! atomic read-modify-write.
//!
//! A waker that outlives its select may later set a flag of, and wake, whichever select
//! leases the block next. That is a spurious wake-up (the task polls, the woken branch
//! is polled and returns `Pending` again), which the `Future` contract allows. A
//! wake-up is never lost: the first poll of a lease clears stale flags and polls every
//! branch, and a flag set before the task's waker was stored is checked for right
//! after storing it ([`Woken::before_pending`]).

// `unsafe` here: building `Waker`s from `'static` targets, and reading a target back.
#![allow(unsafe_code)]

mod pool;
mod task;

use core::mem::ManuallyDrop;
use core::task::{Context, RawWaker, RawWakerVTable, Waker};
use std::boxed::Box;

use self::task::{Owner, TaskWaker};
use super::mask::{Mask, locate, words};
use crate::sync::{AtomicU32, Ordering};

/// What the wakers of one select's children share. Lives forever.
struct Block {
    /// The waker of the task that polls the select leasing this block.
    task: &'static TaskWaker,
    /// Bit `i` set: child `i` was woken since the select last drained the flags.
    woken: Box<[AtomicU32]>,
}

impl Block {
    fn wake(&self, index: usize) {
        let (word, bit) = locate(index);
        // AcqRel: pairs with the select's `swap` of the word, so a flag set after a
        // drain also sees the task waker the select stored before draining.
        if self.woken[word].fetch_or(bit, Ordering::AcqRel) != 0 {
            // The word was not empty: a wake-up that drains it is already under way.
            return;
        }
        self.task.wake();
    }
}

/// The data a child's waker points at.
struct Target {
    block: &'static Block,
    index: usize,
}

/// Exclusive use of a block and its targets (`targets[i].index == i`): only the pool makes
/// one, and only the lease holder writes the block's task waker.
pub(crate) struct Lease {
    block: &'static Block,
    /// Writes `block.task`.
    owner: Owner,
    targets: &'static [Target],
}

impl Lease {
    /// A block for up to `32 * words` children: a free one from the pool, or a new one.
    fn take(words: usize) -> Lease {
        pool::take(words - 1).unwrap_or_else(|| Lease::new(words))
    }

    fn new(words: usize) -> Lease {
        #[cfg(all(test, not(patience_loom)))]
        tests::MADE.fetch_add(usize::from(words == 4), Ordering::SeqCst);
        let (task, owner) = Owner::new();
        let block: &'static Block = Box::leak(Box::new(Block {
            task,
            woken: (0..words).map(|_| AtomicU32::new(0)).collect(),
        }));
        let targets = (0..32 * words)
            .map(|index| Target { block, index })
            .collect();
        Lease {
            block,
            owner,
            targets: Box::leak::<'static>(targets),
        }
    }

    /// The pool's size class of this block.
    fn class(&self) -> usize {
        self.block.woken.len() - 1
    }

    /// Makes child wake-ups reach `waker` (no atomic operation if they already do).
    #[inline]
    fn store(&mut self, waker: &Waker) {
        if !self.owner.is(Some(waker)) {
            self.owner.replace(Some(waker));
        }
    }

    /// Takes the flags of the children woken since the last drain.
    #[inline]
    fn drain<const W: usize>(&mut self) -> [u32; W] {
        let mut words = [0u32; W];
        for (word, flags) in words.iter_mut().zip(self.block.woken.iter()) {
            // Skip the read-modify-write when nothing was woken (the common case for
            // all but one word).
            if flags.load(Ordering::Relaxed) != 0 {
                *word = flags.swap(0, Ordering::AcqRel);
            }
        }
        words
    }

    /// Clears the task waker and returns the block to the pool. If a wake-up is under
    /// way the old waker stays (the next lease of the block replaces it): the pool
    /// holds at most one stale waker per block.
    fn give_back(mut self) {
        if !self.owner.is(None) {
            self.owner.replace(None);
        }
        pool::give_back(self);
    }

    fn any_woken(&self) -> bool {
        self.block
            .woken
            .iter()
            .any(|w| w.load(Ordering::Acquire) != 0)
    }
}

const VTABLE: RawWakerVTable = RawWakerVTable::new(clone_waker, wake, wake, drop_waker);

fn clone_waker(target: *const ()) -> RawWaker {
    RawWaker::new(target, &VTABLE)
}

fn wake(target: *const ()) {
    // SAFETY: every waker with this vtable was made by `Woken::waker` (or cloned from
    // one), whose data pointer comes from a `&'static Target`: it is valid for reads
    // forever, and `Target` is `Sync`, so any thread may read it.
    let target: &'static Target = unsafe { &*target.cast::<Target>() };
    target.block.wake(target.index);
}

fn drop_waker(_: *const ()) {}

/// The per-child wakers of a select or join of `K` children (`W == words(K)`): the
/// leased block, from the first poll until the select is dropped.
pub struct ChildWakers<const K: usize, const W: usize> {
    lease: Option<Lease>,
}

impl<const K: usize, const W: usize> ChildWakers<K, W> {
    /// No block yet: it is leased on the first poll.
    #[inline]
    pub const fn new() -> Self {
        const { assert!(W == words(K), "W must be words(K)") };
        ChildWakers { lease: None }
    }

    /// The children to poll now: all of them on the first poll, afterwards those woken
    /// since the previous poll, with the task's waker to store before returning
    /// `Pending` on the first poll (see [`Woken::before_pending`]). On later polls the
    /// task's waker is stored here, before the flags are drained, so a child woken
    /// after the drain reaches the task that polls now.
    #[inline]
    pub fn drain<'a, 'w: 'a>(&'a mut self, cx: &'a Context<'w>) -> Woken<'a, K, W> {
        let first_poll = self.lease.is_none();
        let lease = self.lease.get_or_insert_with(|| Lease::take(W));
        if !first_poll {
            lease.store(cx.waker());
        }
        // On the first poll this clears flags set by wakers of an earlier select that
        // leased the block.
        let words = lease.drain::<W>();
        let (children, install) = if first_poll {
            (Mask::first(K), Some(cx.waker()))
        } else {
            (Mask::from_words(words), None)
        };
        Woken {
            children,
            // Once per poll, so that each child's waker needs no bounds check.
            targets: lease.targets[..K]
                .try_into()
                .expect("a block leased for K children has at least K targets"),
            lease,
            install,
        }
    }
}

impl<const K: usize, const W: usize> Default for ChildWakers<K, W> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const K: usize, const W: usize> Drop for ChildWakers<K, W> {
    fn drop(&mut self) {
        if let Some(lease) = self.lease.take() {
            lease.give_back();
        }
    }
}

/// The children to poll on one poll of a select or join, and their wakers. It borrows
/// the [`ChildWakers`] it came from, so it cannot outlive the lease it writes through.
pub struct Woken<'a, const K: usize, const W: usize> {
    children: Mask<W>,
    targets: &'static [Target; K],
    lease: &'a mut Lease,
    /// On the first poll: the task's waker, not stored yet.
    install: Option<&'a Waker>,
}

impl<const K: usize, const W: usize> Woken<'_, K, W> {
    /// To call before the select returns `Pending`. On the first poll, stores the
    /// task's waker only now, so that a select whose first poll finishes (a branch was
    /// ready) never touches the block's task waker. A child woken during this poll found
    /// no waker to wake (or an old one), but its flag is set: the task is then woken
    /// here, so the flag is drained on the next poll. (Either the child's wake-up reads
    /// the task waker after it was stored and wakes the task itself, or it set its flag
    /// before, and the load below sees the flag.)
    #[inline]
    pub fn before_pending(&mut self) {
        if let Some(waker) = self.install.take() {
            self.lease.store(waker);
            if self.lease.any_woken() {
                waker.wake_by_ref();
            }
        }
    }

    /// Whether child `index` is to be polled now.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn contains(&self, index: usize) -> bool {
        self.children.contains(index)
    }

    /// The next child to poll in the order of a poll that starts at `start` (see
    /// [`Mask::pop_from`]), taken out of the set.
    #[inline]
    pub fn pop_from(&mut self, start: usize) -> Option<usize> {
        self.children.pop_from(start)
    }

    /// The waker child `index` must be polled with. Dropping it would do nothing, so
    /// it comes in a `ManuallyDrop`, which saves an indirect call per child poll.
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn waker(&self, index: usize) -> ManuallyDrop<Waker> {
        let target: *const Target = &self.targets[index];
        // SAFETY: the `RawWaker` contract holds for `VTABLE` with pointers to `'static`
        // targets: the data stays valid forever, `clone` returns an equivalent waker,
        // `wake` and `wake_by_ref` only read the `Sync` target (so any thread may call
        // them), and `drop` has nothing to release.
        ManuallyDrop::new(unsafe { Waker::from_raw(RawWaker::new(target.cast(), &VTABLE)) })
    }
}

#[cfg(all(test, not(patience_loom)))]
mod tests;

#[cfg(all(test, patience_loom))]
mod loom_tests;
