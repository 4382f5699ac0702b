//! Exact allocation counts of `#[patience::async_trait(native)]`, with a counting global
//! allocator: a static call allocates nothing, a call through the `dyn` companion once
//! (its boxed future), a 5-deep chain of calls through the companion 5 times; the boxed
//! `#[patience::async_trait]` allocates once per call even when called statically.

use patience::async_trait;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// Counts the allocations made on the current thread (tests run on threads of their own).
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every method forwards to `System` unchanged; counting touches a const-initialised
// thread-local `Cell`, which neither allocates nor unwinds.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        // SAFETY: the caller's contract for `alloc` is passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout` (see `alloc`).
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        // SAFETY: the caller's contract for `realloc` is passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Polls `future` to completion with a no-op waker (these never wait), and returns its
/// output and the number of allocations made meanwhile (creating the future included).
fn allocations<F: Future>(make: impl FnOnce() -> F) -> (F::Output, usize) {
    let before = ALLOCATIONS.with(Cell::get);
    let output = {
        let mut future = pin!(make());
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                break output;
            }
        }
    };
    (output, ALLOCATIONS.with(Cell::get) - before)
}

#[async_trait(native)]
trait Counter: Sync {
    async fn get(&self, key: &str) -> usize;

    /// Calls `get` (statically, on the implementor, even through the companion).
    async fn twice(&self, key: &str) -> usize {
        self.get(key).await * 2
    }

    /// Calls itself `depth` times through `next`, for chains of calls.
    async fn chain(&self, next: &(dyn DynCounter + Sync), depth: u32) -> usize;
}

struct Len;

impl Counter for Len {
    async fn get(&self, key: &str) -> usize {
        std::future::ready(()).await;
        key.len()
    }

    async fn chain(&self, next: &(dyn DynCounter + Sync), depth: u32) -> usize {
        if depth <= 1 {
            self.get("x").await
        } else {
            // Boxed: an `async fn` cannot recurse into itself without indirection, and here
            // the indirection is the companion.
            next.chain(next, depth - 1).await + 1
        }
    }
}

/// Five levels of static calls: each awaits the next, all futures inline in one.
#[async_trait(native)]
trait Level: Sync {
    async fn one(&self) -> usize;
    async fn two(&self) -> usize;
    async fn three(&self) -> usize;
    async fn four(&self) -> usize;
    async fn five(&self) -> usize;
}

impl Level for Len {
    async fn one(&self) -> usize {
        self.two().await + 1
    }
    async fn two(&self) -> usize {
        self.three().await + 1
    }
    async fn three(&self) -> usize {
        self.four().await + 1
    }
    async fn four(&self) -> usize {
        self.five().await + 1
    }
    async fn five(&self) -> usize {
        std::future::ready(1).await
    }
}

#[test]
fn static_call_allocates_nothing() {
    let (len, count) = allocations(|| Len.get("abc"));
    assert_eq!((len, count), (3, 0));
    let (twice, count) = allocations(|| Len.twice("abc"));
    assert_eq!((twice, count), (6, 0));
}

#[test]
fn five_deep_static_calls_allocate_nothing() {
    let (five, count) = allocations(|| Len.one());
    assert_eq!((five, count), (5, 0));
}

#[test]
fn call_through_the_companion_allocates_once() {
    let counter: &(dyn DynCounter + Sync) = &Len;
    let (len, count) = allocations(|| counter.get("abc"));
    assert_eq!((len, count), (3, 1));
    // A default method through the companion: one box for it; its own call of `get` is a
    // static call on the implementor.
    let (twice, count) = allocations(|| counter.twice("abc"));
    assert_eq!((twice, count), (6, 1));
}

#[test]
fn companion_future_borrowing_an_argument_allocates_at_its_first_poll() {
    // `get(&self, key: &str)` borrows two lifetimes: the companion's future is an `async`
    // block that makes the box when first polled, so one dropped unpolled allocates nothing.
    let counter: &dyn DynCounter = &Len;
    let before = ALLOCATIONS.with(Cell::get);
    drop(counter.get("abc"));
    assert_eq!(ALLOCATIONS.with(Cell::get) - before, 0);
}

#[test]
fn companion_future_borrowing_only_the_receiver_is_the_box_made_at_the_call() {
    // `five(&self)` borrows only the receiver: the companion returns the box itself, made
    // when the method is called (as async-trait's is).
    let level: &dyn DynLevel = &Len;
    let before = ALLOCATIONS.with(Cell::get);
    let future = level.five();
    assert_eq!(ALLOCATIONS.with(Cell::get) - before, 1);
    drop(future);
    assert_eq!(ALLOCATIONS.with(Cell::get) - before, 1);
}

#[test]
fn five_deep_chain_through_the_companion_allocates_five_times() {
    let counter: &(dyn DynCounter + Sync) = &Len;
    let (value, count) = allocations(|| counter.chain(counter, 5));
    assert_eq!((value, count), (5, 5));
}

#[test]
fn five_deep_calls_through_the_level_companion_allocate_once() {
    let level: &dyn DynLevel = &Len;
    // Only the outer call goes through the companion; it calls the rest statically.
    let (five, count) = allocations(|| level.one());
    assert_eq!((five, count), (5, 1));
}

#[async_trait]
trait Boxed: Sync {
    async fn boxed_get(&self, key: &str) -> usize;
}

#[async_trait]
impl Boxed for Len {
    async fn boxed_get(&self, key: &str) -> usize {
        key.len()
    }
}

#[test]
fn boxed_async_trait_allocates_once_even_for_a_static_call() {
    let (len, count) = allocations(|| Len.boxed_get("abc"));
    assert_eq!((len, count), (3, 1));
}
