fn main() {
    let _ = async {
        let a = async { 1 };
        patience::join!(a, 5, async { 3 })
    };
}
