fn main() {
    let _ = async {
        let ok = async { Ok::<u8, ()>(1) };
        let plain = async { 2u8 };
        patience::try_join!(ok, plain)
    };
}
