// The branch future `.await`ed by mistake: its output is not a future. One error, there.
use std::future::ready;

fn main() {
    patience::block_on(async {
        patience::select! {
            a = ready(1).await => a,
            b = ready(2) => b,
        };
    });
}
