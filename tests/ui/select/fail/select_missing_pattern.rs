fn main() {
    patience::block_on(async {
        patience::select! {
            std::future::ready(1) => 0,
        };
    });
}
