fn main() {
    let _ = async {
        let ok = |n: u8| async move { Ok::<u8, ()>(n) };
        let (a, b, c, d) = (ok(1), ok(2), ok(3), ok(4));
        patience::try_join!(,a, b c, d,,)
    };
}
