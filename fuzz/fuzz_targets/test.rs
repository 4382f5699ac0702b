//! `#[test]` on arbitrary arguments and item (split at the first NUL byte): no panic,
//! and items in give items out.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    patience_fuzz::fuzz_attribute_macro("#[test]", patience_fuzz::test, data);
});
