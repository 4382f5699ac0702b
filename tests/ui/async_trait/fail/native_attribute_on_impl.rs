//! `native` goes on the trait; its impls need no attribute.

#[patience::async_trait(native)]
trait Service {
    async fn call(&self) -> u8;
}

struct Echo;

#[patience::async_trait(native)]
impl Service for Echo {
    async fn call(&self) -> u8 {
        1
    }
}

fn main() {}
