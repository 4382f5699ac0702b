//! `join!` on arbitrary tokens: no panic, and the output is one expression.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    patience_fuzz::fuzz_expression_macro("join!", patience_fuzz::join, data);
});
