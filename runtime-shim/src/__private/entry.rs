//! Support for `#[patience::main(runtime = "tokio", ...)]` options whose tokio API is
//! not always there.

/// `unhandled_panic = "..."`: tokio's `Builder::unhandled_panic` exists only when tokio
/// is built with `--cfg tokio_unstable`. This trait is implemented for the builder only
/// then (patience is built with the same `RUSTFLAGS` as tokio), so without it the
/// expansion fails with this message rather than with a missing method.
#[diagnostic::on_unimplemented(
    message = "`unhandled_panic` needs tokio's unstable API: build with `RUSTFLAGS=\"--cfg tokio_unstable\"`, as tokio requires",
    label = "tokio's `Builder::unhandled_panic` exists only with `--cfg tokio_unstable`"
)]
pub trait TokioUnhandledPanic {
    /// `Builder::unhandled_panic(ShutdownRuntime)` if `shutdown`, else `(Ignore)`.
    fn patience_unhandled_panic(&mut self, shutdown: bool) -> &mut Self;
}

#[cfg(all(feature = "tokio", tokio_unstable))]
impl TokioUnhandledPanic for ::tokio::runtime::Builder {
    fn patience_unhandled_panic(&mut self, shutdown: bool) -> &mut Self {
        use ::tokio::runtime::UnhandledPanic;
        self.unhandled_panic(if shutdown {
            UnhandledPanic::ShutdownRuntime
        } else {
            UnhandledPanic::Ignore
        })
    }
}

/// Builder methods that the user's tokio may lack, as fallbacks with a clear error.
///
/// The expansion imports this trait (as `_`) next to the builder chain. When tokio has
/// the method, its inherent method wins over the trait's, and nothing here is used.
/// When it does not (`start_paused` without tokio's `test-util` feature, `name` before
/// tokio 1.51), the call resolves to the trait method, whose `where` clause names a trait
/// that is never implemented and whose message says what to change.
pub trait TokioBuilderFallback {
    /// Stands in for `Builder::start_paused` (tokio's `test-util` feature).
    fn start_paused(&mut self, paused: bool) -> &mut Self
    where
        Self: StartPausedNeedsTestUtil;

    /// Stands in for `Builder::name` (tokio 1.51).
    fn name(&mut self, name: &str) -> &mut Self
    where
        Self: RuntimeNameNeedsTokio151;
}

/// Implemented by tokio's runtime builder only (keeps [`TokioBuilderFallback`] generic,
/// so its unsatisfiable `where` clauses are not rejected where it is implemented).
pub trait IsTokioBuilder {}

#[cfg(feature = "tokio")]
impl IsTokioBuilder for ::tokio::runtime::Builder {}

impl<B: IsTokioBuilder> TokioBuilderFallback for B {
    fn start_paused(&mut self, _: bool) -> &mut Self
    where
        Self: StartPausedNeedsTestUtil,
    {
        self
    }

    fn name(&mut self, _: &str) -> &mut Self
    where
        Self: RuntimeNameNeedsTokio151,
    {
        self
    }
}

/// Never implemented: its message is the error for `start_paused` without tokio's
/// `test-util` feature.
#[diagnostic::on_unimplemented(
    message = "`start_paused` needs tokio's `test-util` feature: add `tokio = {{ version = \"1\", features = [\"test-util\"] }}` to your [dev-dependencies]",
    label = "tokio's `Builder::start_paused` exists only with its `test-util` feature"
)]
pub trait StartPausedNeedsTestUtil {}

/// Never implemented: its message is the error for `name` with a tokio older than 1.51.
#[diagnostic::on_unimplemented(
    message = "`name` needs tokio 1.51 or later (`Builder::name`): run `cargo update -p tokio`",
    label = "this tokio's runtime builder has no `name`"
)]
pub trait RuntimeNameNeedsTokio151 {}
