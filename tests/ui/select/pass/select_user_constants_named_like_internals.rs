// Constants a user may have in scope, named like what select expansions use (or used)
// internally, and short common names: a constant in scope turns a `let` or closure
// binding of the same name into a constant pattern, so none of these may match a name
// the expansion binds. Small (shared waker) and large (per-branch wakers) selects.
#![deny(warnings)]
#![allow(dead_code, non_upper_case_globals)]

use std::future::{pending, ready};

const __state: u8 = 0;
const __cx: u8 = 0;
const __out: u8 = 0;
const __fut_0: u8 = 0;
const __fut_12: u8 = 0;
const __leaf_0: u8 = 0;
const __hit: bool = false;
const __value: u8 = 0;
const __polled: u8 = 0;
const __list: u8 = 0;
const __start: usize = 0;
const __lo: usize = 0;
const __hi: usize = 0;
const __cursor: usize = 0;
const state: u8 = 0;
const cx: u8 = 0;
const out: u8 = 0;
const value: u8 = 0;
const start: usize = 0;
const COUNT: u32 = 0;
const BRANCHES: u32 = 0;

async fn run() -> (u8, u8, u8) {
    let small = patience::select! {
        v = ready(1u8) => v,
        v = pending() => v,
    };
    let mut cursor = 0usize;
    let rotated = patience::select! {
        round_robin(&mut cursor);
        v = pending() => v,
        v = ready(2u8) => v,
    };
    let large = patience::select! {
        v = pending() => v, v = pending() => v, v = pending() => v, v = pending() => v,
        v = pending() => v, v = pending() => v, v = pending() => v, v = pending() => v,
        v = pending() => v, v = pending() => v, v = pending() => v, v = pending() => v,
        v = ready(3u8) => v,
    };
    (small, rotated, large)
}

fn main() {
    assert_eq!(patience::block_on(run()), (1, 2, 3));
}
