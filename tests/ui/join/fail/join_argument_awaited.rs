// Ported from sequential code: an argument `.await`ed by mistake is not a future. One
// error, at it.
use std::future::ready;

fn main() {
    let _ = async {
        let (_a, _b) = patience::join!(ready(1).await, ready(2));
    };
}
