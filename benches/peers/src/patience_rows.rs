//! The patience rows of the select and join groups.

macro_rules! select {
    ($cases:ident, $slots:ident, $mode:ident, [$($i:tt)*]) => {
        select_case!($cases, "patience::select!", $slots, $mode, |s| async move {
            patience::select! { $( v = gate(&s[$i], $i) => v, )* }
        });
        select_case!($cases, "patience::select! biased", $slots, $mode, |s| async move {
            patience::select! { biased; $( v = gate(&s[$i], $i) => v, )* }
        });
        select_case!($cases, "patience::select! round_robin", $slots, $mode, |s| async move {
            let mut cursor = 0usize;
            patience::select! { round_robin(&mut cursor); $( v = gate(&s[$i], $i) => v, )* }
        });
        // The expansion of the `watch` feature (asked for with `@watch`, so both forms are
        // in one build).
        select_case!($cases, "patience::select! (watch)", $slots, $mode, |s| async move {
            patience::__private::macros::select! { @[::patience] @watch $( v = gate(&s[$i], $i) => v, )* }
        });
    };
}

macro_rules! join {
    ($cases:ident, $slots:ident, [$($i:tt)*]) => {
        join_case!($cases, "patience::join!", $slots, |s| tuple_join!(patience::join, s, [$($i)*]));
        join_case!($cases, "patience::join! (watch)", $slots, |s| async move {
            let out = patience::__private::macros::join!(@[::patience] @watch $( gate(&s[$i], $i), )*);
            [$( out.$i, )*].iter().sum()
        });
    };
}
pub(crate) use {join, select};

/// patience's rows of the size table.
pub fn sizes() -> Vec<(&'static str, &'static str, usize)> {
    use crate::sizes::{child, size};
    use std::future::ready;
    vec![
        (
            "join of (ready(u64), child, child)",
            "patience::join!",
            size(&async { patience::join!(ready(1u64), child(2), child(3)) }),
        ),
        (
            "select of (ready(u64), child, child)",
            "patience::select!",
            size(&async {
                patience::select! {
                    a = ready(1u64) => a,
                    b = child(2) => b,
                    c = child(3) => c,
                }
            }),
        ),
    ]
}
