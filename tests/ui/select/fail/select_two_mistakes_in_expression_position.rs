// Two mistakes in a select used as a `let` initializer: both are reported, each at its
// keyword, and nothing else (the errors form one expression).
fn main() {
    let _ = async {
        let x: u8 = patience::select! {
            a = async { 1u8 } => a,
            default => 2,
            default => 3,
            else => 4,
            complete => 5,
        };
        x
    };
}
