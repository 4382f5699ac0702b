// Half-typed body: rustc's parser reports the mistake in the source (before the
// attribute runs). The attribute completes the `.` (one error of its own, at the `.`), so
// the unfinished tail causes no "mismatched types", and the rest of the body is
// analysed.
#[patience::main]
async fn main() {
    let greeting = String::from("hi");
    greeting.
}
