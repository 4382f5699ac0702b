//! The atomics and the cell the collections' protocols use: `core`'s, or loom's when
//! the protocols are model-checked (`RUSTFLAGS="--cfg patience_loom"`, see `loom_tests.rs`).

#[cfg(not(patience_loom))]
pub(super) use core::sync::atomic::{AtomicUsize, Ordering, fence};
#[cfg(patience_loom)]
pub(super) use loom::sync::atomic::{AtomicUsize, Ordering, fence};

/// An `UnsafeCell` reached through a raw pointer (loom's checks every access).
pub(super) struct UnsafeCell<T> {
    #[cfg(not(patience_loom))]
    inner: core::cell::UnsafeCell<T>,
    #[cfg(patience_loom)]
    inner: loom::cell::UnsafeCell<T>,
}

impl<T> UnsafeCell<T> {
    pub(super) fn new(value: T) -> UnsafeCell<T> {
        UnsafeCell {
            #[cfg(not(patience_loom))]
            inner: core::cell::UnsafeCell::new(value),
            #[cfg(patience_loom)]
            inner: loom::cell::UnsafeCell::new(value),
        }
    }

    /// Calls `f` with a pointer to the value; the caller must own the value meanwhile.
    pub(super) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        #[cfg(not(patience_loom))]
        return f(self.inner.get());
        #[cfg(patience_loom)]
        return self.inner.with_mut(f);
    }
}
