fn main() {
    patience::block_on(async {
        patience::select! {
            a = std::future::ready(1) => a,
            _ = else => 0,
        };
    });
}
