//! Compile-time behaviour of `#[patience::async_trait]`: what must compile, and the errors
//! (with their exact text) for each mistake.

#[test]
fn ui_async_trait() {
    let cases = trybuild::TestCases::new();
    cases.pass("ui/async_trait/pass/*.rs");
    cases.compile_fail("ui/async_trait/fail/*.rs");
}
