//! Nothing: the checks are in `tests/backends.rs`.
