// Ported from tokio's own tests: a disabled branch whose future's output nothing
// constrains (`disable_with_if`), and a branch whose future returns `!`
// (`never_branch_no_warnings`): both compile, with no warning.
#![deny(warnings)]

use std::future::{poll_fn, ready};

async fn never() -> ! {
    loop {
        std::future::pending::<()>().await;
    }
}

async fn disabled_branch_with_unconstrained_output() -> u8 {
    let f = poll_fn(|_| panic!());
    patience::select! {
        _ = f, if false => unreachable!(),
        v = ready(7u8) => v,
    }
}

async fn branch_that_never_returns() -> u8 {
    patience::select! {
        _ = never() => 0,
        v = ready(3u8) => v,
    }
}

fn main() {
    assert_eq!(patience::block_on(disabled_branch_with_unconstrained_output()), 7);
    assert_eq!(patience::block_on(branch_that_never_returns()), 3);
}
