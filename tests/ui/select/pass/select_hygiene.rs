//! The expansion uses no `unsafe`, emits no warning, and does not clash with user names.
#![forbid(unsafe_code)]
#![deny(warnings)]
#![allow(dead_code, non_camel_case_types, non_upper_case_globals)]

use std::future::ready;

struct Option;
struct Poll;
struct Some;
struct Pin;
struct Future;
struct IntoFuture;
struct Context;
struct usize;
mod core {}
const COUNT: u8 = 200;
const BRANCHES: u8 = 7;
fn poll_fn() {}
fn unreachable() {}

fn main() {
    patience::block_on(async {
        let __out = 1u8;
        let __cx = 2u8;
        let __value = 3u8;
        let __enabled_0 = false;
        let __fut_0 = 4u8;
        let __hit = 5u8;
        let mut __cursor = 0;
        let n = patience::select! {
            round_robin(&mut __cursor);
            n = ready(__out), if !__enabled_0 => n + __cx + __value + __fut_0 + __hit,
            n = ready(COUNT), if __enabled_0 => n + BRANCHES,
        };
        assert_eq!(n, 15);
        let m = patience::select! {
            ::std::option::Option::Some(x) = ready(::std::option::Option::Some(COUNT)) => x,
            else => 0,
        };
        assert_eq!(m, 200);
    });
}
