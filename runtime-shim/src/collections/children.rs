//! The children of a collection: their slots (`slab.rs`) and their wakers and ready
//! queue (`ready.rs`), kept in step. Every collection is one of these plus its own
//! bookkeeping.
//!
//! A poll of a collection is one round: [`Children::begin`], then [`Children::next`]
//! until it returns `None`, polling each child it names with the waker it gives, then
//! [`Children::end`] before returning `Pending`. A round polls only children woken
//! before it began (or added during it), at most [`BUDGET`](super::ready::BUDGET) of
//! them; `end` wakes the task if some are left, so the collection yields to the
//! executor after a bounded amount of work.

use core::mem::ManuallyDrop;
use core::task::{Context, Waker};

use super::ready::{GROUP, ReadyQueue};
use super::slab::{Slab, Slot};

pub(super) struct Children<S> {
    pub(super) slab: Slab<S>,
    queue: ReadyQueue,
}

impl<S: Slot> Children<S> {
    pub(super) fn new() -> Children<S> {
        Children {
            slab: Slab::new(),
            queue: ReadyQueue::new(),
        }
    }

    /// Children made from `slots`, each to be polled on the first poll, in order;
    /// returns them with their number.
    pub(super) fn collect(slots: impl Iterator<Item = S>) -> (Children<S>, usize) {
        let mut children = Children::new();
        let count = children.extend(slots);
        (children, count)
    }

    /// Adds children at new indices, to be polled in order in this round or the next
    /// poll, marking them one group (one atomic operation) at a time; returns how many.
    /// If `slots` panics, the children of its last group stay unmarked: never polled,
    /// and dropped with the collection (whose counts do not include them).
    pub(super) fn extend(&mut self, slots: impl Iterator<Item = S>) -> usize {
        self.slab.expect(slots.size_hint().0);
        let (mut count, mut group, mut bits) = (0, 0, 0);
        for slot in slots {
            let index = self.slab.push(slot);
            count += 1;
            if index / GROUP != group && bits != 0 {
                self.queue.mark(group, bits);
                bits = 0;
            }
            group = index / GROUP;
            bits |= 1 << (index % GROUP);
        }
        if bits != 0 {
            self.queue.mark(group, bits);
        }
        count
    }

    /// Adds a child (at a new index), to be polled in this round or the next poll.
    pub(super) fn push(&mut self, slot: S) -> usize {
        let index = self.slab.push(slot);
        self.mark(index);
        index
    }

    /// Puts a child in the slot at `index` (a vacant one), to be polled in this round or
    /// the next poll.
    pub(super) fn put(&mut self, index: usize, slot: S) {
        self.slab.set(index, slot);
        self.mark(index);
    }

    fn mark(&mut self, index: usize) {
        self.queue.mark(index / GROUP, 1 << (index % GROUP));
    }

    /// Starts a round (a poll of the collection).
    #[inline]
    pub(super) fn begin(&mut self, cx: &Context<'_>) {
        self.queue.begin(cx);
    }

    /// The next child to poll in this round, with the waker to poll it with (which
    /// needs no dropping).
    #[inline]
    pub(super) fn next(&mut self) -> Option<(usize, ManuallyDrop<Waker>)> {
        let index = self.queue.next()?;
        Some((index, self.queue.waker(index)))
    }

    /// Ends a round that returns `Pending` (see [`ReadyQueue::end`]).
    #[inline]
    pub(super) fn end(&self, cx: &Context<'_>) {
        self.queue.end(cx);
    }
}

impl<S> core::fmt::Debug for Children<S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Children")
            .field("queue", &self.queue)
            .finish_non_exhaustive()
    }
}
