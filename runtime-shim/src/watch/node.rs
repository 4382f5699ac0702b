//! The live watched selects and joins that are waiting: what `dump` and the stuck
//! report list.
//!
//! A select or join takes a node the first time it returns `Pending` (one that finishes
//! on its first poll never does) and gives it back when dropped. The node records where
//! the select sits (the enclosing watched polls at that moment), which children have
//! finished, and when each was last polled (in the watchdog's coarse milliseconds).
//!
//! Nodes are never freed, only reused: a node in use is `alive`, and `dump` reads every
//! node made and keeps the alive ones, without taking any lock a select would take. A
//! thread keeps one free node per size class; the rest go to a global list. So taking
//! and giving back a node is a cell swap in the common case, and the nodes in existence
//! never exceed the most waiting selects and joins alive at once, plus a few per thread.

use core::cell::Cell;
use std::boxed::Box;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::vec::Vec;

/// The most enclosing polls a node records.
pub(crate) const MAX_PATH: usize = 8;

/// Size classes: nodes for up to `8 << class` children.
const CLASSES: usize = 8;

/// One waiting select or join.
pub(crate) struct Node {
    /// In use by a select or join (else free).
    pub(crate) alive: AtomicBool,
    pub(crate) site: AtomicU32,
    /// The `ThreadFrames` number of the thread it first waited on.
    pub(crate) thread: AtomicU32,
    /// The enclosing polls, outermost first: `site << 32 | child`.
    pub(crate) path: [AtomicU64; MAX_PATH],
    pub(crate) path_len: AtomicUsize,
    /// Children in use (at most `capacity`).
    pub(crate) len: AtomicUsize,
    /// Bumped each time the node is taken: a child's `polled` entry from an earlier use
    /// has an older generation and counts as "not polled since the node was taken".
    pub(crate) generation: AtomicU32,
    /// When the node was taken (ms since the watch started).
    pub(crate) taken_ms: AtomicU64,
    /// Per child: `generation << 32 | ms` of its last poll.
    pub(crate) polled: Box<[AtomicU64]>,
    /// Bit `i`: child `i` has finished (the `Mask` layout).
    pub(crate) done: Box<[AtomicU32]>,
}

/// Every node made (in use or free).
static ALL: Mutex<Vec<&'static Node>> = Mutex::new(Vec::new());
/// Free nodes, per class.
static FREE: Mutex<Vec<Vec<&'static Node>>> = Mutex::new(Vec::new());

/// This thread's free node of each class.
struct Local([Cell<Option<&'static Node>>; CLASSES]);

impl Drop for Local {
    fn drop(&mut self) {
        for cell in &self.0 {
            if let Some(node) = cell.take() {
                give_back_global(node);
            }
        }
    }
}

std::thread_local! {
    static LOCAL: Local = const { Local([const { Cell::new(None) }; CLASSES]) };
}

fn class_of(children: usize) -> usize {
    let mut class = 0;
    while (8usize << class) < children && class + 1 < CLASSES {
        class += 1;
    }
    class
}

/// A free node for `children` children, filled with where the select sits and which
/// children have finished (`done`, in `Mask` words).
pub(crate) fn take(
    site: u32,
    thread: u32,
    path: &[super::frames::FrameSlot],
    children: usize,
    done: &[u32],
    now_ms: u64,
) -> &'static Node {
    let class = class_of(children);
    let node = LOCAL
        .try_with(|local| local.0[class].take())
        .ok()
        .flatten()
        .or_else(|| {
            FREE.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get_mut(class)
                .and_then(Vec::pop)
        })
        .unwrap_or_else(|| make(class));
    node.site.store(site, Ordering::Relaxed);
    node.thread.store(thread, Ordering::Relaxed);
    for (slot, frame) in node.path.iter().zip(path) {
        let site = frame.site.load(Ordering::Relaxed);
        let child = frame.child.load(Ordering::Relaxed);
        slot.store(
            (u64::from(site) << 32) | u64::from(child),
            Ordering::Relaxed,
        );
    }
    node.path_len
        .store(path.len().min(MAX_PATH), Ordering::Relaxed);
    node.len
        .store(children.min(node.polled.len()), Ordering::Relaxed);
    node.generation.store(
        node.generation.load(Ordering::Relaxed).wrapping_add(1),
        Ordering::Relaxed,
    );
    node.taken_ms.store(now_ms, Ordering::Relaxed);
    for (word, &bits) in node
        .done
        .iter()
        .zip(done.iter().chain(core::iter::repeat(&0)))
    {
        word.store(bits, Ordering::Relaxed);
    }
    node
}

#[cold]
fn make(class: usize) -> &'static Node {
    let node: &'static Node = Box::leak(Box::new(Node {
        alive: AtomicBool::new(false),
        site: AtomicU32::new(0),
        thread: AtomicU32::new(0),
        path: Default::default(),
        path_len: AtomicUsize::new(0),
        len: AtomicUsize::new(0),
        generation: AtomicU32::new(0),
        taken_ms: AtomicU64::new(0),
        polled: (0..8usize << class).map(|_| AtomicU64::new(0)).collect(),
        done: (0..(8usize << class).div_ceil(32))
            .map(|_| AtomicU32::new(0))
            .collect(),
    }));
    ALL.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(node);
    node
}

/// Gives a node back (its select or join is gone).
pub(crate) fn give_back(node: &'static Node) {
    node.alive.store(false, Ordering::Release);
    let class = class_of(node.polled.len());
    let mut node = Some(node);
    let _ = LOCAL.try_with(|local| {
        node = local.0[class].replace(node.take());
    });
    if let Some(node) = node {
        give_back_global(node);
    }
}

fn give_back_global(node: &'static Node) {
    let class = class_of(node.polled.len());
    let mut free = FREE.lock().unwrap_or_else(PoisonError::into_inner);
    if free.len() <= class {
        free.resize_with(class + 1, Vec::new);
    }
    free[class].push(node);
}

/// The nodes in use.
pub(crate) fn live() -> Vec<&'static Node> {
    ALL.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .copied()
        // Acquire: pairs with the Release that made it alive, after it was filled.
        .filter(|node| node.alive.load(Ordering::Acquire))
        .collect()
}

impl Node {
    /// Marks the node in use, once filled: `dump` lists it from now on.
    pub(crate) fn publish(&self) {
        self.alive.store(true, Ordering::Release);
    }

    /// Child `child` is polled now; `stamp` is [`Node::stamp`] of the poll.
    #[inline]
    pub(crate) fn polled(&self, child: usize, stamp: u64) {
        if let Some(polled) = self.polled.get(child) {
            polled.store(stamp, Ordering::Relaxed);
        }
    }

    /// What a child poll at `now_ms` stores (see [`Node::polled`]).
    #[inline]
    pub(crate) fn stamp(&self, now_ms: u64) -> u64 {
        (u64::from(self.generation.load(Ordering::Relaxed)) << 32) | (now_ms & 0xFFFF_FFFF)
    }

    /// Child `child` has finished. One writer at a time: whoever polls the select (the
    /// executor orders two polls of one task), so a load and a store do.
    #[inline]
    pub(crate) fn finished(&self, child: usize) {
        let (word, bit) = crate::__private::mask::locate(child);
        if let Some(word) = self.done.get(word) {
            word.store(word.load(Ordering::Relaxed) | bit, Ordering::Relaxed);
        }
    }

    /// Whether child `child` has finished.
    pub(crate) fn is_done(&self, child: usize) -> bool {
        let (word, bit) = crate::__private::mask::locate(child);
        self.done
            .get(word)
            .is_some_and(|word| word.load(Ordering::Relaxed) & bit != 0)
    }

    /// When child `child` was last polled (ms since the watch started).
    pub(crate) fn last_polled_ms(&self, child: usize) -> u64 {
        let generation = u64::from(self.generation.load(Ordering::Relaxed));
        let taken = self.taken_ms.load(Ordering::Relaxed);
        match self.polled.get(child).map(|p| p.load(Ordering::Relaxed)) {
            // The low 32 bits of a time after `taken` (within 49 days of it).
            Some(stamp) if stamp >> 32 == generation => {
                let low = stamp & 0xFFFF_FFFF;
                taken + (low.wrapping_sub(taken & 0xFFFF_FFFF) & 0xFFFF_FFFF)
            }
            _ => taken,
        }
    }

    /// The enclosing polls, outermost first: (site, child).
    pub(crate) fn path(&self) -> Vec<(u32, u32)> {
        let len = self.path_len.load(Ordering::Relaxed);
        self.path[..len]
            .iter()
            .map(|slot| {
                let packed = slot.load(Ordering::Relaxed);
                ((packed >> 32) as u32, packed as u32)
            })
            .collect()
    }
}
