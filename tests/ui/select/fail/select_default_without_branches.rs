fn main() {
    patience::block_on(async {
        let _: i32 = patience::select! {
            default => 0,
        };
    });
}
