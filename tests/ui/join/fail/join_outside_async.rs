fn main() {
    let (_a,) = patience::join!(async { 1 });
}
