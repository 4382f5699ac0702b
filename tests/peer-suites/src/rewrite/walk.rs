//! The token walk: macro calls, attributes and (with [`Rules::paths`]) item paths,
//! anywhere in the file, macro arguments included.

use proc_macro2::{Delimiter, Group, Spacing, TokenStream, TokenTree};
use quote::ToTokens;
use syn::parse::{ParseStream, Parser};
use syn::{Expr, Pat, Token};

use super::{ATTRIBUTES, MACROS, Modules, Names, Rules, TOKIO_ENTRY, path_rule};
use crate::edits::{Edit, between};

/// Walks every token of the file, macro arguments included.
pub struct Walker<'a> {
    pub src: &'a str,
    pub rules: Rules,
    pub entry_aliases: Names,
    pub futures_selects: Names,
    pub modules: Modules,
    pub edits: Vec<Edit>,
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

/// Whether the ident at `tts[i]` continues a path (`a::HERE`, `<T as X>::HERE`) rather
/// than starting one (`HERE`, `::HERE`).
fn continues_path(tts: &[TokenTree], i: usize) -> bool {
    i >= 3
        && is_path_sep(tts, i - 2)
        && (matches!(tts[i - 3], TokenTree::Ident(_)) || is_punct(tts.get(i - 3), '>'))
}

impl Walker<'_> {
    pub fn walk(&mut self, tokens: TokenStream) {
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
            self.item_path_at(&tts, i);
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
        let (path, rest, site) = if ident_of(tts.get(start)).as_deref() == Some("tokio")
            && is_path_sep(&tts, start + 1)
            && ident_of(tts.get(start + 3)).is_some_and(|n| TOKIO_ENTRY.contains(&n.as_str()))
        {
            let name = &tts[start + 3];
            (
                format!("patience::{name}"),
                &tts[start + 4..],
                format!("#[tokio::{name}]"),
            )
        } else if start == 0
            && ident_of(tts.first()).is_some_and(|n| self.entry_aliases.contains(&n))
        {
            (
                tts[0].to_string(),
                &tts[1..],
                "#[alias of tokio::test/main]".to_owned(),
            )
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
            site,
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
            site: format!("{peer}::{name}{}", if is_macro { "!" } else { "" }),
        });
        if is_macro
            && peer == "futures"
            && name.starts_with("select")
            && let Some(TokenTree::Group(g)) = tts.get(i + 5)
        {
            self.futures_select(g);
        }
    }

    /// A path starting at `tts[i]` whose leading segments name an item of [`PATHS`],
    /// directly (`futures::future::join_all`) or through an imported module
    /// (`future::join_all` after `use futures::future;`): those segments become
    /// `patience::NAME`.
    ///
    /// [`PATHS`]: super::PATHS
    fn item_path_at(&mut self, tts: &[TokenTree], i: usize) {
        if !self.rules.paths || ident_of(tts.get(i)).is_none() || continues_path(tts, i) {
            return;
        }
        let leading = i >= 2 && is_path_sep(tts, i - 2);
        // The path's segments: (name, token index).
        let mut segments = vec![(ident_of(tts.get(i)).unwrap(), i)];
        let mut at = i;
        while is_path_sep(tts, at + 1)
            && let Some(name) = ident_of(tts.get(at + 3))
        {
            segments.push((name, at + 3));
            at += 3;
        }
        let module = (!leading)
            .then(|| self.modules.get(&segments[0].0))
            .flatten();
        // The full path, and how many of its segments the first written one stands for.
        let (mut full, first_stands_for) = match module {
            Some(m) => (m.clone(), m.len()),
            None => (vec![segments[0].0.clone()], 1),
        };
        full.extend(segments[1..].iter().map(|(n, _)| n.clone()));
        for len in (first_stands_for..=full.len()).rev() {
            let Some(name) = path_rule(self.rules, &full[..len]) else {
                continue;
            };
            let last = segments[len - first_stands_for].1;
            let start = if leading { i - 2 } else { i };
            self.edits.push(Edit {
                range: between(tts[start].span(), tts[last].span()),
                with: format!("{}patience::{name}", if leading { "::" } else { "" }),
                site: full[..len].join("::"),
            });
            return;
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
                            site: "futures select! branch future by name: `&mut`".to_owned(),
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
