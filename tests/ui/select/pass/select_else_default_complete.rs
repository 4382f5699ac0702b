//! `else`, its synonym `complete`, `default`, in any position, and `else` alone.
use std::future::{pending, ready};

fn main() {
    patience::block_on(async {
        let a = patience::select! {
            else => 0,
            n = ready(1), if false => n,
        };
        let b = patience::select! {
            n = ready(1), if false => n,
            complete => 2,
        };
        let c = patience::select! {
            default => 3,
            () = pending() => 0,
        };
        let d = patience::select! {
            n = ready(4), if true => n,
            default => 0,
            else => 0,
        };
        let e: u8 = patience::select! { else => 5 };
        let f = patience::select! { complete => 6 };
        assert_eq!((a, b, c, d, e, f), (0, 2, 3, 4, 5, 6));
    });
}
