// Half-typed: an argument ending in `::`. One error at the `::`; nothing else.
mod jobs {
    pub async fn first() -> u8 {
        1
    }
}

fn main() {
    let _ = async {
        let _ = patience::join!(jobs::first(), jobs::);
    };
}
