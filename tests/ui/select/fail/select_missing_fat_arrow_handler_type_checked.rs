// A missing `=>`: one error where it belongs; what follows the future is taken as the
// handler, and type-checked with the pattern's binding.
use std::future::ready;

fn main() {
    patience::block_on(async {
        patience::select! {
            n = ready(1u32) n.is_empty(),
            m = ready(2u32) => m,
        };
    });
}
