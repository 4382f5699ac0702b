//! The bench binary's global allocator: the system allocator, plus, while a
//! measurement window is open, the peak of bytes allocated minus bytes freed.
//!
//! Outside a window it only reads one flag per call, so timing runs are not skewed
//! against peers that allocate more.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};

struct Counting;

static OPEN: AtomicBool = AtomicBool::new(false);
/// Bytes allocated minus bytes freed since the window opened.
static NET: AtomicIsize = AtomicIsize::new(0);
/// The highest `NET` seen since the window opened.
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn count(delta: isize) {
    if OPEN.load(Ordering::Relaxed) {
        let now = NET.fetch_add(delta, Ordering::Relaxed) + delta;
        PEAK.fetch_max(now, Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded to `System` unchanged; the counting touches only
// atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size() as isize);
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(-(layout.size() as isize));
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size() as isize);
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Counted as the new block allocated before the old one is freed, the most a
        // reallocation may need at once.
        count(new_size as isize);
        count(-(layout.size() as isize));
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns the most heap bytes it had allocated at once (beyond what was
/// allocated before it started). Counts every thread's allocations: run nothing else
/// meanwhile.
pub fn peak_bytes<T>(f: impl FnOnce() -> T) -> (T, usize) {
    NET.store(0, Ordering::SeqCst);
    PEAK.store(0, Ordering::SeqCst);
    OPEN.store(true, Ordering::SeqCst);
    let out = f();
    OPEN.store(false, Ordering::SeqCst);
    (out, PEAK.load(Ordering::SeqCst).max(0) as usize)
}
