//! What the expansions add for `patience::watch` (the `watch` feature): a `static`
//! describing the macro call and its children, for the runtime's frames to name.
//!
//! Input: the macro's name, a span for the call and one expression per child.
//! Output: `static __PATIENCE_SITE: Site = Site::new("select!", "src/a.rs", 3, 5,
//! &[ChildSite::new("rx.recv()", 4, 13), …]);` and the name to refer to it by.
//!
//! Locations come from the spans of the user's tokens (`file:line:column` as rustc
//! prints them), so each branch is located at its own expression.

use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote};

/// Whether this expansion is watched: with the `watch` feature, or when the input asks
/// for it (`@watch`, which the benchmark uses to compare both forms in one build).
pub(crate) fn enabled(asked: bool) -> bool {
    cfg!(feature = "watch") || asked
}

/// The site `static` for a macro call at `call` with children `children`.
pub(crate) fn site(
    krate: &TokenStream,
    macro_name: &str,
    call: Span,
    children: &[(&dyn ToTokens, Span)],
) -> (Ident, TokenStream) {
    let name = Ident::new("__PATIENCE_SITE", Span::mixed_site());
    let (file, line, column) = location(call);
    let children = children.iter().map(|(tokens, span)| {
        let text = short_text(tokens.to_token_stream());
        let (_, line, column) = location(*span);
        quote! { #krate::__private::watch::ChildSite::new(#text, #line, #column) }
    });
    let item = quote! {
        static #name: #krate::__private::watch::Site = #krate::__private::watch::Site::new(
            #macro_name, #file, #line, #column, &[#(#children),*],
        );
    };
    (name, item)
}

/// `(file, line, column)` of a span, 1-based (0:0 on compilers older than 1.88, where
/// proc macros cannot see locations).
fn location(span: Span) -> (String, u32, u32) {
    let start = span.start();
    let line = u32::try_from(start.line).unwrap_or(0);
    let column = u32::try_from(start.column + 1).unwrap_or(0);
    (span.file(), line, column)
}

/// The most characters of an expression's text a report shows.
const MAX_TEXT: usize = 60;

/// An expression's tokens as a short, readable text: `rx.recv()`, not `rx . recv ()`.
fn short_text(tokens: TokenStream) -> String {
    let mut text = String::new();
    write_tokens(tokens, &mut text);
    let mut text = tighten_generics(&text);
    if text.chars().count() > MAX_TEXT {
        text = text.chars().take(MAX_TEXT - 1).collect();
        text.push('…');
    }
    text
}

fn write_tokens(tokens: TokenStream, out: &mut String) {
    for tree in tokens {
        match tree {
            TokenTree::Group(group) => write_group(&group, out),
            TokenTree::Punct(punct) => {
                let c = punct.as_char();
                match c {
                    // Hug both sides: `a.b`, `a?`, `a::b`.
                    '.' | '?' | ':' => out.push(c),
                    ',' | ';' => out.push_str(&format!("{c} ")),
                    // Unary after an opening or another operator: `&mut x`, `!x`.
                    '&' | '!' | '*' | '-' if !ends_with_operand(out) => out.push(c),
                    _ => {
                        if !out.ends_with(' ') && !out.is_empty() {
                            out.push(' ');
                        }
                        out.push(c);
                        if punct.spacing() == proc_macro2::Spacing::Alone {
                            out.push(' ');
                        }
                    }
                }
            }
            other => {
                if ends_with_operand(out) {
                    out.push(' ');
                }
                out.push_str(&other.to_string());
            }
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
}

fn write_group(group: &proc_macro2::Group, out: &mut String) {
    let (open, close) = match group.delimiter() {
        Delimiter::Parenthesis => ("(", ")"),
        Delimiter::Bracket => ("[", "]"),
        Delimiter::Brace => ("{ ", " }"),
        Delimiter::None => ("", ""),
    };
    // Calls and indexing hug what they follow (`f(x)`, `v[0]`); a block is spaced.
    let hugs = matches!(
        group.delimiter(),
        Delimiter::Parenthesis | Delimiter::Bracket
    ) && (ends_with_operand(out) || out.ends_with('!'));
    if !hugs && ends_with_operand(out) {
        out.push(' ');
    }
    out.push_str(open);
    write_tokens(group.stream(), out);
    out.push_str(close);
}

/// Whether the text so far ends with something a following token is not glued to.
fn ends_with_operand(out: &str) -> bool {
    out.chars()
        .last()
        .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | ')' | ']' | '}' | '"' | '\''))
}

/// `f:: < u8 > ()` → `f::<u8>()`: the arguments of a turbofish are written tight.
fn tighten_generics(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if depth == 0 && c == '<' && out.trim_end().ends_with("::") {
            let trimmed = out.trim_end().len();
            out.truncate(trimmed);
            out.push('<');
            depth = 1;
            skip_spaces(&mut chars);
            continue;
        }
        if depth > 0 {
            if c == ' ' && (out.ends_with('<') || matches!(chars.peek(), Some('>' | '<' | ','))) {
                continue;
            }
            if c == '<' {
                depth += 1;
            }
            if c == '>' {
                depth -= 1;
                let trimmed = out.trim_end().len();
                out.truncate(trimmed);
                out.push('>');
                if depth == 0 {
                    skip_spaces(&mut chars);
                }
                continue;
            }
        }
        out.push(c);
    }
    out
}

fn skip_spaces(chars: &mut core::iter::Peekable<core::str::Chars<'_>>) {
    while chars.peek() == Some(&' ') {
        chars.next();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_read_like_code() {
        assert_eq!(short_text(quote!(rx.recv())), "rx.recv()");
        assert_eq!(short_text(quote!(&mut fut)), "&mut fut");
        assert_eq!(
            short_text(quote!(tokio::time::sleep(d))),
            "tokio::time::sleep(d)"
        );
        assert_eq!(short_text(quote!(async { 1 })), "async { 1 }");
        assert_eq!(short_text(quote!(a.b(c, d)?)), "a.b(c, d)?");
        assert_eq!(short_text(quote!(pending::<u8>())), "pending::<u8>()");
        assert_eq!(
            short_text(quote!(f::<Vec<u8>, u16>(x))),
            "f::<Vec<u8>, u16>(x)"
        );
        let long = short_text(quote!(some_function_with_a_long_name(
            an_argument,
            another_argument,
            a_third_one
        )));
        assert_eq!(long.chars().count(), MAX_TEXT);
        assert!(long.ends_with('…'));
    }
}
