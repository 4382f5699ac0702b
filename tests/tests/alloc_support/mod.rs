//! A global allocator that counts live bytes, and the size model of a waker block, for
//! the tests that bound memory. Each such test binary installs it with
//! `#[global_allocator] static ALLOC: alloc_support::Counting = alloc_support::Counting;`
//! and holds one test only, so no other test allocates while it measures.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicI64, AtomicU32, AtomicUsize, Ordering};
use std::task::Waker;

/// The system allocator, counting the bytes handed out and not yet given back.
pub struct Counting;

static LIVE: AtomicI64 = AtomicI64::new(0);

/// Bytes allocated and not freed so far, by every thread of the process (as requested:
/// the allocator's own rounding is not counted).
pub fn live_bytes() -> i64 {
    LIVE.load(Ordering::SeqCst)
}

thread_local! {
    /// Bytes this thread allocated minus those it freed. Const-initialised and without
    /// a destructor, so the allocator can use it without allocating.
    static THIS_THREAD: Cell<i64> = const { Cell::new(0) };
}

/// Bytes allocated minus bytes freed by the calling thread: unlike [`live_bytes`],
/// blind to what other threads do meanwhile (a thread starting, a channel's first
/// blocking receive).
#[allow(
    dead_code,
    reason = "waker_memory_tokio.rs includes this module and does not need it"
)]
pub fn this_thread_bytes() -> i64 {
    THIS_THREAD.with(Cell::get)
}

fn add(bytes: usize) {
    LIVE.fetch_add(bytes as i64, Ordering::Relaxed);
    // `try_with`: nothing to count once the thread's locals are gone.
    let _ = THIS_THREAD.try_with(|n| n.set(n.get() + bytes as i64));
}

fn sub(bytes: usize) {
    LIVE.fetch_sub(bytes as i64, Ordering::Relaxed);
    let _ = THIS_THREAD.try_with(|n| n.set(n.get() - bytes as i64));
}

// SAFETY: every method forwards to `System` with the caller's arguments, which meet
// `System`'s contract because they meet `GlobalAlloc`'s; the counting touches only an
// atomic and never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded (see the impl).
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            add(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded (see the impl).
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            add(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded (see the impl).
        unsafe { System.dealloc(ptr, layout) };
        sub(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded (see the impl).
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            sub(layout.size());
            add(new_size);
        }
        new
    }
}

/// The most waker blocks a thread caches for itself, over all size classes
/// (`runtime-shim/src/__private/wakers/pool.rs`, `LOCAL_CAP`).
pub const LOCAL_CAP: usize = 12;

/// The bytes a waker block for `words` flag words (up to `32 * words` children) takes
/// while leased, from the sizes of its parts as laid out in
/// `runtime-shim/src/__private/wakers/{mod,task}.rs`:
///
/// - `Block { task: &'static TaskWaker, woken: Box<[AtomicU32]> }`;
/// - its flags: `words` `AtomicU32`s;
/// - `TaskWaker { state: AtomicUsize, waker: UnsafeCell<Option<Waker>> }`;
/// - its targets: `32 * words` of `Target { block: &'static Block, index: usize }`.
///
/// `tests/tests/waker_memory.rs` checks this against the allocator on a block's first
/// lease, so the bounds built from it cannot silently go stale.
pub fn leased_block_bytes(words: usize) -> usize {
    let pointer = size_of::<&'static u8>();
    let block = pointer + size_of::<Box<[AtomicU32]>>();
    let flags = words * size_of::<AtomicU32>();
    let task_waker = size_of::<AtomicUsize>() + size_of::<Option<Waker>>();
    let targets = 32 * words * (pointer + size_of::<usize>());
    block + flags + task_waker + targets
}

/// The bytes of a free block's entry in a pool stack:
/// `Lease { block: &'static Block, owner: Owner(&'static TaskWaker), targets: &'static [Target] }`.
pub fn pool_entry_bytes() -> usize {
    2 * size_of::<&'static u8>() + size_of::<&'static [u8]>()
}

/// A block and the pool entry it may need once given back: what one more block in
/// existence costs.
pub fn block_bytes(words: usize) -> usize {
    leased_block_bytes(words) + pool_entry_bytes()
}
