//! A default method of a `Send` trait holds `&self` in its future: it needs `Self: Sync`.

use std::cell::Cell;

#[patience::async_trait(native)]
trait Named {
    fn name(&self) -> String;

    async fn greet(&self) -> String {
        format!("hello {}", self.name())
    }
}

struct Local(Cell<u8>);

impl Named for Local {
    fn name(&self) -> String {
        self.0.get().to_string()
    }
}

fn main() {
    let _ = Local(Cell::new(1)).greet();
}
