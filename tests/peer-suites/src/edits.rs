//! Byte-range edits of a source text, found through token spans.

use std::ops::Range;

use proc_macro2::Span;

/// One replacement of `range` (bytes of the original text) by `with`.
#[derive(Debug, Clone)]
pub struct Edit {
    pub range: Range<usize>,
    pub with: String,
    /// What is rewritten there (`#[tokio::test]`, `use tokio::select`, …), for counts.
    pub site: String,
}

/// The byte range from the start of `first` to the end of `last`.
pub fn between(first: Span, last: Span) -> Range<usize> {
    first.byte_range().start..last.byte_range().end
}

/// Applies the edits, which must not overlap. A replacement that has fewer line breaks
/// than the text it replaces is padded with line breaks, so every line after it keeps
/// its number (compiler messages then point at the published file's lines).
pub fn apply(src: &str, mut edits: Vec<Edit>) -> Result<String, String> {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    for pair in edits.windows(2) {
        if pair[0].range.end > pair[1].range.start {
            return Err(format!(
                "overlapping edits at bytes {:?} and {:?}",
                pair[0].range, pair[1].range
            ));
        }
    }
    let mut out = String::with_capacity(src.len() + 64 * edits.len());
    let mut at = 0;
    for edit in edits {
        out.push_str(&src[at..edit.range.start]);
        out.push_str(&edit.with);
        let old_lines = src[edit.range.clone()].matches('\n').count();
        let new_lines = edit.with.matches('\n').count();
        for _ in new_lines..old_lines {
            out.push('\n');
        }
        at = edit.range.end;
    }
    out.push_str(&src[at..]);
    Ok(out)
}
