//! The patience rows of the select and join groups (added once those macros exist).

macro_rules! select {
    ($cases:ident, $slots:ident, $mode:ident, [$($i:tt)*]) => {};
}
macro_rules! join {
    ($cases:ident, $slots:ident, [$($i:tt)*]) => {};
}
pub(crate) use {join, select};

/// patience's rows of the size table.
pub fn sizes() -> Vec<(&'static str, &'static str, usize)> {
    Vec::new()
}
