fn main() {
    let _ = async {
        let parse = async { "1".parse::<u32>() };
        let read = async { std::fs::read_to_string("x") };
        patience::try_join!(parse, read)
    };
}
