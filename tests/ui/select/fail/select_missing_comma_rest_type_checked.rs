// A missing `,` after a one-expression handler: one error, where the `,` belongs; the next
// branch is parsed from there and type-checked (its handler's mistake is reported too).
use std::future::ready;

fn main() {
    patience::block_on(async {
        let _: u8 = patience::select! {
            a = ready(1u8) => a + 1
            b = ready(2u8) => b.is_empty(),
        };
    });
}
