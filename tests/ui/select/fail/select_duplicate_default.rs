fn main() {
    patience::block_on(async {
        patience::select! {
            a = std::future::ready(1) => a,
            default => 0,
            default => 1,
        };
    });
}
