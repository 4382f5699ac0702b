//! Code blocks in doc comments: rustdoc compiles them as tests, so a `#[tokio::main]`
//! there is as much a macro path as one in code.
//!
//! Each Rust code block of the `///` and `//!` comments is laid out as a text the size of
//! the file holding only that block's code, at the same byte offsets (every other byte a
//! space, rustdoc's hidden-line `# ` markers too), inside a function so that statements
//! parse. The code rules run on that text, and their edits apply to the file as they are.
//!
//! Input / output:
//!
//! ```text
//! /// ```no_run                  /// ```no_run
//! /// #[tokio::main]             /// #[patience::main(runtime = "tokio")]
//! /// async fn main() {}         /// async fn main() {}
//! /// ```                        /// ```
//! ```

use std::ops::Range;
use std::str::FromStr;

use proc_macro2::{Delimiter, TokenStream, TokenTree};

use super::Rules;
use crate::edits::Edit;

/// Put before the laid-out block (no line break, so lines keep their numbers).
const OPEN: &str = "fn __doc(){";
/// Put after it.
const CLOSE: &str = "\n}";

/// One line of a doc comment: the bytes after `///` or `//!`, and its line number.
#[derive(Debug, Clone)]
struct DocLine {
    text: Range<usize>,
    line: usize,
    inner: bool,
}

/// One fenced code block: its code lines, and whether rustdoc would refuse it anyway.
struct Block {
    lines: Vec<DocLine>,
    /// Marked as Rust (or not marked): a doc test.
    rust: bool,
    /// `ignore` or `compile_fail`: a block that does not parse is left alone silently.
    may_fail: bool,
}

/// The edits of the code blocks of the file's doc comments.
pub fn edits(src: &str, tokens: TokenStream, rules: Rules) -> Result<Vec<Edit>, String> {
    let mut lines = Vec::new();
    doc_lines(src, tokens, &mut lines);
    let mut out = Vec::new();
    for block in blocks(src, &lines) {
        let first = block.lines[0].line;
        let text = lay_out(src, &block);
        let tokens = match TokenStream::from_str(&text) {
            Ok(t) => t,
            Err(_) if block.may_fail => continue,
            Err(e) => return Err(format!("the doc example at line {first} does not lex: {e}")),
        };
        let edits = match super::edits(&text, tokens, rules) {
            Ok(e) => e,
            Err(_) if block.may_fail => continue,
            Err(e) => {
                eprintln!("peer-suites: the doc example at line {first} is left as is: {e}");
                continue;
            }
        };
        for mut edit in edits {
            let range = edit.range.start - OPEN.len()..edit.range.end - OPEN.len();
            if src[range.clone()].contains('\n') {
                return Err(format!(
                    "the doc example at line {first}: a rewrite spans lines (`{}`), which a doc comment cannot hold",
                    &src[range]
                ));
            }
            edit.range = range;
            edit.site = format!("doc example: {}", edit.site);
            out.push(edit);
        }
    }
    Ok(out)
}

/// Every `///` and `//!` line, in file order (the lexer turns each into `#[doc = ".."]`,
/// spanned at the comment).
fn doc_lines(src: &str, tokens: TokenStream, out: &mut Vec<DocLine>) {
    let tts: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tt) in tts.iter().enumerate() {
        let TokenTree::Group(g) = tt else { continue };
        let after_hash = i.checked_sub(1).and_then(|j| tts.get(j)).is_some_and(
            |t| matches!(t, TokenTree::Punct(p) if p.as_char() == '#' || p.as_char() == '!'),
        );
        let is_doc = g.delimiter() == Delimiter::Bracket
            && matches!(g.stream().into_iter().next(), Some(TokenTree::Ident(id)) if id == "doc");
        let comment = &src[g.span().byte_range()];
        if after_hash && is_doc && (comment.starts_with("///") || comment.starts_with("//!")) {
            let range = g.span().byte_range();
            out.push(DocLine {
                text: range.start + 3..range.end,
                line: g.span().start().line,
                inner: comment.starts_with("//!"),
            });
        } else {
            doc_lines(src, g.stream(), out);
        }
    }
}

/// Whether a fence's info string (```` ```no_run ````) marks Rust code.
fn is_rust(info: &str) -> bool {
    info.split([',', ' ', '\t'])
        .filter(|w| !w.is_empty())
        .all(|w| {
            matches!(
                w,
                "rust" | "no_run" | "should_panic" | "ignore" | "compile_fail" | "test_harness"
            ) || w.starts_with("edition")
                || w.starts_with("ignore-")
                || (w.len() == 5 && w.starts_with('E'))
        })
}

/// The Rust code blocks of the doc comments: a comment is a run of doc lines on
/// consecutive lines, of one kind.
fn blocks(src: &str, lines: &[DocLine]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    let mut previous: Option<&DocLine> = None;
    for line in lines {
        let same_comment =
            previous.is_some_and(|p| p.line + 1 == line.line && p.inner == line.inner);
        if !same_comment {
            open = None; // an unclosed fence ends with its comment
        }
        previous = Some(line);
        let text = src[line.text.clone()].trim_start();
        if let Some(info) = text
            .strip_prefix("```")
            .or_else(|| text.strip_prefix("~~~"))
        {
            match open.take() {
                Some(block) => {
                    if block.rust && !block.lines.is_empty() {
                        out.push(block);
                    }
                }
                None => {
                    open = Some(Block {
                        lines: Vec::new(),
                        rust: is_rust(info.trim()),
                        may_fail: info.contains("ignore") || info.contains("compile_fail"),
                    });
                }
            }
            continue;
        }
        if let Some(block) = &mut open {
            block.lines.push(line.clone());
        }
    }
    out
}

/// The file's bytes with only the block's code kept in place (hidden-line markers
/// blanked), inside [`OPEN`] … [`CLOSE`].
fn lay_out(src: &str, block: &Block) -> String {
    let mut bytes: Vec<u8> = src
        .bytes()
        .map(|b| if b == b'\n' { b'\n' } else { b' ' })
        .collect();
    for line in &block.lines {
        let code = &src[line.text.clone()];
        bytes[line.text.clone()].copy_from_slice(code.as_bytes());
        let trimmed = code.trim_start();
        let hash = line.text.start + (code.len() - trimmed.len());
        if trimmed == "#" {
            bytes[hash] = b' ';
        } else if trimmed.starts_with("# ") {
            bytes[hash] = b' ';
            bytes[hash + 1] = b' ';
        }
    }
    // Only ASCII spaces replaced whole lines' bytes outside the code, and code lines are
    // copied whole, so the text is still UTF-8.
    let laid = String::from_utf8(bytes).expect("whole lines copied");
    format!("{OPEN}{laid}{CLOSE}")
}
