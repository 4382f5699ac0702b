// `biased;;`: the stray `;` gets one error, the branches are still checked.
use std::future::ready;

fn main() {
    patience::block_on(async {
        patience::select! {
            biased;;
            a = ready(1) => a,
            b = ready(2) => b,
        };
    });
}
