// More than 12 futures: the tracking expansion points at the argument too.
fn main() {
    let _ = async {
        let f = || async { 1 };
        patience::join!(f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), f(), "text", f())
    };
}
