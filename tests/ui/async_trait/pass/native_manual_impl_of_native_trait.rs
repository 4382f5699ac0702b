//! An impl of a `native` trait may write the method as it is declared, returning
//! `impl Future + Send`, instead of `async fn`.

use std::future::Future;

#[patience::async_trait(native)]
trait Service {
    async fn call(&self, request: u32) -> u32;
}

struct Double;

impl Service for Double {
    fn call(&self, request: u32) -> impl Future<Output = u32> + Send {
        async move { request * 2 }
    }
}

fn main() {
    assert_eq!(patience::block_on(Double.call(4)), 8);
    let service: &dyn DynService = &Double;
    assert_eq!(patience::block_on(service.call(5)), 10);
}
