// A missing `,` between arguments: one error, where the `,` belongs; every argument is
// still type-checked (the third is not a future: reported too).
use std::future::ready;

fn main() {
    let _ = async {
        let _ = patience::join!(ready(1) ready(2), 3);
    };
}
