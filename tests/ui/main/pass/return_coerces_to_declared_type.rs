// `return Err(Box::new(e))` must coerce to `Box<dyn Error>` exactly as in a plain fn
// (`#[tokio::main]` rejects this).
use std::error::Error;
use std::fmt;

#[derive(Debug)]
struct MyError;

impl fmt::Display for MyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("my error")
    }
}

impl Error for MyError {}

#[patience::main]
async fn main() -> Result<(), Box<dyn Error>> {
    if std::env::args().count() > 1_000 {
        return Err(Box::new(MyError));
    }
    let parsed: i32 = "5".parse()?;
    assert_eq!(parsed, 5);
    Ok(())
}
