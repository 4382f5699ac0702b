// An unfinished `if` guard: one error at `if`; the handler is still parsed and
// type-checked (its mistake is reported too).
use std::future::ready;

fn main() {
    patience::block_on(async {
        patience::select! {
            a = ready(1u32), if => {
                let limit: u32 = "10";
                a.min(limit)
            }
            b = ready(2u32) => b,
        };
    });
}
