fn main() {
    patience::block_on(async {
        patience::select! {
            biassed;
            a = std::future::ready(1) => a,
        };
    });
}
