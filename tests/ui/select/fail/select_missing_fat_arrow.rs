fn main() {
    patience::block_on(async {
        patience::select! {
            n = std::future::ready(1) n + 1,
        };
    });
}
