fn main() {
    patience::block_on(async {
        let _: () = patience::select! {};
    });
}
