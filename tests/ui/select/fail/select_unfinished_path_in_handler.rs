// Half-typed: a path ending in `::`. One error at the `::`; the other branch is still
// type-checked.
use std::future::ready;

enum Event {
    Tick,
}

fn main() {
    patience::block_on(async {
        let _event = patience::select! {
            () = ready(()) => Event::,
            n = ready(1u8) => { let _wide: u16 = n; Event::Tick }
        };
    });
}
