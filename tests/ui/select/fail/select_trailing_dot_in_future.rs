// Half-typed: `self.` as a branch future. One error, at the `.`. The select still expands
// as usual (so an IDE completes after `self.` and types the other branches), but its
// outcome is erroneous: rustc reports nothing from the other branches in this state.
use std::future::ready;

struct Server {
    name: String,
}

impl Server {
    async fn next(&mut self) -> usize {
        patience::select! {
            n = self. => n,
            m = ready(self.name.len()) => m,
        }
    }
}

fn main() {
    let mut server = Server { name: String::new() };
    let _ = server.next();
}
