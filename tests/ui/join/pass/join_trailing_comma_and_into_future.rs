use std::future::{IntoFuture, Ready, ready};

struct Seven;

impl IntoFuture for Seven {
    type Output = u8;
    type IntoFuture = Ready<u8>;
    fn into_future(self) -> Ready<u8> {
        ready(7)
    }
}

fn main() {
    patience::block_on(async {
        let (a, b) = patience::join!(Seven, async { 1u8 },);
        let (c,) = patience::join!(biased; Seven,);
        let d: Result<(u8,), ()> = patience::try_join!(async { Ok(Seven.await) },);
        // A variable named `biased` is just a future.
        let biased = async { 2u8 };
        let (e,) = patience::join!(biased);
        assert_eq!((a, b, c, d, e), (7, 1, 7, Ok((7,)), 2));
    });
}
