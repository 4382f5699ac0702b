#![no_implicit_prelude]

async fn small() -> (u8, u16, u32) {
    ::patience::join!(async { 1u8 }, async { 2u16 }, biased_fn())
}

async fn biased_fn() -> u32 {
    let (x,) = ::patience::join!(biased; async { 3u32 });
    x
}

async fn fallible() -> ::core::result::Result<(u8, u8), ()> {
    ::patience::try_join!(async { ::core::result::Result::Ok(1) }, async {
        ::core::result::Result::Ok(2)
    })
}

async fn many() -> u8 {
    let f = || async { 1u8 };
    let out = ::patience::join!(
        f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), f(),
    );
    out.0 + out.15
}

fn main() {
    let out = ::patience::block_on(small());
    ::std::assert_eq!(out, (1, 2, 3));
    ::std::assert_eq!(::patience::block_on(fallible()), ::core::result::Result::Ok((1, 2)));
    ::std::assert_eq!(::patience::block_on(many()), 2);
}
