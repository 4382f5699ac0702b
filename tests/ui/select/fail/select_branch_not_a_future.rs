fn main() {
    patience::block_on(async {
        patience::select! {
            a = 42 => a,
        };
    });
}
