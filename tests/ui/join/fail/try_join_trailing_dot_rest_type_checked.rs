// Half-typed `try_join!`: one error at the `.`; the other argument is still checked (its
// output is not a `Result`: reported too).
async fn fetch(id: u32) -> Result<u32, String> {
    Ok(id)
}

fn main() {
    let _ = async {
        let _ = patience::try_join!(fetch(1)., async { 2u32 });
    };
}
