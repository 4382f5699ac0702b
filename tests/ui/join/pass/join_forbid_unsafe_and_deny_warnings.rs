#![forbid(unsafe_code)]
#![deny(warnings, clippy::all)]

async fn run() -> (u8, u8) {
    let f = || async { 1u8 };
    let _many = patience::join!(
        f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), f(),
    );
    let _biased = patience::try_join!(biased; async { Ok::<u8, ()>(1) }, async { Ok(2) });
    patience::join!(async { 1 }, async { 2 })
}

fn main() {
    assert_eq!(patience::block_on(run()), (1, 2));
}
