// Two `,` in a row: one error, at the extra one.
use std::future::ready;

fn main() {
    patience::block_on(async {
        patience::select! {
            a = ready(1) => a,,
            b = ready(2) => b,
        };
    });
}
