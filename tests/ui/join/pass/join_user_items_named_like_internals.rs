// Items a user may have in scope, named like what macro expansions use internally
// (tokio's `COUNT`, futures' `_fut0`, short `__` names): none may change the expansion.
#![allow(dead_code, non_upper_case_globals, non_camel_case_types)]

const COUNT: u32 = 99;
const __f0: u8 = 0;
const _fut0: u8 = 0;
const fut: u8 = 0;
const cx: u8 = 0;
const list: u8 = 0;
const state: u8 = 0;
const __s0: u8 = 0;
const __state: u8 = 0;
const __cx: u8 = 0;
const __i: usize = 0;
const __start: u32 = 0;
const __finished: u32 = 0;
struct Option;
struct Result;
struct Poll;
struct Join;
struct Slot;
fn split() {}
mod core {}
mod patience_private {}

async fn run() -> (u8, u8, u8) {
    let __list = 5u8;
    let f = move || async move { __list };
    let many = patience::join!(
        f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), f(),
    );
    let (a, b) = patience::join!(async { 1u8 }, async { 2u8 });
    let tried: ::core::result::Result<(u8,), ()> = patience::try_join!(async { Ok(a + b) });
    (many.0, tried.unwrap().0, COUNT as u8)
}

fn main() {
    assert_eq!(patience::block_on(run()), (5, 3, 99));
}
