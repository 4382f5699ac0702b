fn main() {
    patience::block_on(async {
        patience::select! {
            round_robin;
            a = std::future::ready(1) => a,
        };
    });
}
