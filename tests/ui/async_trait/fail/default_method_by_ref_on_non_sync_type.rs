use std::cell::Cell;

#[patience::async_trait]
trait Service {
    fn value(&self) -> u8;

    async fn doubled(&self) -> u8 {
        self.value() * 2
    }
}

struct NotSync(Cell<u8>);

impl Service for NotSync {
    fn value(&self) -> u8 {
        self.0.get()
    }
}

fn main() {
    let service = NotSync(Cell::new(1));
    let _future = service.doubled();
}
