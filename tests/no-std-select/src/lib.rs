//! A `#![no_std]` crate that uses `select!` in the modes that need nothing from `std`
//! (`biased`, `round_robin`) and `select_biased!`. It only has to compile: the
//! expansions must name nothing but `::core` and `::patience`.

#![no_std]
#![forbid(unsafe_code)]

use core::future::{Future, pending, ready};

/// Returns the first of two futures to finish, preferring `first` on ties.
pub async fn first_of<T>(first: impl Future<Output = T>, second: impl Future<Output = T>) -> T {
    patience::select! {
        biased;
        value = first => value,
        value = second => value,
    }
}

/// Takes values from `next` in turn, starting at `*cursor`; `None` once both are off.
pub async fn take_turns(cursor: &mut usize, a_on: bool, b_on: bool) -> Option<char> {
    patience::select! {
        round_robin(cursor);
        c = ready('a'), if a_on => Some(c),
        c = ready('b'), if b_on => Some(c),
        () = pending(), if false => None,
        else => None,
    }
}

/// `select_biased!` with `default`, `complete` and a pattern.
pub async fn poll_once(value: Option<u8>) -> u8 {
    patience::select_biased! {
        Some(v) = ready(value) => v,
        () = pending() => 0,
        default => 1,
        complete => 2,
    }
}
