//! Each thread's stack of watched polls in progress, written by the thread itself with
//! plain atomic stores and read by the watchdog.
//!
//! A watched select or join pushes a frame for each of its polls (bumping the thread's
//! sequence number), and before each child poll stores the child's index in it: one
//! store. No clock is read: the watchdog samples every thread's sequence number and its
//! innermost frame's child, and a pair that has not changed for longer than the
//! slow-poll threshold means that child's poll (or, for a top-level frame, the poll
//! itself) has been running that long. It flags the frame with the child, and the
//! thread, when the frame's poll ends, reads the clock once and reports it.
//!
//! A thread's frames live in a [`ThreadFrames`] that is never freed but goes back to a
//! free list when the thread exits and serves the next thread: a poll in progress can
//! hold a plain `&'static` to it, and their number never exceeds the most threads alive
//! at once.

use core::cell::Cell;
use std::string::String;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::vec::Vec;

/// The deepest nesting of watched polls recorded (deeper ones are counted, not named).
pub(crate) const MAX_DEPTH: usize = 32;

/// `child` of a frame with no child being polled.
pub(crate) const NO_CHILD: u32 = u32::MAX;

/// One watched poll in progress.
#[derive(Default)]
pub(crate) struct FrameSlot {
    /// The site's number (see `site::lookup`).
    pub(crate) site: AtomicU32,
    /// The child being polled, or [`NO_CHILD`].
    pub(crate) child: AtomicU32,
    /// Set by the watchdog: this frame's current poll has run longer than the threshold.
    pub(crate) slow: AtomicBool,
    /// The child the watchdog saw being polled when it set `slow`.
    pub(crate) slow_child: AtomicU32,
    /// When the watchdog first saw that poll running (ms since the watch started).
    pub(crate) since_ms: AtomicU64,
}

/// One thread's watched polls.
pub(crate) struct ThreadFrames {
    /// This record's number (its index in [`ALL`]).
    pub(crate) index: u32,
    /// The name (or id) of the thread using it now.
    pub(crate) name: Mutex<String>,
    /// Bumped on every frame push and pop and every child poll, so the watchdog can
    /// tell "still the same poll".
    pub(crate) seq: AtomicU64,
    pub(crate) depth: AtomicUsize,
    pub(crate) frames: [FrameSlot; MAX_DEPTH],
    /// When this thread's `block_on` parked (ms since the watch started), or 0.
    pub(crate) parked_since_ms: AtomicU64,
    /// Set once a stuck report went out for the current park.
    pub(crate) stuck_reported: AtomicBool,
}

/// Every record made, in use or free (the watchdog looks at all of them).
pub(crate) static ALL: Mutex<Vec<&'static ThreadFrames>> = Mutex::new(Vec::new());

/// Records of exited threads, for the next threads.
static FREE: Mutex<Vec<&'static ThreadFrames>> = Mutex::new(Vec::new());

/// This thread's record, taken on first use and given back at thread exit.
struct Slot(Cell<Option<&'static ThreadFrames>>);

impl Drop for Slot {
    fn drop(&mut self) {
        if let Some(frames) = self.0.take() {
            frames.depth.store(0, Ordering::Relaxed);
            frames.parked_since_ms.store(0, Ordering::Relaxed);
            FREE.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(frames);
        }
    }
}

std::thread_local! {
    static SLOT: Slot = const { Slot(Cell::new(None)) };
}

/// This thread's record (`None` while the thread is being torn down).
#[inline]
pub(crate) fn current() -> Option<&'static ThreadFrames> {
    SLOT.try_with(|slot| match slot.0.get() {
        Some(frames) => frames,
        None => {
            let frames = take_record();
            slot.0.set(Some(frames));
            frames
        }
    })
    .ok()
}

#[cold]
fn take_record() -> &'static ThreadFrames {
    super::watchdog::ensure_started();
    let thread = std::thread::current();
    let name = match thread.name() {
        Some(name) => String::from(name),
        None => std::format!("{:?}", thread.id()),
    };
    let reused = FREE.lock().unwrap_or_else(PoisonError::into_inner).pop();
    if let Some(frames) = reused {
        *frames.name.lock().unwrap_or_else(PoisonError::into_inner) = name;
        frames.stuck_reported.store(false, Ordering::Relaxed);
        return frames;
    }
    let mut all = ALL.lock().unwrap_or_else(PoisonError::into_inner);
    let frames: &'static ThreadFrames = std::boxed::Box::leak(std::boxed::Box::new(ThreadFrames {
        index: u32::try_from(all.len()).unwrap_or(u32::MAX),
        name: Mutex::new(name),
        seq: AtomicU64::new(0),
        depth: AtomicUsize::new(0),
        frames: Default::default(),
        parked_since_ms: AtomicU64::new(0),
        stuck_reported: AtomicBool::new(false),
    }));
    all.push(frames);
    frames
}

/// The record numbered `index`.
pub(crate) fn by_index(index: u32) -> Option<&'static ThreadFrames> {
    let all = ALL.lock().unwrap_or_else(PoisonError::into_inner);
    all.get(usize::try_from(index).ok()?).copied()
}

impl ThreadFrames {
    /// Pushes a frame for `site`; returns its depth.
    #[inline]
    pub(crate) fn push(&self, site: u32) -> usize {
        // Only this thread writes its frames: Relaxed stores, published by the Release
        // store of `seq`, which the watchdog reads with Acquire before the frames.
        let depth = self.depth.load(Ordering::Relaxed);
        if let Some(slot) = self.frames.get(depth) {
            slot.site.store(site, Ordering::Relaxed);
            slot.child.store(NO_CHILD, Ordering::Relaxed);
            slot.slow.store(false, Ordering::Relaxed);
        }
        self.depth.store(depth + 1, Ordering::Relaxed);
        self.bump();
        depth
    }

    /// The slot of frame `depth`, if it is recorded.
    #[inline]
    pub(crate) fn slot(&self, depth: usize) -> Option<&FrameSlot> {
        self.frames.get(depth)
    }

    /// The poll of frame `depth` ended: if the watchdog flagged it as slow, clears the
    /// flag and returns when the watchdog saw the slow child start (ms) and that child.
    #[inline]
    pub(crate) fn finished(&self, depth: usize) -> Option<(u64, u32)> {
        let slot = self.frames.get(depth)?;
        // Acquire: pairs with the watchdog's Release store of the flag, made after it
        // wrote `since_ms` and `slow_child`.
        if slot.slow.load(Ordering::Acquire) {
            slot.slow.store(false, Ordering::Relaxed);
            Some((
                slot.since_ms.load(Ordering::Relaxed),
                slot.slow_child.load(Ordering::Relaxed),
            ))
        } else {
            None
        }
    }

    /// Pops the frame at `depth`.
    #[inline]
    pub(crate) fn pop(&self, depth: usize) {
        self.depth.store(depth, Ordering::Relaxed);
        self.bump();
    }

    #[inline]
    fn bump(&self) {
        let seq = self.seq.load(Ordering::Relaxed);
        self.seq.store(seq.wrapping_add(1), Ordering::Release);
    }

    /// The frames up to and including `depth`, outermost first: (site, child).
    pub(crate) fn chain(&self, depth: usize) -> Vec<(u32, u32)> {
        self.frames[..(depth + 1).min(MAX_DEPTH)]
            .iter()
            .map(|slot| {
                (
                    slot.site.load(Ordering::Relaxed),
                    slot.child.load(Ordering::Relaxed),
                )
            })
            .collect()
    }

    /// The thread's name, for reports.
    pub(crate) fn name(&self) -> String {
        self.name
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}
