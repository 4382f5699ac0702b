fn main() {
    let _ = async {
        let (a, b) = (async { 1 }, async { 2 });
        patience::join!(a, b; async { 3 })
    };
}
