//! The expansion only uses absolute paths, so it works without the prelude.
#![no_implicit_prelude]

fn main() {
    ::patience::block_on(async {
        let mut cursor = 0;
        let a = ::patience::select! {
            ::std::option::Option::Some(n) = ::std::future::ready(::std::option::Option::Some(1)) => n,
            n = ::std::future::pending::<i32>(), if false => n,
            else => 0,
        };
        let b = ::patience::select! {
            biased;
            n = ::std::future::ready(2) => n,
            default => 0,
        };
        let c = ::patience::select! {
            round_robin(&mut cursor);
            n = ::std::future::ready(3) => n,
            n = ::std::future::ready(4) => n,
        };
        ::std::assert_eq!((a, b, c), (1, 2, 3));
    });
}
