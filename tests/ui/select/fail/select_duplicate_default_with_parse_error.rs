// A parse error and a mistake of meaning in one select: both are reported, once each.
use std::future::ready;

fn main() {
    patience::block_on(async {
        patience::select! {
            a = ready(1) => a,
            default =>,
            default => 3,
        };
    });
}
