fn main() {
    patience::block_on(async {
        patience::select! {
            a = std::future::ready(1) => a,
            else => 0,
            complete => 1,
        };
    });
}
