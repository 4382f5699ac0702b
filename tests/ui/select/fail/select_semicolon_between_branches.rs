// `;` after a handler instead of `,` (as after a statement): one error, at the `;`.
use std::future::ready;

fn main() {
    patience::block_on(async {
        patience::select! {
            a = ready(1) => println!("{a}");
            b = ready(2) => println!("{b}"),
        };
    });
}
