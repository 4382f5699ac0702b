//! The forwarding futures of a `Send` trait's `&self` methods hold `&self`: the companion
//! needs its values to be `Sync`, and an implementor that is not cannot become one (even if
//! its own futures do not hold `self`).

use std::cell::Cell;
use std::future::Future;

#[patience::async_trait(native)]
trait Counter {
    async fn get(&self) -> u32;
}

struct Local(Cell<u32>);

impl Counter for Local {
    fn get(&self) -> impl Future<Output = u32> + Send {
        let value = self.0.get();
        async move { value }
    }
}

fn main() {
    let _counter: Box<dyn DynCounter> = Box::new(Local(Cell::new(0)));
}
