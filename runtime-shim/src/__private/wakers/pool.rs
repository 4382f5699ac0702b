//! Where waker blocks wait between selects: a small cache per thread and one global
//! pool, both stacks per size class, so taking and giving back are O(1).
//!
//! Blocks are never deallocated (a child's waker may be kept and woken after its select
//! is gone, and its pointer must stay valid), so the pool is what bounds their memory:
//! a block is given back when its select or join is dropped, on whatever thread, and
//! the next select of its class on any thread takes it again. A thread keeps at most
//! [`LOCAL_CAP`] blocks to itself (no lock); the rest go to the global pool, where
//! every thread looks before making a new block. So the blocks in existence never
//! exceed the most large selects and joins alive at once, plus `LOCAL_CAP` per thread.
//! Blocks cached by a thread move to the global pool when it exits.

use core::cell::{Cell, RefCell};
use std::sync::{Mutex, PoisonError};
use std::vec::Vec;

use super::Lease;

/// The most blocks a thread keeps for itself (over all classes).
pub(crate) const LOCAL_CAP: usize = 12;

/// Stacks of free blocks, one per size class (`class` = flag words - 1).
struct Stacks {
    by_class: Vec<Vec<Lease>>,
    len: usize,
}

impl Stacks {
    const fn new() -> Stacks {
        Stacks {
            by_class: Vec::new(),
            len: 0,
        }
    }

    fn pop(&mut self, class: usize) -> Option<Lease> {
        let lease = self.by_class.get_mut(class)?.pop()?;
        self.len -= 1;
        Some(lease)
    }

    fn push(&mut self, lease: Lease) {
        let class = lease.class();
        if self.by_class.len() <= class {
            self.by_class.resize_with(class + 1, Vec::new);
        }
        self.by_class[class].push(lease);
        self.len += 1;
    }

    fn drain_into(&mut self, other: &mut Stacks) {
        for stack in &mut self.by_class {
            for lease in stack.drain(..) {
                other.push(lease);
            }
        }
        self.len = 0;
    }
}

/// Free blocks any thread may take.
static GLOBAL: Mutex<Stacks> = Mutex::new(Stacks::new());

/// Classes with a one-block slot of their own in each thread's cache (up to 128
/// children): the common case of a select or join made and dropped in a loop takes and
/// gives back a block with one `Cell` swap each.
const FAST_CLASSES: usize = 4;

/// This thread's free blocks: the last one given back of each small class, then the
/// rest; moved to [`GLOBAL`] when the thread exits.
struct Local {
    last: [Cell<Option<Lease>>; FAST_CLASSES],
    rest: RefCell<Stacks>,
}

impl Drop for Local {
    fn drop(&mut self) {
        let mut global = global();
        for slot in &mut self.last {
            if let Some(lease) = slot.get_mut().take() {
                global.push(lease);
            }
        }
        self.rest.get_mut().drain_into(&mut global);
    }
}

std::thread_local! {
    static LOCAL: Local = const {
        Local {
            last: [const { Cell::new(None) }; FAST_CLASSES],
            rest: RefCell::new(Stacks::new()),
        }
    };
}

fn global() -> std::sync::MutexGuard<'static, Stacks> {
    // The pool's invariants hold between any two statements (no user code runs under
    // the lock), so a poisoned lock is still a good pool.
    GLOBAL.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A free block of size class `class`, if the pool has one: this thread's first, then
/// the global pool.
pub(super) fn take(class: usize) -> Option<Lease> {
    // Under the model checker every execution makes its own blocks: loom's atomics
    // cannot outlive the execution that made them.
    if cfg!(patience_loom) {
        return None;
    }
    let local = LOCAL
        .try_with(|local| match local.last.get(class).and_then(Cell::take) {
            Some(lease) => Some(lease),
            None => local.rest.borrow_mut().pop(class),
        })
        .ok()
        .flatten();
    local.or_else(|| global().pop(class))
}

/// Puts a block back: in this thread's cache if it has room, else in the global pool
/// (also while the thread exits and its cache is gone).
pub(super) fn give_back(lease: Lease) {
    if cfg!(patience_loom) {
        return;
    }
    let mut lease = Some(lease);
    let _ = LOCAL.try_with(|local| {
        let class = lease.as_ref().map_or(0, Lease::class);
        if let Some(slot) = local.last.get(class) {
            // The newest block takes the slot; the one it held joins the rest.
            lease = slot.replace(lease.take());
        }
        let mut rest = local.rest.borrow_mut();
        if lease.is_some() && rest.len < LOCAL_CAP - FAST_CLASSES {
            rest.push(lease.take().expect("checked above"));
        }
    });
    if let Some(lease) = lease {
        global().push(lease);
    }
}
