//! Support for `select!` and `select_biased!`.
//!
//! Everything here is called from macro expansions as `::patience::__private::select::…`.
//! Only [`random_start`] needs std (a thread-local generator); the items used by `biased`
//! and `round_robin` selects are plain `core` code.

use futures_core::future::FusedFuture;

/// Borrows a branch future so the expansion can ask, at the call site, whether it is a
/// [`FusedFuture`] that has terminated, without requiring the trait.
///
/// The expansion calls `(&Probe(&*fut)).__patience_is_terminated()` with both probe
/// traits in scope. Method lookup first tries receivers of type `&Probe<F>`, where only
/// [`ProbeFused`] applies, and only when `F: FusedFuture`; otherwise it auto-references
/// to `&&Probe<F>` and finds [`ProbePlain`], which answers `false`.
pub struct Probe<'a, F: ?Sized>(pub &'a F);

/// The probe answer for futures that implement [`FusedFuture`].
pub trait ProbeFused {
    /// Whether the branch future reports that it has terminated.
    fn __patience_is_terminated(&self) -> bool;
}

impl<F: FusedFuture + ?Sized> ProbeFused for Probe<'_, F> {
    #[inline(always)]
    fn __patience_is_terminated(&self) -> bool {
        self.0.is_terminated()
    }
}

/// The probe answer for every other future: never terminated, always polled.
pub trait ProbePlain {
    /// Always `false`.
    fn __patience_is_terminated(&self) -> bool;
}

impl<F: ?Sized> ProbePlain for &Probe<'_, F> {
    #[inline(always)]
    fn __patience_is_terminated(&self) -> bool {
        false
    }
}

/// The branch a fair-mode select starts polling at: uniform in `0..branches`.
#[inline]
pub fn random_start(branches: usize) -> usize {
    crate::select_rng::below(branches)
}

/// Panics for a select whose branches are all disabled and that has no `else` branch.
#[cold]
#[inline(never)]
#[track_caller]
pub fn all_disabled() -> ! {
    panic!("all branches are disabled and there is no else branch")
}

/// Marks code the expansion never reaches (the body of a pattern test whose guard is
/// always false, and the fallback arm of the final `match`).
#[cold]
#[inline(never)]
pub fn unreachable() -> ! {
    unreachable!("patience::select!: internal error, an impossible branch was taken")
}
