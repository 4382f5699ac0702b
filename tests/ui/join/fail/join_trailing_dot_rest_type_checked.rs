// Half-typed: `ready(1).` as an argument. The error is at the `.`, and the other arguments
// are still type-checked: the mistake in the second one is reported too.
use std::future::ready;

fn main() {
    let _ = async {
        let _ = patience::join!(
            ready(1).,
            async {
                let port: u16 = "8080";
                port
            },
        );
    };
}
