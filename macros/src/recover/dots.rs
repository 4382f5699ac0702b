//! Half-typed member accesses: a `.` with nothing after it (`v.`, `self.` before `=>`).
//!
//! Such a dot is never valid Rust, and it is what an IDE user types most. Before a macro
//! parses its input, each one is completed to
//! `.__patience_typing(::core::compile_error!{"expected a field or method name after `.`"})`:
//! `__patience_typing` is a method of every type (`__private::recover::Typing`, imported
//! by every expansion) that returns its argument, here an erroneous value. So the input
//! parses, the receiver is type-checked, the error is reported once, at the `.`, and
//! nothing that uses the result reports another.
//!
//! Input: `v = rx.recv() => v., n = tick => n`.
//! Output: `v = rx.recv() => v.__patience_typing(::core::compile_error!{"…"}), n = tick => n`.

use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::ToTokens as _;

/// The method that completes a dangling `.`.
const TYPING: &str = "__patience_typing";

/// The error of a dangling `.`.
const MESSAGE: &str = "expected a field or method name after `.`";

/// Input: tokens. Output: the same, with each dangling `.` completed (see the module
/// docs), and a `;` after the completion where the statement ends ([`ends_statement`]).
/// Groups are rebuilt only where a dot is completed (a rebuilt group has one span for
/// both delimiters).
pub(crate) fn complete(tokens: TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = TokenStream::new();
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Group(group) if count(&group.stream()) > 0 => {
                let mut inner = Group::new(group.delimiter(), complete(group.stream()));
                inner.set_span(group.span());
                out.extend([TokenTree::Group(inner)]);
            }
            TokenTree::Punct(dot) if dot.as_char() == '.' && dangling(&trees, i) => {
                let at = Span::mixed_site().located_at(dot.span());
                let error = syn::Error::new(dot.span(), MESSAGE).to_compile_error();
                let mut argument = Group::new(Delimiter::Parenthesis, error);
                argument.set_span(at);
                out.extend([
                    tree.clone(),
                    TokenTree::Ident(Ident::new(TYPING, at)),
                    TokenTree::Group(argument),
                ]);
                if ends_statement(&trees, i) {
                    out.extend([TokenTree::Punct(Punct::new(';', Spacing::Alone))]);
                }
            }
            _ => out.extend([tree.clone()]),
        }
    }
    out
}

/// Whether `trees[i]`, a `.`, is a member access with no member: it follows what can
/// end an expression (a name, a literal, a group, `?`), is no part of `..`, and what
/// follows cannot be a member (a name, `await`, a tuple index) nor a second `.`.
fn dangling(trees: &[TokenTree], i: usize) -> bool {
    let is_dot =
        |tree: Option<&TokenTree>| matches!(tree, Some(TokenTree::Punct(p)) if p.as_char() == '.');
    let after_expression = match i.checked_sub(1).map(|j| &trees[j]) {
        Some(TokenTree::Ident(_) | TokenTree::Literal(_) | TokenTree::Group(_)) => true,
        Some(TokenTree::Punct(p)) => p.as_char() == '?',
        None => false,
    };
    let member = match trees.get(i + 1) {
        // `_` and keywords other than `await` cannot be members.
        Some(TokenTree::Ident(ident)) => {
            ident == "await" || syn::parse2::<Ident>(ident.to_token_stream()).is_ok()
        }
        Some(TokenTree::Literal(_)) => true,
        next => is_dot(next),
    };
    after_expression && !member
}

/// Whether the statement of the dangling `trees[i]` needs a `;` after its completion:
/// a `let` follows (`value.` on the line before a statement), or the `.` ends a `let`
/// statement that ends the block.
fn ends_statement(trees: &[TokenTree], i: usize) -> bool {
    let is_let = |tree: &TokenTree| matches!(tree, TokenTree::Ident(ident) if ident == "let");
    match trees.get(i + 1) {
        Some(next) => is_let(next),
        // The last `let` or `;` before it is a `let` (a `;` completed before a `let` is
        // not in `trees`, but that `let` is).
        None => trees[..i]
            .iter()
            .rfind(|tree| is_let(tree) || matches!(tree, TokenTree::Punct(p) if p.as_char() == ';'))
            .is_some_and(is_let),
    }
}

/// How many dangling dots `tokens` hold, at any depth.
fn count(tokens: &TokenStream) -> usize {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    (0..trees.len())
        .map(|i| match &trees[i] {
            TokenTree::Group(group) => count(&group.stream()),
            TokenTree::Punct(dot) => usize::from(dot.as_char() == '.' && dangling(&trees, i)),
            _ => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn completed(tokens: TokenStream) -> String {
        complete(tokens).to_string()
    }

    #[test]
    fn dangling_dots_are_completed_and_nothing_else_changes() {
        let valid = quote!(
            a.b(),
            c.0,
            d.await,
            0..1,
            ..=2,
            Foo { .. },
            x?.y,
            1.5,
            r#f.r#type
        );
        assert_eq!(completed(valid.clone()), valid.to_string());
        for input in [
            quote!(v.),
            quote!(v., w),
            quote!(f(x.)),
            quote!({ v. }),
            quote!(x?.),
            quote!(v._),
        ] {
            let out = completed(input.clone());
            assert_eq!(
                out.matches("__patience_typing").count(),
                1,
                "{input} → {out}"
            );
            assert!(out.contains("compile_error"), "{out}");
        }
    }

    #[test]
    fn a_dot_before_a_let_or_ending_a_let_ends_its_statement() {
        let out = completed(quote!(s. let n = s. ));
        assert_eq!(out.matches(';').count(), 2, "{out}");
        syn::parse2::<syn::Block>(quote!({ #out }).into_iter().collect()).expect("statements");
    }

    #[test]
    fn a_dot_that_starts_nothing_is_left_alone() {
        // After a punctuation or at the start: no expression before it.
        for input in [quote!(= .), quote!(.), quote!(, . x)] {
            assert_eq!(completed(input.clone()), input.to_string());
        }
    }
}
