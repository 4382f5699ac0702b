//! What the expansion of a malformed `select!`, `select_biased!`, `join!` or `try_join!`
//! calls, so that the user's code in it is still type-checked (and analysed by IDEs).
//!
//! A call that does not parse expands to one block (see `macros/src/recover.rs`):
//!
//! ```text
//! {
//!     let __patience_failed = { compile_error!{"…"} … };  // every mistake, once
//!     if false {                                          // never runs
//!         use …::recover::{Typing as _, output as __patience_output, …};
//!         match __patience_output(<branch future>) { <pattern> => { let _ = <handler>; } _ => {} }
//!         let _ = __patience_checked(__PatienceArgument(<join argument>).__patience_child());
//!     }
//!     __patience_failed
//! }
//! ```
//!
//! `__patience_failed` has the type of an erroneous expression, which unifies with any
//! other and hides every error that depends on it. An unfinished `v.` becomes
//! `v.__patience_typing(compile_error!{…})` ([`Typing`], imported by every expansion,
//! working or not), which type-checks `v` and yields an erroneous value again, so
//! nothing that uses it reports a second error.
//!
//! Nothing here ever runs: the crate does not compile.

use core::future::Future;

pub use super::argument::{
    Argument, IntoBranch, IntoChild, IntoTryChild, NotAFutureChild, checked, checked_branch,
};

/// Completes an unfinished `receiver.`: a method of every type, sized or not, that
/// returns its argument (an erroneous `compile_error!`, in an expansion). Every
/// expansion imports it; hidden, so that IDEs do not offer it in completions.
#[doc(hidden)]
pub trait Typing {
    /// Returns `failed`.
    #[doc(hidden)]
    #[inline(always)]
    fn __patience_typing<T>(&self, failed: T) -> T {
        failed
    }
}

impl<X: ?Sized> Typing for X {}

/// The output of a branch future, for typing the branch's pattern and handler.
///
/// # Panics
/// Always: it is only called in code that never runs.
pub fn output<F: Future>(future: F) -> F::Output {
    drop(future);
    unreachable!("recovered code of a macro call that does not compile never runs")
}
