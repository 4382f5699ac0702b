use std::rc::Rc;

#[patience::async_trait]
trait Service {
    async fn call(&self) -> usize;
}

struct Counter;

async fn tick() {}

#[patience::async_trait]
impl Service for Counter {
    async fn call(&self) -> usize {
        let shared = Rc::new(5);
        tick().await;
        *shared
    }
}

fn main() {}
