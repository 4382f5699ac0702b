// `=>` with nothing after it: one error, at the `,` where the handler should be.
use std::future::ready;

fn main() {
    patience::block_on(async {
        patience::select! {
            a = ready(1) =>,
            b = ready(2) => b,
        };
    });
}
