//! Test-only crate: helpers shared by the behaviour tests of `patience`.
//!
//! The suites themselves live in `tests/tests/*.rs` (behaviour) and `tests/ui/**` (trybuild).
