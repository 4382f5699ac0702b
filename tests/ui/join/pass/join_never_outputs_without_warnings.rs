#![deny(warnings)]

use std::convert::Infallible;

async fn forever() -> ! {
    loop {
        std::future::pending::<()>().await;
    }
}

// A child that never finishes with output `!`.
async fn with_never_output() -> u8 {
    let (_, x) = patience::join!(forever(), async { 1u8 });
    x
}

// `Infallible` errors: the error path can never run.
async fn infallible() -> Result<(u8, u8), Infallible> {
    patience::try_join!(async { Ok(1) }, async { Ok(2) })
}

// Thirteen children: the tracking expansion.
async fn many_with_never() -> u8 {
    let f = || async { 1u8 };
    let out = patience::join!(
        f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), forever(),
    );
    out.0
}

fn main() {
    let _ = with_never_output();
    let _ = many_with_never();
    assert_eq!(patience::block_on(infallible()), Ok((1, 2)));
}
