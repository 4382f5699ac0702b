//! Support for `select!`.
