//! A `#![no_std]` crate (with `alloc`) using patience's collections. It also compiles
//! their source itself (`runtime-shim/src/collections/`), as a module of this crate: that
//! only builds if the source names nothing from `std` (`std` is not in scope here, and the
//! prelude is `core`'s, so `Vec` or `Box` without an `alloc::` import fail too).
//! `cargo build`/`clippy` of the workspace checks it; the unit test runs it.

#![no_std]
#![deny(warnings)]

extern crate alloc;

use alloc::vec::Vec;

/// The collections' source, compiled in this `no_std` crate.
#[path = "../../../runtime-shim/src/collections/mod.rs"]
#[allow(dead_code, unused_imports)]
mod source;

/// `join_all` from patience: the sum of the values, each from its own future.
pub async fn sum_all(values: &[u32]) -> u32 {
    patience::join_all(values.iter().map(|&v| async move { v }))
        .await
        .into_iter()
        .sum()
}

/// `try_join_all` from this crate's own copy of the source.
pub async fn parse_all(values: &[&str]) -> Result<Vec<u32>, core::num::ParseIntError> {
    source::try_join_all(values.iter().map(|v| async move { v.parse::<u32>() })).await
}

/// A `FutureSet` and `buffer_unordered` from the copy, and `select_all`.
pub async fn drained(n: u32) -> (u32, u32, usize) {
    let mut set = source::FutureSet::new();
    for i in 0..n {
        set.push(async move { i });
    }
    let mut total = 0;
    while let Some(i) = set.next().await {
        total += i;
    }
    let mut limited = source::buffer_unordered((0..n).map(|i| async move { i * 2 }), 3);
    let mut doubled = 0;
    while let Some(i) = limited.next().await {
        doubled += i;
    }
    let (_, index, _) = source::select_all([core::future::ready(1), core::future::ready(2)]).await;
    (total, doubled, index)
}

#[cfg(test)]
mod tests {
    extern crate std;

    #[test]
    fn collections_work_in_a_no_std_crate() {
        assert_eq!(patience::block_on(super::sum_all(&[1, 2, 3])), 6);
        assert_eq!(
            patience::block_on(super::parse_all(&["4", "5"])),
            Ok(alloc::vec![4, 5])
        );
        assert!(patience::block_on(super::parse_all(&["4", "x"])).is_err());
        assert_eq!(patience::block_on(super::drained(10)), (45, 90, 0));
    }
}
