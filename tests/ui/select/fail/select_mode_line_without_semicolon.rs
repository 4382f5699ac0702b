// `biased` without its `;` reads as a pattern: the error says what was meant.
use std::future::ready;

fn main() {
    patience::block_on(async {
        patience::select! {
            biased
            a = ready(1) => a,
            b = ready(2) => b,
        };
    });
}
