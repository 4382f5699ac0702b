//! The atomics, cells and thread parking the runtime's protocols use: `loom`'s under
//! `cfg(patience_loom)`, so the model checker can explore every interleaving of the waker
//! blocks and of `block_on`'s park protocol (`RUSTFLAGS="--cfg patience_loom" cargo test -p
//! patience --lib --release loom`), and the standard ones otherwise.

#[cfg(patience_loom)]
pub(crate) use loom::sync::atomic::{AtomicU8, AtomicU32, AtomicUsize, Ordering};
#[cfg(patience_loom)]
pub(crate) use loom::thread::{Thread, current, park, yield_now};

#[cfg(not(patience_loom))]
pub(crate) use core::sync::atomic::{AtomicU8, AtomicU32, AtomicUsize, Ordering};
#[cfg(not(patience_loom))]
pub(crate) use std::thread::{Thread, current, park, yield_now};

/// A cell whose every access goes through a closure, so that `loom` can check that
/// accesses from different threads are ordered by happens-before.
#[cfg(patience_loom)]
pub(crate) use loom::cell::UnsafeCell;

/// `core::cell::UnsafeCell` with the access API of `loom::cell::UnsafeCell`.
#[cfg(not(patience_loom))]
#[derive(Debug, Default)]
pub(crate) struct UnsafeCell<T>(core::cell::UnsafeCell<T>);

#[cfg(not(patience_loom))]
impl<T> UnsafeCell<T> {
    pub(crate) const fn new(value: T) -> Self {
        UnsafeCell(core::cell::UnsafeCell::new(value))
    }

    /// Calls `f` with a pointer to the value, for reading.
    #[inline(always)]
    pub(crate) fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
        f(self.0.get())
    }

    /// Calls `f` with a pointer to the value, for writing.
    #[inline(always)]
    pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        f(self.0.get())
    }
}
