fn main() {
    let _ = async {
        let (a, b, c, d) = (async { 1 }, async { 2 }, async { 3 }, async { 4 });
        patience::try_join!(,a, b c, d,,)
    };
}
