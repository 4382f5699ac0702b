fn main() {
    let mut cursor = 0;
    patience::block_on(async {
        patience::select_biased! {
            round_robin(&mut cursor);
            a = std::future::ready(1) => a,
        };
    });
}
