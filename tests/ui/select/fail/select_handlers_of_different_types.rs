// Handlers are the arms of one `match`: they must have one type. rustc's error is at the
// handler that differs.
use std::future::ready;

fn main() {
    patience::block_on(async {
        let _ = patience::select! {
            a = ready(1u32) => a,
            b = ready("two") => b,
        };
    });
}
