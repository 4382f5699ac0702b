#![forbid(unsafe_code)]

mod isolated {
    #![no_implicit_prelude]

    #[::patience::main]
    pub async fn answer() -> ::core::result::Result<u8, ()> {
        ::core::result::Result::Ok(42)
    }

    #[::patience::main(runtime = "tokio", flavor = "current_thread")]
    pub async fn on_tokio() -> u8 {
        7
    }
}

fn main() {
    assert_eq!(isolated::answer(), Ok(42));
    assert_eq!(isolated::on_tokio(), 7);
}
