// Half-typed: `self.` as a branch future. One error at the `.`; the other branch is still
// type-checked.
use std::future::ready;

struct Server {
    name: String,
}

impl Server {
    async fn next(&mut self) -> usize {
        patience::select! {
            n = self. => n,
            m = ready(self.name.len()) => m.is_empty(),
        }
    }
}

fn main() {
    let mut server = Server { name: String::new() };
    let _ = server.next();
}
