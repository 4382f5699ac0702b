//! A `native` trait itself is not dyn-compatible: `dyn Service` fails; `dyn DynService` is
//! the companion.

#[patience::async_trait(native)]
trait Service {
    async fn call(&self) -> u8;
}

struct Echo;

impl Service for Echo {
    async fn call(&self) -> u8 {
        1
    }
}

fn main() {
    let _service: Box<dyn Service> = Box::new(Echo);
}
