//! Per-child wakers and the queue of woken children.
//!
//! Children are numbered, and grouped by [`GROUP`] (64 on 64-bit targets). Each group
//! has a [`Chunk`]: one cache line holding a "woken" bit per child of the group, a
//! reference count, and a link. A child's waker points into its group's chunk: its data
//! pointer is the chunk's address plus the child's position in the group, so it names
//! both the chunk (the address rounded down to the chunk's alignment) and the bit.
//!
//! Waking a child sets its bit. The waker that turns a chunk's bits from none to some
//! pushes the chunk onto the collection's lock-free stack of woken chunks ([`Shared`]);
//! the waker whose push finds that stack empty wakes the collection's task. So a
//! wake-up costs O(1): a few atomic operations, never a scan over children, and no
//! allocation. The collection takes the whole stack with one swap at the start of a
//! poll, keeps the chunks in its own first-in first-out list, and clears a chunk's bits
//! when it reaches it (children of one chunk are polled in index order).
//!
//! Invariant: a chunk's bits are non-zero exactly while the chunk is on the stack, on
//! the collection's list, or being pushed. Only the waker that made them non-zero
//! pushes (writing the chunk's link), and only the collection clears them, after it has
//! read the link; so a chunk is never on two lists at once and links are never
//! overwritten while in use.
//!
//! Memory: a chunk lives as long as the collection or any waker clone pointing into it
//! (one reference count per chunk, one increment per clone); it holds the [`Shared`]
//! part (stack and task waker) alive. When the collection is dropped it sets every
//! bit of its chunks, so wakers kept after it is gone only set a bit that is already
//! set: they push nothing and wake nobody.

// `unsafe` here: building wakers from chunk addresses and freeing chunks when their
// count reaches zero. Each block carries its argument.
#![allow(unsafe_code)]

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::mem::ManuallyDrop;
use core::ops::Deref;
use core::ptr::NonNull;
use core::task::{Context, RawWaker, RawWakerVTable, Waker};

use super::parent::{Parent, WakerId};
use super::sync::{AtomicUsize, Ordering, fence};

/// Children per chunk: one bit each in a `usize`.
pub(super) const GROUP: usize = usize::BITS as usize;

/// Child polls one poll of a collection makes at most before it yields (wakes its own
/// task and returns `Pending`, so other tasks run and tokio's budget is renewed).
pub(super) const BUDGET: usize = 32;

/// What the wakers of one collection share.
struct Shared {
    /// The newest woken chunk not yet taken by the collection, as group index + 1
    /// (0: none); chunks link to the next through [`Chunk::next`].
    head: AtomicUsize,
    /// The waker of the task polling the collection.
    parent: Parent,
}

/// The wake-up state of one group of children. Aligned (and so sized) to 64 bytes, at
/// least [`GROUP`]: child `i`'s waker points at byte `i` of its chunk.
#[repr(C, align(64))]
struct Chunk {
    /// The collection's reference plus one per waker clone.
    refs: AtomicUsize,
    /// Bit `i`: child `i` of the group was woken and not yet taken by the collection.
    bits: AtomicUsize,
    /// The next chunk (group index + 1; 0: none) on the stack or the collection's list.
    next: AtomicUsize,
    /// This chunk's group index.
    group: usize,
    shared: Arc<Shared>,
}

const ALIGN: usize = core::mem::align_of::<Chunk>();
const _: () = assert!(ALIGN >= GROUP && core::mem::size_of::<Chunk>() >= GROUP);

impl Chunk {
    /// Marks child `bit` woken; pushes the chunk and wakes the task if needed.
    fn wake(&self, bit: usize) {
        // AcqRel: release publishes what the child did before waking to the poll that
        // clears the bit; acquire orders our write of `next` below after the
        // collection's last read of it (it read `next`, then cleared the bits).
        if self.bits.fetch_or(1 << bit, Ordering::AcqRel) != 0 {
            // Already queued (or the collection is gone): it will be seen.
            return;
        }
        let shared = &*self.shared;
        let me = self.group + 1;
        let mut head = shared.head.load(Ordering::Relaxed);
        loop {
            self.next.store(head, Ordering::Relaxed);
            // Release: the collection's swap sees `next` written. Acquire: if the stack
            // was empty, we read the collection's swap (or a push after it) and so see
            // the task waker it registered before swapping.
            match shared
                .head
                .compare_exchange_weak(head, me, Ordering::AcqRel, Ordering::Relaxed)
            {
                Ok(_) => break,
                Err(now) => head = now,
            }
        }
        if head == 0 {
            // The stack was empty: nobody has woken the task for it yet.
            if let Some(task) = shared.parent.take() {
                task.wake();
            }
        }
    }
}

/// The chunk a waker's data points into (with the provenance of the chunk's
/// allocation, which `data` carries), and the child's bit in it.
fn chunk_of(data: *const ()) -> (*const Chunk, usize) {
    let bit = data.addr() % ALIGN;
    (data.map_addr(|a| a - bit).cast::<Chunk>(), bit)
}

/// A `static`, not a `const`: one address, so that `Waker::will_wake` (which compares
/// vtable addresses) holds between a waker and its clones.
static VTABLE: RawWakerVTable = RawWakerVTable::new(clone_waker, wake, wake_by_ref, drop_waker);

fn clone_waker(data: *const ()) -> RawWaker {
    let (chunk, _) = chunk_of(data);
    // SAFETY: every waker with this vtable points at byte `bit < ALIGN` of a chunk it
    // keeps alive (a clone holds a reference; a borrowed one, from `ReadyQueue::waker`,
    // lives no longer than the collection's reference): `chunk` is that live chunk.
    let chunk = unsafe { &*chunk };
    // Relaxed: a new reference is made from an existing one, as `Arc::clone` does.
    if chunk.refs.fetch_add(1, Ordering::Relaxed) > isize::MAX as usize {
        too_many_wakers();
    }
    RawWaker::new(data, &VTABLE)
}

fn wake(data: *const ()) {
    wake_by_ref(data);
    drop_waker(data);
}

fn wake_by_ref(data: *const ()) {
    let (chunk, bit) = chunk_of(data);
    // SAFETY: as in `clone_waker`.
    unsafe { &*chunk }.wake(bit);
}

fn drop_waker(data: *const ()) {
    // The waker being dropped owns one reference, given back here.
    release(chunk_of(data).0);
}

/// Gives back one reference to `chunk` (the caller's); frees it with the last one.
fn release(chunk: *const Chunk) {
    // SAFETY: the caller owns a reference, so the chunk is alive until this decrement.
    // Release: our uses of the chunk happen before the free below, on any thread.
    if unsafe { &*chunk }.refs.fetch_sub(1, Ordering::Release) != 1 {
        return;
    }
    // Acquire: pairs with every other holder's release above.
    fence(Ordering::Acquire);
    // SAFETY: that was the last reference; the chunk came from `Box::leak`, and
    // `chunk` carries that pointer's provenance (see `chunk_of`).
    drop(unsafe { Box::from_raw(chunk.cast_mut()) });
}

/// Aborts (a panic while panicking) instead of letting a reference count overflow.
#[cold]
fn too_many_wakers() -> ! {
    struct Abort;
    impl Drop for Abort {
        fn drop(&mut self) {
            panic!("aborting: reference count overflow");
        }
    }
    let _abort = Abort;
    panic!("more than isize::MAX clones of one child waker");
}

/// The collection's counted reference to a chunk.
struct ChunkRef(NonNull<Chunk>);

// SAFETY: a counted reference to a `Sync` chunk, like `Arc<Chunk>`.
unsafe impl Send for ChunkRef {}
// SAFETY: as for `Send`.
unsafe impl Sync for ChunkRef {}

impl Deref for ChunkRef {
    type Target = Chunk;
    fn deref(&self) -> &Chunk {
        // SAFETY: our reference keeps the chunk alive.
        unsafe { self.0.as_ref() }
    }
}

impl Drop for ChunkRef {
    fn drop(&mut self) {
        release(self.0.as_ptr());
    }
}

/// The collection's side: its chunks, its list of woken chunks, and the children left
/// to poll in the current poll.
pub(super) struct ReadyQueue {
    shared: Arc<Shared>,
    /// By group index.
    chunks: Vec<ChunkRef>,
    /// The collection's list of woken chunks (group index + 1; 0: empty), oldest
    /// first, linked through [`Chunk::next`].
    first: usize,
    last: usize,
    /// Woken children of chunk `current` taken from it and not polled yet.
    current: usize,
    bits: usize,
    /// The task waker installed last (see [`Parent::register`]).
    installed: Option<WakerId>,
    /// Child polls left in this poll of the collection.
    budget: usize,
}

impl ReadyQueue {
    pub(super) fn new() -> ReadyQueue {
        ReadyQueue {
            shared: Arc::new(Shared {
                head: AtomicUsize::new(0),
                parent: Parent::new(),
            }),
            chunks: Vec::new(),
            first: 0,
            last: 0,
            current: 0,
            bits: 0,
            installed: None,
            budget: 0,
        }
    }

    /// Marks the children `bits` of group `group` as to be polled (new children).
    pub(super) fn mark(&mut self, group: usize, bits: usize) {
        while self.chunks.len() <= group {
            let chunk = Box::new(Chunk {
                refs: AtomicUsize::new(1),
                bits: AtomicUsize::new(0),
                next: AtomicUsize::new(0),
                group: self.chunks.len(),
                shared: Arc::clone(&self.shared),
            });
            self.chunks.push(ChunkRef(NonNull::from(Box::leak(chunk))));
        }
        // AcqRel: as in `Chunk::wake`, whose race with this we may lose or win.
        if self.chunks[group].bits.fetch_or(bits, Ordering::AcqRel) == 0 {
            // We made the bits non-zero, so the chunk is ours to queue.
            self.append(group + 1, group + 1);
        }
    }

    /// Appends the list `first ..= last` (linked through `next`, ending in 0).
    fn append(&mut self, first: usize, last: usize) {
        self.chunks[last - 1].next.store(0, Ordering::Relaxed);
        match self.last {
            0 => self.first = first,
            tail => self.chunks[tail - 1].next.store(first, Ordering::Relaxed),
        }
        self.last = last;
    }

    /// Starts a poll of the collection: installs the task's waker, then takes the
    /// chunks woken since the previous poll. Children woken from here on are polled in
    /// the next poll, which their wakers wake the task for.
    #[inline]
    pub(super) fn begin(&mut self, cx: &Context<'_>) {
        let registered = self.shared.parent.register(cx.waker(), &mut self.installed);
        self.budget = BUDGET;
        // With the same task waker as before and nothing pushed, skip the swap: a push we
        // do not see yet found the stack empty after our last swap, so it wakes the task
        // through the waker registered before that swap, which is still in place.
        if !registered && self.shared.head.load(Ordering::Relaxed) == 0 {
            return;
        }
        // AcqRel: acquire the links the wakers wrote; release, so a waker whose push
        // finds the stack empty sees the task waker registered above.
        let mut group = self.shared.head.swap(0, Ordering::AcqRel);
        if group == 0 {
            return;
        }
        // The stack is newest first: reverse it.
        let newest = group;
        let mut reversed = 0;
        while group != 0 {
            let chunk = &self.chunks[group - 1];
            let next = chunk.next.load(Ordering::Relaxed);
            chunk.next.store(reversed, Ordering::Relaxed);
            reversed = group;
            group = next;
        }
        self.append(reversed, newest);
    }

    /// The next child to poll in this poll of the collection, or `None` when none is
    /// left or the budget is used up.
    #[inline]
    pub(super) fn next(&mut self) -> Option<usize> {
        if self.budget == 0 {
            return None;
        }
        while self.bits == 0 {
            let group = self.first.checked_sub(1)?;
            let chunk = &self.chunks[group];
            // Read the link before clearing the bits: from then on a waker may push the
            // chunk again and overwrite it.
            self.first = chunk.next.load(Ordering::Relaxed);
            if self.first == 0 {
                self.last = 0;
            }
            // AcqRel: see `Chunk::wake`.
            self.bits = chunk.bits.swap(0, Ordering::AcqRel);
            self.current = group;
        }
        let bit = self.bits.trailing_zeros() as usize;
        self.bits &= self.bits - 1;
        self.budget -= 1;
        Some(self.current * GROUP + bit)
    }

    /// Ends a poll that returns `Pending`: if children are left to poll (the budget ran
    /// out), wakes the task so that it polls again after other tasks had their turn.
    #[inline]
    pub(super) fn end(&self, cx: &Context<'_>) {
        if self.bits != 0 || self.first != 0 {
            cx.waker().wake_by_ref();
        }
    }

    /// The waker to poll child `index` with. Valid while this queue lives; dropping it
    /// would do nothing, hence the `ManuallyDrop`.
    #[inline]
    pub(super) fn waker(&self, index: usize) -> ManuallyDrop<Waker> {
        // From the pointer `Box::leak` gave, with the provenance of the whole chunk.
        let chunk = self.chunks[index / GROUP].0.as_ptr().cast_const();
        let data = chunk.cast::<u8>().wrapping_add(index % GROUP).cast::<()>();
        // SAFETY: `VTABLE`'s functions uphold the `RawWaker` contract for pointers into
        // a live chunk: clones take a reference (the chunk outlives them), `drop` gives
        // one back, and waking only uses atomics, from any thread. This waker itself
        // takes no reference: it borrows ours and is never dropped (`ManuallyDrop`).
        ManuallyDrop::new(unsafe { Waker::from_raw(RawWaker::new(data, &VTABLE)) })
    }
}

impl Drop for ReadyQueue {
    fn drop(&mut self) {
        for chunk in &self.chunks {
            // Relaxed: only makes wakers kept from now on stop early; pushing or
            // waking would be harmless too (the chunk and `Shared` stay alive).
            chunk.bits.store(usize::MAX, Ordering::Relaxed);
        }
        // Wakers cannot reach the task any more; release its waker now rather than
        // with the last waker clone.
        drop(self.shared.parent.take());
    }
}

impl core::fmt::Debug for ReadyQueue {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ReadyQueue")
            .field("groups", &self.chunks.len())
            .finish_non_exhaustive()
    }
}
