//! Porting from the boxed mode: a `native` trait's impl keeps its `#[async_trait]`, which
//! rewrites the method into a boxed one that does not match the trait.

#[patience::async_trait(native)]
trait Service {
    async fn call(&self, request: u32) -> u32;
}

struct Echo;

#[patience::async_trait]
impl Service for Echo {
    async fn call(&self, request: u32) -> u32 {
        request
    }
}

fn main() {}
