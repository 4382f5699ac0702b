use std::rc::Rc;

#[patience::async_trait]
trait Service {
    #[async_trait(?Send)]
    async fn call(&self) -> usize;
}

struct Counter;

#[patience::async_trait]
impl Service for Counter {
    async fn call(&self) -> usize {
        let shared = Rc::new(1);
        *shared
    }
}

fn main() {}
