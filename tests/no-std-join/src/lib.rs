//! A `#![no_std]` crate using `join!` and `try_join!`: it only builds if the expansions
//! name nothing from `std` (this crate has no `std` in scope, not even `::std`).
//! `cargo build`/`clippy` of the workspace checks it; the unit test runs it.

#![no_std]
#![forbid(unsafe_code)]
#![deny(warnings)]

/// Three small futures: the poll-everything expansion.
pub async fn small() -> (u8, u16, u32) {
    patience::join!(async { 1u8 }, async { 2u16 }, async { 3u32 })
}

/// Sixteen futures: the wake-tracking expansion.
pub async fn many() -> u32 {
    let f = |i: u32| async move { i };
    let out = patience::join!(
        f(0),
        f(1),
        f(2),
        f(3),
        f(4),
        f(5),
        f(6),
        f(7),
        f(8),
        f(9),
        f(10),
        f(11),
        f(12),
        f(13),
        f(14),
        f(15),
    );
    out.0 + out.15
}

/// `try_join!`, biased, with an early error.
pub async fn fallible(fail: bool) -> Result<(u8, u8), &'static str> {
    patience::try_join!(
        biased;
        async { Ok(1) },
        async move { if fail { Err("failed") } else { Ok(2) } },
    )
}

#[cfg(test)]
mod tests {
    extern crate std;

    #[test]
    fn joins_work_in_a_no_std_crate() {
        assert_eq!(patience::block_on(super::small()), (1, 2, 3));
        assert_eq!(patience::block_on(super::many()), 15);
        assert_eq!(patience::block_on(super::fallible(false)), Ok((1, 2)));
        assert_eq!(patience::block_on(super::fallible(true)), Err("failed"));
    }
}
