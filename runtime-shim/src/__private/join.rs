//! Support for `join!` and `try_join!`.
