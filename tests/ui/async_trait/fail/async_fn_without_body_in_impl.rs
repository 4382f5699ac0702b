#[patience::async_trait]
trait Service {
    async fn call(&self) -> u8;
}

struct Echo;

#[patience::async_trait]
impl Service for Echo {
    async fn call(&self) -> u8;
}

fn main() {}
