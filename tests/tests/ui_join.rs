//! Compile-time behaviour of `join!`/`try_join!`: what must compile (`ui/join/pass`) and
//! the errors bad input gets (`ui/join/fail`, with reviewed `.stderr`).

#[test]
fn join_ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("ui/join/pass/*.rs");
    cases.compile_fail("ui/join/fail/*.rs");
}
