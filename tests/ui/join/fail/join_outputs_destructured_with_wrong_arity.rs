// `join!` gives one output per argument, as a tuple: destructuring two of three is
// rustc's E0308, at the pattern.
use std::future::ready;

fn main() {
    let _ = async {
        let (_a, _b) = patience::join!(ready(1), ready(2), ready(3));
    };
}
