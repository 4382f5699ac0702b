// A statement as a handler: one error, saying to use a block. The other branch is still
// type-checked.
use std::future::ready;

fn main() {
    patience::block_on(async {
        patience::select! {
            a = ready(1) => let doubled = a * 2;
            b = ready(2u8) => b.is_empty(),
        };
    });
}
