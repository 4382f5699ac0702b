//! The one place to edit: which peer versions, which of their test files, which tests
//! are skipped and why, what the scratch crate depends on, and which programs are ported.

use crate::rewrite::Rules;

/// A peer crate, pinned to one exact version.
pub struct Peer {
    /// The package name on crates.io.
    pub package: &'static str,
    /// The exact version whose test files are run (pinned with `=`).
    pub version: &'static str,
}

pub const TOKIO: Peer = Peer {
    package: "tokio",
    version: "1.54.1",
};
pub const FUTURES: Peer = Peer {
    package: "futures",
    version: "0.3.34",
};
pub const ASYNC_TRAIT: Peer = Peer {
    package: "async-trait",
    version: "0.1.92",
};

/// One published test file of a peer, run against patience.
pub struct Suite {
    pub peer: &'static Peer,
    /// Path inside the peer's package, as published in its `.crate`.
    pub file: &'static str,
    /// Which rewrite rules apply: the macro paths only, or also `rewrite::PATHS`.
    pub rules: Rules,
}

/// The macro paths only.
const MACROS: Rules = Rules { paths: false };
/// The macro paths and the items of `rewrite::PATHS` (`futures::future::join_all`, …).
const ITEMS: Rules = Rules { paths: true };

/// Every suite, one line each. To add one: a line here (and, if the file needs a crate
/// the scratch crate lacks, a line in [`DEV_DEPENDENCIES`]). Later: async-trait's
/// `tests/test.rs` again under the `native` mode.
#[rustfmt::skip]
pub const SUITES: &[Suite] = &[
    Suite { peer: &TOKIO, file: "tests/macros_select.rs", rules: MACROS },
    Suite { peer: &TOKIO, file: "tests/macros_join.rs", rules: MACROS },
    Suite { peer: &TOKIO, file: "tests/macros_try_join.rs", rules: MACROS },
    Suite { peer: &TOKIO, file: "tests/time_sleep.rs", rules: MACROS },
    Suite { peer: &FUTURES, file: "tests/async_await_macros.rs", rules: MACROS },
    Suite { peer: &FUTURES, file: "tests/macro_comma_support.rs", rules: MACROS },
    Suite { peer: &FUTURES, file: "tests/try_join.rs", rules: MACROS },
    Suite { peer: &FUTURES, file: "tests/future_join.rs", rules: MACROS },
    Suite { peer: &ASYNC_TRAIT, file: "tests/test.rs", rules: MACROS },
];

/// Suites not run yet (only with `--pending`): enable once `patience::join_all`,
/// `try_join_all`, `select_all` and `FutureSet` exist, by moving these lines into
/// [`SUITES`]. They need the item rules of `rewrite::PATHS` (`futures::future::join_all`
/// → `patience::join_all`, `FuturesUnordered` → `patience::FutureSet`, in paths and
/// `use` trees) and [`PENDING_DEV_DEPENDENCIES`].
#[rustfmt::skip]
pub const PENDING: &[Suite] = &[
    Suite { peer: &FUTURES, file: "tests/future_join_all.rs", rules: ITEMS },
    Suite { peer: &FUTURES, file: "tests/future_try_join_all.rs", rules: ITEMS },
    Suite { peer: &FUTURES, file: "tests/future_select_all.rs", rules: ITEMS },
    Suite { peer: &FUTURES, file: "tests/stream_futures_unordered.rs", rules: ITEMS },
];

/// What the [`PENDING`] suites need beyond [`DEV_DEPENDENCIES`] (added to the scratch
/// crate only when one of them runs).
pub const PENDING_DEV_DEPENDENCIES: &[(&str, &str)] = &[("futures-test", r#""=0.3.34""#)];

/// A real program nobody on this project wrote, ported whole from its published package
/// by the same rewrite (see `programs/mod.rs`): it must be as clippy-clean as the
/// unmodified program and pass its own tests.
pub struct Program {
    /// The package name on crates.io.
    pub package: &'static str,
    /// The exact version ported.
    pub version: &'static str,
    /// Tests not run, each with its reason: only tests that need the network beyond
    /// loopback or an external server.
    pub skips: &'static [ProgramSkip],
}

/// A program's test that is not run.
pub struct ProgramSkip {
    /// The test binary: `lib`, `bin NAME`, `test NAME` (as printed in the report).
    pub target: &'static str,
    /// The test's libtest name.
    pub test: &'static str,
    pub reason: &'static str,
}

/// The programs. mini-redis (tokio's teaching Redis server and client) uses
/// `tokio::select!`, `#[tokio::main]` and `#[tokio::test]`, its tests talk to the server
/// on 127.0.0.1; bb8 (a connection pool) defines its `ManageConnection` and
/// `CustomizeConnection` traits with `#[async_trait]`, and its tests implement them
/// again and again, under `#[tokio::test]`. No test of either needs more than loopback.
#[rustfmt::skip]
pub const PROGRAMS: &[Program] = &[
    Program { package: "mini-redis", version: "0.4.1", skips: &[] },
    Program { package: "bb8", version: "0.8.6", skips: &[] },
];

/// How a listed test is left out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// `--skip <name> --exact` to the test binary: the test compiles, its assertion is
    /// about the peer itself.
    Run,
    /// The test function is taken out in the rewrite: it does not compile against
    /// patience, for a listed reason (say so in the reason).
    #[allow(dead_code)] // no entry needs it today
    Remove,
}

/// A test that is not run, and why. The only acceptable reasons: the test asserts a
/// peer's internal size or RNG, or tokio's coop budget (the lead decided that patience's
/// select!/join! do not consult it).
pub struct Skip {
    /// `"<peer package> <file name>"`, as printed in the per-suite line.
    pub suite: &'static str,
    /// The test's full libtest name (`module::name`).
    pub test: &'static str,
    pub how: How,
    pub reason: &'static str,
}

const TOKIO_SIZE: &str = "asserts the byte size of tokio's own select!/join! state, an \
                          implementation detail (patience's sizes are pinned in tests/tests/costs.rs)";
const FUTURES_SIZE: &str = "asserts the byte size of futures' own select!/join! state, an \
                            implementation detail (patience's sizes are pinned in tests/tests/costs.rs)";
const BUDGET: &str = "asserts that tokio::select! consults tokio's coop budget; patience's \
                      select!/join! are executor-agnostic and do not (tokio's own leaf futures \
                      still return Pending when the budget is spent)";

#[rustfmt::skip]
pub const SKIPS: &[Skip] = &[
    Skip { suite: "tokio macros_select.rs", test: "pointer_64_tests::struct_size_1", how: How::Run, reason: TOKIO_SIZE },
    Skip { suite: "tokio macros_select.rs", test: "pointer_64_tests::struct_size_2", how: How::Run, reason: TOKIO_SIZE },
    Skip { suite: "tokio macros_select.rs", test: "pointer_64_tests::struct_size_3", how: How::Run, reason: TOKIO_SIZE },
    Skip { suite: "tokio macros_select.rs", test: "select_is_budget_aware", how: How::Run, reason: BUDGET },
    Skip { suite: "tokio macros_join.rs", test: "join_size", how: How::Run, reason: TOKIO_SIZE },
    Skip { suite: "tokio macros_join.rs", test: "join_size_biased", how: How::Run, reason: TOKIO_SIZE },
    Skip { suite: "tokio macros_try_join.rs", test: "try_join_size", how: How::Run, reason: TOKIO_SIZE },
    Skip { suite: "tokio macros_try_join.rs", test: "try_join_size_biased", how: How::Run, reason: TOKIO_SIZE },
    Skip { suite: "futures async_await_macros.rs", test: "select_size", how: How::Run, reason: FUTURES_SIZE },
    Skip { suite: "futures async_await_macros.rs", test: "select_on_non_unpin_size", how: How::Run, reason: FUTURES_SIZE },
    Skip { suite: "futures async_await_macros.rs", test: "join_size", how: How::Run, reason: FUTURES_SIZE },
    Skip { suite: "futures async_await_macros.rs", test: "try_join_size", how: How::Run, reason: FUTURES_SIZE },
];

/// The scratch crate's dependencies: what the peers' test files use, each pinned.
/// tokio gets every feature of `full` except `macros`, so that a `tokio::select!` or
/// `#[tokio::test]` the rewrite missed fails to compile instead of silently testing
/// tokio. (async-trait is not a dependency at all, for the same reason.)
pub const DEV_DEPENDENCIES: &[(&str, &str)] = &[
    (
        "tokio",
        r#"{ version = "=1.54.1", features = ["fs", "io-util", "io-std", "net", "parking_lot", "process", "rt", "rt-multi-thread", "signal", "sync", "time", "test-util"] }"#,
    ),
    ("tokio-test", r#""=0.4.6""#),
    ("futures", r#""=0.3.34""#),
    ("tracing", r#""=0.1.44""#),
    ("rustversion", r#""=1.0.23""#),
];

/// Cargo features of the scratch crate, all on: the peers' files test
/// `#[cfg(feature = "...")]` against their own crate's features.
pub const FEATURES: &[&str] = &[
    "full",
    "macros",
    "rt",
    "rt-multi-thread",
    "sync",
    "time",
    "test-util",
];

/// `cfg`s the peers' files test that are never set here (declared so they do not warn).
pub const CHECK_CFG: &[&str] = &["tokio_unstable", "async_trait_nightly_testing"];

/// `--baseline` runs the published files unmodified against the peers' own macros (to
/// check the harness and the peers on this toolchain): tokio then has `macros`, and
/// async-trait is a dependency.
pub const BASELINE_DEPENDENCIES: &[(&str, &str)] = &[
    (
        "tokio",
        r#"{ version = "=1.54.1", features = ["full", "test-util"] }"#,
    ),
    ("async-trait", r#""=0.1.92""#),
];
