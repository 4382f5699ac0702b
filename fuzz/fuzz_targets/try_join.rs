//! `try_join!` on arbitrary tokens: no panic, and the output is one expression.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    patience_fuzz::fuzz_expression_macro("try_join!", patience_fuzz::try_join, data);
});
