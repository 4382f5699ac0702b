//! The collections allocate nothing per wake-up or per poll: counted by a global
//! allocator that counts this thread's allocations (each test runs on its own thread).

#[allow(dead_code)] // Each test file uses part of the helpers.
mod collections_support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::task::Waker;

use collections_support::{Board, Driver, scaled, shuffled};
use futures::StreamExt as _;
use patience::FutureSet;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    // `try_with`: nothing to count while the thread's storage is being torn down.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: forwards every call to `System`; counting touches a const-initialised
// thread-local `Cell` (no allocation, no destructor).
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by this thread while `f` runs.
fn allocations<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = ALLOCATIONS.with(Cell::get);
    let out = f();
    (out, ALLOCATIONS.with(Cell::get) - before)
}

#[test]
fn join_all_allocates_nothing_after_its_first_poll_but_the_output_vec() {
    let n = scaled(1000);
    let board = Board::new(n);
    let mut driver = Driver::new(patience::join_all((0..n).map(|i| board.gate(i))));
    assert!(driver.poll_until_idle().is_none());
    let order = shuffled(n, 1);
    let ((), during) = allocations(|| {
        for &i in &order[..n - 1] {
            board.open(i);
            assert!(driver.poll_until_idle().is_none());
        }
    });
    assert_eq!(during, 0);
    board.open(order[n - 1]);
    let (out, last) = allocations(|| driver.poll_until_idle());
    assert_eq!(out.map(|v| v.len()), Some(n));
    assert_eq!(last, 1, "the output Vec");
}

#[test]
fn a_future_set_allocates_nothing_to_poll_wake_or_reuse_slots() {
    let n = scaled(1000);
    let board = Board::new(2 * n);
    let mut set: FutureSet<_> = (0..n).map(|i| board.gate(i)).collect();
    let mut driver = Driver::new(std::future::poll_fn(|cx| set.poll_next_unpin(cx)));
    assert!(driver.poll_until_idle().is_none());
    let order = shuffled(n, 2);
    let ((), during) = allocations(|| {
        for &i in &order[..n / 2] {
            board.open(i);
            assert_eq!(driver.poll_until_idle(), Some(Some(i)));
        }
    });
    assert_eq!(during, 0);
    drop(driver);
    // Pushing into slots that finished futures left: no allocation either.
    let ((), pushes) = allocations(|| {
        for i in n..n + n / 2 {
            set.push(board.gate(i));
        }
    });
    assert_eq!(pushes, 0);
}

#[test]
fn select_all_allocates_nothing_after_its_first_poll() {
    let n = scaled(500);
    let board = Board::new(n);
    let futures: Vec<_> = (0..n).map(|i| board.gate(i)).collect();
    let mut driver = Driver::new(patience::select_all(futures));
    assert!(driver.poll_until_idle().is_none());
    let (out, during) = allocations(|| {
        board.open(n / 2);
        driver.poll_until_idle()
    });
    assert_eq!(
        out.map(|(i, index, rest)| (i, index, rest.len())),
        Some((n / 2, n / 2, n - 1))
    );
    assert_eq!(during, 0);
}

#[test]
fn child_wakers_allocate_nothing_to_clone_wake_or_drop() {
    let board = Board::new(4);
    let mut driver = Driver::new(patience::join_all((0..4).map(|i| board.gate(i))));
    assert!(driver.poll_until_idle().is_none());
    let waker: Waker = board.waker_of(1);
    let ((), during) = allocations(|| {
        for _ in 0..100 {
            let clone = waker.clone();
            clone.wake_by_ref();
            clone.wake();
        }
        drop(waker);
    });
    assert_eq!(during, 0);
}
