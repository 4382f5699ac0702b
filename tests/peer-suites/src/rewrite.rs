//! Rewrites the macro paths of a peer's test file to patience's; nothing else.
//!
//! Input / output, per rule (everything else in the file stays byte for byte, and every
//! line keeps its number):
//!
//! ```text
//! tokio::select! / join! / try_join!          patience::select! / join! / try_join!
//! futures::select! / select_biased! / join! / try_join!   patience::… (same name)
//! #[tokio::test] / #[tokio::test(OPTS)]       #[patience::test(runtime = "tokio"[, OPTS])]
//! #[tokio::main(OPTS)]                        #[patience::main(runtime = "tokio"[, OPTS])]
//! use tokio::test as alias;  #[alias(OPTS)]   use patience::test as alias;  #[alias(runtime = "tokio"[, OPTS])]
//! use futures::{join, poll, select};          use futures::{poll}; use patience::{join, select};
//! async_trait::async_trait (path or use)      patience::async_trait
//! futures-dialect select!: `p = name =>`      `p = &mut name =>`
//! ```
//!
//! The last rule is futures' one documented dialect difference: `futures::select!`
//! borrows a future given as a path, where patience (like tokio) moves it; `&mut name`
//! has exactly futures' semantics (futures also requires `Unpin` there). A select is in
//! the futures dialect when written `futures::select!` / `futures::select_biased!`, or
//! bare when that name was imported from `futures`.

use std::collections::HashSet;
use std::ops::Range;
use std::str::FromStr;

use proc_macro2::{Delimiter, Group, Spacing, TokenStream, TokenTree};
use quote::ToTokens;
use syn::parse::{ParseStream, Parser};
use syn::visit::Visit;
use syn::{Expr, Pat, Token, UseTree};

use crate::edits::{Edit, apply, between};

/// Function-like macros: `peer::name!` becomes `patience::name!`.
const MACROS: &[(&str, &str)] = &[
    ("tokio", "select"),
    ("tokio", "join"),
    ("tokio", "try_join"),
    ("futures", "select"),
    ("futures", "select_biased"),
    ("futures", "join"),
    ("futures", "try_join"),
];

/// Attribute macros that take tokio's options: `#[tokio::NAME(..)]`.
const TOKIO_ENTRY: &[&str] = &["test", "main"];

/// Plain renames of an attribute macro's path.
const ATTRIBUTES: &[(&str, &str)] = &[("async_trait", "async_trait")];

/// Whether `peer::name` (in a `use`) is one of the macros this file rewrites.
fn is_rewritten(peer: &str, name: &str) -> bool {
    MACROS.contains(&(peer, name))
        || (peer == "tokio" && TOKIO_ENTRY.contains(&name))
        || ATTRIBUTES.contains(&(peer, name))
}

/// Rewrites one file. Fails if the file does not parse, or if a second pass over the
/// result would still find something to rewrite (a rule missed a form).
pub fn rewrite(src: &str) -> Result<String, String> {
    let out = apply(src, edits(src)?)?;
    let again = edits(&out)?;
    if let Some(edit) = again.first() {
        let line = out[..edit.range.start].matches('\n').count() + 1;
        return Err(format!(
            "the rewrite is incomplete: line {line} still has `{}`",
            &out[edit.range.clone()]
        ));
    }
    Ok(out)
}

fn edits(src: &str) -> Result<Vec<Edit>, String> {
    let tokens = TokenStream::from_str(src).map_err(|e| format!("does not lex: {e}"))?;
    let file: syn::File = syn::parse2(tokens.clone()).map_err(|e| {
        let at = e.span().start();
        format!("does not parse at {}:{}: {e}", at.line, at.column)
    })?;
    let mut uses = UseRewriter::default();
    uses.visit_file(&file);
    let mut walker = Walker {
        src,
        entry_aliases: uses.entry_aliases,
        futures_selects: uses.futures_selects,
        edits: Vec::new(),
    };
    walker.walk(tokens);
    let mut edits = uses.edits;
    edits.extend(walker.edits.into_iter().filter(|e| {
        !uses
            .ranges
            .iter()
            .any(|r| r.start <= e.range.start && e.range.end <= r.end)
    }));
    Ok(edits)
}

/// Rewrites `use` items rooted at a peer crate, and records what they import.
#[derive(Default)]
struct UseRewriter {
    edits: Vec<Edit>,
    /// The byte ranges of the rewritten `use` items (the token walk leaves them alone).
    ranges: Vec<Range<usize>>,
    /// Local names of tokio's `test`/`main` attributes (`use tokio::test as alias`).
    entry_aliases: HashSet<String>,
    /// Local names that are futures' `select!`/`select_biased!`.
    futures_selects: HashSet<String>,
}

impl<'ast> Visit<'ast> for UseRewriter {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let UseTree::Path(root) = &item.tree else {
            return;
        };
        let peer = root.ident.to_string();
        let mut moved = Vec::new();
        let kept = split_tree(&peer, &root.tree, &mut moved);
        if moved.is_empty() {
            return;
        }
        for tree in &moved {
            let (name, local) = match tree {
                UseTree::Name(n) => (n.ident.to_string(), n.ident.to_string()),
                UseTree::Rename(r) => (r.ident.to_string(), r.rename.to_string()),
                _ => unreachable!("split_tree moves names and renames only"),
            };
            if peer == "tokio" && TOKIO_ENTRY.contains(&name.as_str()) {
                self.entry_aliases.insert(local);
            } else if peer == "futures" && name.starts_with("select") {
                self.futures_selects.insert(local);
            }
        }
        let attrs: TokenStream = item.attrs.iter().map(ToTokens::to_token_stream).collect();
        let prefix: String = [attrs.to_string(), item.vis.to_token_stream().to_string()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(|s| s + " ")
            .collect();
        let colon = item.leading_colon.map(|_| "::").unwrap_or("");
        let moved: Vec<String> = moved
            .iter()
            .map(|t| t.to_token_stream().to_string())
            .collect();
        let moved = match moved.as_slice() {
            [one] => one.clone(),
            many => format!("{{{}}}", many.join(", ")),
        };
        let mut text = format!("{prefix}use ::patience::{moved};");
        if let Some(kept) = kept {
            text = format!(
                "{prefix}use {colon}{peer}::{}; {text}",
                kept.to_token_stream()
            );
        }
        let range = between(
            item.to_token_stream().into_iter().next().unwrap().span(),
            item.semi_token.span,
        );
        self.ranges.push(range.clone());
        self.edits.push(Edit {
            range,
            with: text.trim_start().to_owned(),
        });
    }
}

/// Splits the part of a `use` tree after the peer's name: the macro names it imports
/// go to `moved`; what is left is returned (None if nothing is).
fn split_tree(peer: &str, tree: &UseTree, moved: &mut Vec<UseTree>) -> Option<UseTree> {
    match tree {
        UseTree::Name(n) if is_rewritten(peer, &n.ident.to_string()) => {
            moved.push(tree.clone());
            None
        }
        UseTree::Rename(r) if is_rewritten(peer, &r.ident.to_string()) => {
            moved.push(tree.clone());
            None
        }
        UseTree::Group(g) => {
            let mut group = g.clone();
            group.items = g
                .items
                .iter()
                .filter_map(|t| split_tree(peer, t, moved))
                .collect();
            (!group.items.is_empty()).then_some(UseTree::Group(group))
        }
        other => Some(other.clone()),
    }
}

/// Walks every token of the file, macro arguments included.
struct Walker<'a> {
    src: &'a str,
    entry_aliases: HashSet<String>,
    futures_selects: HashSet<String>,
    edits: Vec<Edit>,
}

fn is_punct(tt: Option<&TokenTree>, ch: char) -> bool {
    matches!(tt, Some(TokenTree::Punct(p)) if p.as_char() == ch)
}

fn ident_of(tt: Option<&TokenTree>) -> Option<String> {
    match tt {
        Some(TokenTree::Ident(i)) => Some(i.to_string()),
        _ => None,
    }
}

/// Whether `tts[i..]` starts with `::` (two joint colons).
fn is_path_sep(tts: &[TokenTree], i: usize) -> bool {
    matches!(tts.get(i), Some(TokenTree::Punct(p)) if p.as_char() == ':' && p.spacing() == Spacing::Joint)
        && is_punct(tts.get(i + 1), ':')
}

impl Walker<'_> {
    fn walk(&mut self, tokens: TokenStream) {
        let tts: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < tts.len() {
            if is_punct(tts.get(i), '#')
                && let Some(TokenTree::Group(g)) = tts.get(i + 1)
                && g.delimiter() == Delimiter::Bracket
                && self.entry_attribute(g)
            {
                i += 2;
                continue;
            }
            self.path_at(&tts, i);
            if let TokenTree::Group(g) = &tts[i] {
                self.walk(g.stream());
            }
            i += 1;
        }
    }

    /// `#[tokio::test(..)]`, `#[::tokio::main]`, `#[alias(..)]` where `alias` is
    /// tokio's test/main: adds `runtime = "tokio"` and points the path at patience.
    fn entry_attribute(&mut self, attr: &Group) -> bool {
        let tts: Vec<TokenTree> = attr.stream().into_iter().collect();
        let start = if is_path_sep(&tts, 0) { 2 } else { 0 };
        let (path, rest) = if ident_of(tts.get(start)).as_deref() == Some("tokio")
            && is_path_sep(&tts, start + 1)
            && ident_of(tts.get(start + 3)).is_some_and(|n| TOKIO_ENTRY.contains(&n.as_str()))
        {
            (format!("patience::{}", tts[start + 3]), &tts[start + 4..])
        } else if start == 0
            && ident_of(tts.first()).is_some_and(|n| self.entry_aliases.contains(&n))
        {
            (tts[0].to_string(), &tts[1..])
        } else {
            return false;
        };
        let options = match rest {
            [] => String::new(),
            [TokenTree::Group(g)] if g.delimiter() == Delimiter::Parenthesis => {
                let inner = g.span_open().byte_range().end..g.span_close().byte_range().start;
                let text = self.src[inner].trim();
                if text.is_empty() {
                    String::new()
                } else {
                    format!(", {text}")
                }
            }
            _ => return false,
        };
        let inner = between(tts[0].span(), tts.last().unwrap().span());
        self.edits.push(Edit {
            range: inner,
            with: format!("{path}(runtime = \"tokio\"{options})"),
        });
        true
    }

    /// `[::]peer::name` at `tts[i]`, as a macro call or an attribute path.
    fn path_at(&mut self, tts: &[TokenTree], i: usize) {
        let Some(peer) = ident_of(tts.get(i)) else {
            return;
        };
        let after_sep = i >= 2 && is_path_sep(tts, i - 2);
        if after_sep && i >= 3 && matches!(tts[i - 3], TokenTree::Ident(_)) {
            return; // `some::tokio::select`: not the peer crate
        }
        if !is_path_sep(tts, i + 1) {
            self.bare_select(tts, i, &peer, after_sep);
            return;
        }
        let Some(name) = ident_of(tts.get(i + 3)) else {
            return;
        };
        let start = if after_sep { i - 2 } else { i };
        let is_macro = is_punct(tts.get(i + 4), '!');
        let known = if is_macro {
            MACROS.contains(&(peer.as_str(), name.as_str()))
        } else {
            ATTRIBUTES.contains(&(peer.as_str(), name.as_str()))
        };
        if !known {
            return;
        }
        self.edits.push(Edit {
            range: between(tts[start].span(), tts[i + 3].span()),
            with: format!("patience::{name}"),
        });
        if is_macro
            && peer == "futures"
            && name.starts_with("select")
            && let Some(TokenTree::Group(g)) = tts.get(i + 5)
        {
            self.futures_select(g);
        }
    }

    /// A bare `select!` / `select_biased!` imported from futures.
    fn bare_select(&mut self, tts: &[TokenTree], i: usize, name: &str, after_sep: bool) {
        if after_sep || !self.futures_selects.contains(name) || !is_punct(tts.get(i + 1), '!') {
            return;
        }
        if i >= 1 && is_punct(tts.get(i - 1), '.') {
            return;
        }
        if let Some(TokenTree::Group(g)) = tts.get(i + 2) {
            self.futures_select(g);
        }
    }

    /// In a futures-dialect select, a branch future written as a path is borrowed:
    /// `p = name =>` becomes `p = &mut name =>`.
    fn futures_select(&mut self, body: &Group) {
        match branch_futures.parse2(body.stream()) {
            Ok(futures) => {
                for expr in futures {
                    if let Expr::Path(path) = &expr {
                        let at = path
                            .to_token_stream()
                            .into_iter()
                            .next()
                            .unwrap()
                            .span()
                            .byte_range()
                            .start;
                        self.edits.push(Edit {
                            range: at..at,
                            with: "&mut ".to_owned(),
                        });
                    }
                }
            }
            Err(e) => {
                let at = e.span().start();
                eprintln!(
                    "peer-suites: a futures select! at line {} does not parse ({e}); left as is",
                    at.line
                );
            }
        }
    }
}

/// The future expressions of a futures-dialect select body, parsed as futures does.
fn branch_futures(input: ParseStream) -> syn::Result<Vec<Expr>> {
    let mut out = Vec::new();
    while !input.is_empty() {
        if input.peek(Token![default])
            || (input.peek(syn::Ident)
                && input.fork().parse::<syn::Ident>()? == "complete"
                && input.peek2(Token![=>]))
        {
            input.parse::<proc_macro2::TokenTree>()?;
        } else {
            Pat::parse_multi_with_leading_vert(input)?;
            input.parse::<Token![=]>()?;
            out.push(input.parse()?);
        }
        input.parse::<Token![=>]>()?;
        let handler = Expr::parse_with_earlier_boundary_rule(input)?;
        if matches!(handler, Expr::Block(_)) || input.is_empty() {
            input.parse::<Option<Token![,]>>()?;
        } else {
            input.parse::<Token![,]>()?;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    fn check(input: &str, expected: &str) {
        let out = rewrite(input).unwrap();
        assert_eq!(out, expected, "\ninput:\n{input}");
        assert_eq!(
            out.lines().count(),
            input.lines().count(),
            "line count changed"
        );
    }

    #[test]
    fn tokio_macro_paths_point_at_patience() {
        check(
            "fn f() { let x = tokio::select! { a = b => 1 }; tokio::join!(a, ::tokio::try_join!(b)); }",
            "fn f() { let x = patience::select! { a = b => 1 }; patience::join!(a, patience::try_join!(b)); }",
        );
    }

    #[test]
    fn other_tokio_macros_and_longer_paths_are_left_alone() {
        let src = "fn f() { tokio::pin!(x); my::tokio::select!{}; tokio::task::yield_now(); }";
        check(src, src);
    }

    #[test]
    fn tokio_test_gets_the_tokio_runtime_and_keeps_its_options() {
        check(
            "#[tokio::test]\nasync fn a() {}\n#[::tokio::test(flavor = \"multi_thread\", worker_threads = 2)]\nasync fn b() {}",
            "#[patience::test(runtime = \"tokio\")]\nasync fn a() {}\n#[patience::test(runtime = \"tokio\", flavor = \"multi_thread\", worker_threads = 2)]\nasync fn b() {}",
        );
    }

    #[test]
    fn tokio_main_gets_the_tokio_runtime_too() {
        check(
            "#[tokio::main(flavor = \"current_thread\")]\nasync fn main() {}",
            "#[patience::main(runtime = \"tokio\", flavor = \"current_thread\")]\nasync fn main() {}",
        );
    }

    #[test]
    fn aliased_tokio_test_is_rewritten_at_the_use_and_at_each_attribute() {
        check(
            "use tokio::test as maybe;\n#[maybe]\nasync fn a() {}\n#[maybe(start_paused = true)]\nasync fn b() {}",
            "use ::patience::test as maybe;\n#[maybe(runtime = \"tokio\")]\nasync fn a() {}\n#[maybe(runtime = \"tokio\", start_paused = true)]\nasync fn b() {}",
        );
    }

    #[test]
    fn futures_use_groups_are_split_and_keep_their_line_count() {
        check(
            "use futures::{\n    join, poll,\n    future::join as f,\n};\nfn x() {}",
            "use futures::{ poll , future :: join as f }; use ::patience::join;\n\n\n\nfn x() {}",
        );
    }

    #[test]
    fn futures_select_borrows_path_futures_only() {
        check(
            "use futures::select;\nfn f() { select! { a = fut => 1, b = make() => 2, c = &mut g => 3, default => 4 } }",
            "use ::patience::select;\nfn f() { select! { a = &mut fut => 1, b = make() => 2, c = &mut g => 3, default => 4 } }",
        );
        check(
            "fn f() { futures::select_biased! { a = x => futures::select! { b = y => 1 } } }",
            "fn f() { patience::select_biased! { a = &mut x => patience::select! { b = &mut y => 1 } } }",
        );
    }

    #[test]
    fn tokio_select_keeps_moving_path_futures() {
        check(
            "fn f() { tokio::select! { a = fut => 1 } }",
            "fn f() { patience::select! { a = fut => 1 } }",
        );
    }

    #[test]
    fn async_trait_paths_point_at_patience() {
        check(
            "use async_trait::async_trait;\n#[async_trait::async_trait(?Send)]\ntrait T {}",
            "use ::patience::async_trait;\n#[patience::async_trait(?Send)]\ntrait T {}",
        );
    }
}
