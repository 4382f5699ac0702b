//! A supertrait that is a `native` trait itself must be named in `native_supertraits(..)`,
//! or the companion asks for it as a `dyn`-compatible supertrait.

#[patience::async_trait(native)]
trait Reader {
    async fn read(&mut self) -> Option<u8>;
}

#[patience::async_trait(native)]
trait Summer: Reader {
    async fn sum(&mut self) -> u64;
}

fn main() {}
