//! The model of the options of `#[patience::main(...)]` / `#[patience::test(...)]`, as
//! [`super::args`] leaves them: validated, every default filled in.

use proc_macro2::Span;

/// The validated options.
pub(crate) struct Options {
    pub(crate) runtime: Runtime,
    /// Path to the `patience` crate (`::patience` unless `crate = "..."`).
    pub(crate) krate: syn::Path,
}

/// The runtime the rewritten function drives.
pub(crate) enum Runtime {
    /// `patience::block_on`, the embedded executor (the default).
    Builtin,
    /// A tokio runtime built for this call.
    Tokio(Tokio),
    /// `smol::block_on`.
    Smol,
}

/// How the tokio runtime is built: tokio's own `#[tokio::main]` options. Options whose
/// builder method may be missing from the user's tokio keep the span of the option, so
/// that the compiler's error points at it.
pub(crate) struct Tokio {
    pub(crate) flavor: Flavor,
    /// The span of `flavor = ...` (`build_local` is spanned there), else the call site.
    pub(crate) flavor_span: Span,
    pub(crate) worker_threads: Option<usize>,
    /// `start_paused = true|false` (the builder method needs tokio's `test-util`).
    pub(crate) start_paused: Option<(bool, Span)>,
    /// `unhandled_panic = "..."` (the builder method needs `--cfg tokio_unstable`).
    pub(crate) unhandled_panic: Option<(UnhandledPanic, Span)>,
    /// `name = "..."`, the runtime's name (tokio 1.51 and later).
    pub(crate) name: Option<(String, Span)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavor {
    CurrentThread,
    MultiThread,
    /// tokio's `LocalRuntime` (current thread, `!Send` tasks through `spawn_local`).
    Local,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnhandledPanic {
    Ignore,
    ShutdownRuntime,
}
