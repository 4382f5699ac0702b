//! A trait rewritten by the macro can be implemented by hand, with the documented types.

use std::future::Future;
use std::pin::Pin;

#[patience::async_trait]
trait Service {
    async fn call(&self, request: &str) -> usize;
}

struct ByHand;

impl Service for ByHand {
    fn call<'life0, 'life1, 'async_trait>(
        &'life0 self,
        request: &'life1 str,
    ) -> Pin<Box<dyn Future<Output = usize> + Send + 'async_trait>>
    where
        'life0: 'async_trait,
        'life1: 'async_trait,
        Self: 'async_trait,
    {
        Box::pin(async move { request.len() })
    }
}

fn main() {
    let service: &dyn Service = &ByHand;
    assert_eq!(patience::block_on(service.call("four")), 4);
}
