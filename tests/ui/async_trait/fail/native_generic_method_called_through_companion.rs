//! A generic method cannot be called through the companion (it has no vtable entry): the
//! error points at the method's generic parameter.

#[patience::async_trait(native)]
trait Store {
    async fn put<T: Send>(&self, value: T) -> T;
}

struct Memory;

impl Store for Memory {
    async fn put<T: Send>(&self, value: T) -> T {
        value
    }
}

fn main() {
    let store: &dyn DynStore = &Memory;
    let _ = store.put(1);
}
