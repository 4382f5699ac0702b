//! The patience rows of the select and join groups.

macro_rules! select {
    ($cases:ident, $slots:ident, $mode:ident, [$($i:tt)*]) => {};
}

macro_rules! join {
    ($cases:ident, $slots:ident, [$($i:tt)*]) => {
        $cases.push(Case::new("patience::join!", |iters| {
            for _ in 0..iters {
                let s = &$slots[..];
                drive_join(s, async move {
                    let out = patience::join!($( gate(&s[$i], $i), )*);
                    [$( out.$i, )*].iter().sum()
                });
            }
            take_polls()
        }));
    };
}
pub(crate) use {join, select};

/// patience's rows of the size table.
pub fn sizes() -> Vec<(&'static str, &'static str, usize)> {
    use crate::sizes::{child, size};
    use std::future::ready;
    vec![(
        "join of (ready(u64), child, child)",
        "patience::join!",
        size(&async { patience::join!(ready(1u64), child(2), child(3)) }),
    )]
}
