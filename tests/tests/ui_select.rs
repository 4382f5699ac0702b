//! Compile tests for `select!` and `select_biased!`: every syntax form compiles and
//! runs (`pass`), every malformed input is a readable, spanned error (`fail`).

#[test]
fn ui_select() {
    let t = trybuild::TestCases::new();
    t.pass("ui/select/pass/*.rs");
    t.compile_fail("ui/select/fail/*.rs");
}
