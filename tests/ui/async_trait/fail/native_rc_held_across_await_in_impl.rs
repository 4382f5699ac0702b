//! A `native` trait's futures are `Send`: an impl whose `async fn` holds an `Rc` across an
//! `.await` fails at the impl, pointing at the value and the `.await`.

use std::rc::Rc;

#[patience::async_trait(native)]
trait Service {
    async fn call(&self, key: &str) -> usize;
}

struct Counter;

async fn tick() {}

impl Service for Counter {
    async fn call(&self, key: &str) -> usize {
        let shared = Rc::new(5);
        tick().await;
        *shared + key.len()
    }
}

fn main() {}
