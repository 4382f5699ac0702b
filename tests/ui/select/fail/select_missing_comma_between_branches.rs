fn main() {
    patience::block_on(async {
        patience::select! {
            a = std::future::ready(1) => a
            b = std::future::ready(2) => b,
        };
    });
}
