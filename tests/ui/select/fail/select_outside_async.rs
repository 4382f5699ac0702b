fn main() {
    let _ = patience::select! {
        a = std::future::ready(1) => a,
    };
}
