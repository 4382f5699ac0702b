//! Storage for the children of a collection, where they never move.
//!
//! Children are stored in groups of up to [`GROUP`] slots, the same groups as their
//! wakers' (`ready.rs`), so child `i` is slot `i % GROUP` of group `i / GROUP`. Each
//! group is one allocation whose capacity is fixed when it is made: slots are never
//! moved, so a child can be polled in place (pinned) without boxing each child. One
//! allocation per group, never one per child or per wake-up.
//!
//! Group sizes follow the expected number of children (an iterator's size hint), and
//! otherwise grow with the collection (4, 4, 8, 16, 32, then 64 slots), so a small
//! collection does not reserve 64 slots. A group that is not full when the next group
//! starts leaves its indices unused.

// `unsafe` here: one pin projection, argued at `Slab::future`.
#![allow(unsafe_code)]

use alloc::vec::{self, Vec};
use core::iter::Flatten;
use core::pin::Pin;
use core::slice;

use super::ready::GROUP;

/// A slot's type: where its future is, if it holds one.
///
/// An implementation must return a field of the slot (or `None`) and never move it, so
/// that `Slab::future` can pin it in place.
pub(super) trait Slot {
    type Future;
    fn future(&mut self) -> Option<&mut Self::Future>;
}

impl<F> Slot for Option<F> {
    type Future = F;
    fn future(&mut self) -> Option<&mut F> {
        self.as_mut()
    }
}

/// The slots of a collection, in groups that never reallocate.
pub(super) struct Slab<S> {
    groups: Vec<Vec<S>>,
    /// Slots the caller expects to need, for sizing groups.
    expected: usize,
    /// Slots in all groups.
    capacity: usize,
    /// Slots that hold a future.
    live: usize,
}

impl<S: Slot> Slab<S> {
    pub(super) const fn new() -> Slab<S> {
        Slab {
            groups: Vec::new(),
            expected: 0,
            capacity: 0,
            live: 0,
        }
    }

    /// Sizes the next groups for `additional` more slots.
    pub(super) fn expect(&mut self, additional: usize) {
        self.expected = self.capacity.saturating_add(additional);
        self.groups.reserve(additional.div_ceil(GROUP));
    }

    /// Stores `slot` at the next index and returns that index.
    pub(super) fn push(&mut self, mut slot: S) -> usize {
        let full = self
            .groups
            .last()
            .is_none_or(|last| last.len() >= last.capacity().min(GROUP));
        if full {
            let size = if self.expected > self.capacity {
                self.expected - self.capacity
            } else {
                self.capacity.max(4)
            };
            let group = Vec::with_capacity(size.min(GROUP));
            self.capacity += group.capacity().min(GROUP);
            self.groups.push(group);
        }
        self.live += usize::from(slot.future().is_some());
        let group = self.groups.len() - 1;
        let last = &mut self.groups[group];
        // Within the capacity checked above: no reallocation, nothing moves.
        last.push(slot);
        group * GROUP + last.len() - 1
    }

    /// Replaces the slot at `index`; the old value is dropped in place.
    pub(super) fn set(&mut self, index: usize, mut slot: S) {
        if let Some(old) = self
            .groups
            .get_mut(index / GROUP)
            .and_then(|g| g.get_mut(index % GROUP))
        {
            self.live -= usize::from(old.future().is_some());
            self.live += usize::from(slot.future().is_some());
            *old = slot;
        }
    }

    /// Every slot, in index order.
    pub(super) fn slots(&self) -> Flatten<slice::Iter<'_, Vec<S>>> {
        self.groups.iter().flatten()
    }

    /// Every slot, mutably: only for slots that may move.
    pub(super) fn slots_mut(&mut self) -> Flatten<slice::IterMut<'_, Vec<S>>>
    where
        S: Unpin,
    {
        self.groups.iter_mut().flatten()
    }

    /// Every slot by value, in index order: only for slots that may move.
    pub(super) fn into_slots(self) -> Flatten<vec::IntoIter<Vec<S>>>
    where
        S: Unpin,
    {
        self.groups.into_iter().flatten()
    }

    /// Every slot by value, in index order, once no slot holds a future.
    ///
    /// # Panics
    /// If a slot still holds a future (it would be moved after being pinned).
    pub(super) fn into_finished(self) -> impl Iterator<Item = S> {
        assert_eq!(self.live, 0, "moving slots that hold futures");
        self.groups.into_iter().flatten()
    }

    /// The future in the slot at `index`, pinned, if the slot holds one.
    pub(super) fn future(&mut self, index: usize) -> Option<Pin<&mut S::Future>> {
        let slot = self.groups.get_mut(index / GROUP)?.get_mut(index % GROUP)?;
        let future = slot.future()?;
        // SAFETY: a future stays at this address until it is dropped there: groups
        // never reallocate (`push` stays within their capacity) and are dropped whole,
        // dropping each slot in place; `set` replaces a slot by assignment, which drops
        // the old value in place; and the only ways to move a slot out (`slots_mut`,
        // `into_slots`) require `Unpin`, while `into_finished` refuses to run while any
        // slot holds a future (`live` counts them exactly: every slot enters through
        // `push` or `set`, and nothing else changes a slot).
        Some(unsafe { Pin::new_unchecked(future) })
    }
}
