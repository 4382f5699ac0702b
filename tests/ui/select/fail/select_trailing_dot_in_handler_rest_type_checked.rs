// Half-typed: `v.` in one handler. The error is at the `.`, and the rest of the select is
// still type-checked: the mistake in the other handler is reported too.
use std::future::ready;

fn main() {
    patience::block_on(async {
        let _ = patience::select! {
            v = ready(String::from("hi")) => v.,
            n = ready(1u32) => {
                let doubled: u32 = "2";
                n * doubled
            }
        };
    });
}
