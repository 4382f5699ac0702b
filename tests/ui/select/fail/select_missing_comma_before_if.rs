fn main() {
    let open = true;
    patience::block_on(async {
        patience::select! {
            a = std::future::ready(1) if open => a,
        };
    });
}
