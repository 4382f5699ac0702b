//! Compile tests for `#[patience::main]` and `#[patience::test]`.

#[test]
fn ui_main() {
    let cases = trybuild::TestCases::new();
    cases.pass("ui/main/pass/*.rs");
    cases.compile_fail("ui/main/fail/*.rs");
}
