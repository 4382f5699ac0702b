#[patience::async_trait]
trait Service {
    async fn call(&self, request: u32) -> u32;
}

struct Echo;

impl Service for Echo {
    async fn call(&self, request: u32) -> u32 {
        request
    }
}

fn main() {}
