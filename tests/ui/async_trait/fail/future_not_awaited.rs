//! Calling an `async fn` of an `#[async_trait]` without `.await` is reported, as for a
//! native `async fn`.

#![deny(unused_must_use)]

#[patience::async_trait]
trait Interface {
    async fn f(&self);
}

struct Thing;

#[patience::async_trait]
impl Interface for Thing {
    async fn f(&self) {}
}

pub async fn forgets() {
    Thing.f();
}

fn main() {}
