//! Syntax: turns the tokens inside `select! { … }` into a list of items, with a spanned
//! error that names what was expected for every malformed input.
//!
//! This module only knows the grammar; what the items mean together (duplicates, the
//! mode allowed by each which, "at least one branch") is checked in `model`.

use proc_macro2::Span;
use syn::Ident;
use syn::ext::IdentExt as _;
use syn::parse::{Parse, ParseStream};
use syn::{Expr, Pat, Token};

/// The whole macro input, as written.
pub(crate) struct Input {
    pub(crate) mode: Option<ModeLine>,
    pub(crate) items: Vec<Item>,
}

/// The optional first line: `biased;`, `fair;` or `round_robin(<cursor>);`.
pub(crate) struct ModeLine {
    pub(crate) word: Ident,
    pub(crate) kind: ModeKind,
}

pub(crate) enum ModeKind {
    Fair,
    Biased,
    RoundRobin(Box<Expr>),
}

/// One entry of the body.
pub(crate) enum Item {
    Branch(Box<Branch>),
    /// `else => …` or its synonym `complete => …`; `keyword` is the word as written.
    Else {
        keyword: Ident,
        handler: Expr,
    },
    /// `default => …`.
    Default {
        keyword: Ident,
        handler: Expr,
    },
}

/// `<pattern> = <future> [, if <condition>] => <handler>`.
pub(crate) struct Branch {
    pub(crate) pat: Pat,
    pub(crate) future: Expr,
    pub(crate) condition: Option<Expr>,
    pub(crate) handler: Expr,
}

const BRANCH_SHAPE: &str = "a branch is written `pattern = future => handler`";

impl Parse for Input {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mode = if mode_line_ahead(input) {
            Some(parse_mode_line(input)?)
        } else {
            None
        };

        let mut items = Vec::new();
        while !input.is_empty() {
            if mode_line_ahead(input) {
                let word = input.call(Ident::parse_any)?;
                return Err(syn::Error::new(
                    word.span(),
                    format!("the mode line `{word}` must come first, before every branch"),
                ));
            }
            let item = parse_item(input)?;
            let handler = match &item {
                Item::Branch(branch) => &branch.handler,
                Item::Else { handler, .. } | Item::Default { handler, .. } => handler,
            };
            let block_like = !requires_comma(handler);
            items.push(item);

            if input.is_empty() {
                break;
            }
            if input.peek(Token![,]) {
                input.parse::<Token![,]>()?;
            } else if !block_like {
                return Err(input.error(
                    "expected `,` between branches (the comma may be left out only after a `{ … }` handler)",
                ));
            }
        }
        Ok(Input { mode, items })
    }
}

/// A mode line is a word followed by `;`, or by one parenthesized group and `;`: no
/// branch can start that way.
fn mode_line_ahead(input: ParseStream) -> bool {
    if !input.peek(Ident::peek_any) {
        return false;
    }
    if input.peek2(Token![;]) {
        return true;
    }
    let fork = input.fork();
    let _ = fork.call(Ident::parse_any);
    if !fork.peek(syn::token::Paren) {
        return false;
    }
    let _ = fork.parse::<proc_macro2::TokenTree>();
    fork.peek(Token![;])
}

fn parse_mode_line(input: ParseStream) -> syn::Result<ModeLine> {
    let word = input.call(Ident::parse_any)?;
    let takes_cursor = word == "round_robin";
    let kind = if input.peek(syn::token::Paren) {
        let content;
        let parens = syn::parenthesized!(content in input);
        if !takes_cursor {
            return Err(unknown_mode(&word, true));
        }
        if content.is_empty() {
            return Err(syn::Error::new(
                parens.span.join(),
                "expected the cursor: `round_robin(&mut cursor);` where `cursor: usize` lives outside the select",
            ));
        }
        let cursor: Expr = content.parse()?;
        if !content.is_empty() {
            return Err(content.error("expected `)` after the cursor expression"));
        }
        ModeKind::RoundRobin(Box::new(cursor))
    } else if word == "biased" {
        ModeKind::Biased
    } else if word == "fair" {
        ModeKind::Fair
    } else if takes_cursor {
        return Err(syn::Error::new(
            word.span(),
            "`round_robin` needs its cursor: write `round_robin(&mut cursor);` where `cursor: usize` lives outside the select",
        ));
    } else {
        return Err(unknown_mode(&word, false));
    };
    input.parse::<Token![;]>()?;
    Ok(ModeLine { word, kind })
}

fn unknown_mode(word: &Ident, with_parens: bool) -> syn::Error {
    let written = if with_parens {
        format!("{word}(…)")
    } else {
        word.to_string()
    };
    syn::Error::new(
        word.span(),
        format!(
            "unknown select mode `{written}`: expected `biased;`, `fair;` or `round_robin(&mut cursor);`"
        ),
    )
}

fn parse_item(input: ParseStream) -> syn::Result<Item> {
    if input.peek(Token![else]) {
        let keyword = input.call(Ident::parse_any)?;
        let handler = parse_keyword_handler(input, &keyword)?;
        return Ok(Item::Else { keyword, handler });
    }
    if let Some(word) = special_word_ahead(input) {
        let keyword = input.call(Ident::parse_any)?;
        let handler = parse_keyword_handler(input, &keyword)?;
        return Ok(if word == "default" {
            Item::Default { keyword, handler }
        } else {
            Item::Else { keyword, handler }
        });
    }
    parse_branch(input).map(|branch| Item::Branch(Box::new(branch)))
}

/// `default` or `complete` used as a keyword: the word is not the start of a pattern
/// followed by `=` (a binding may be called `default`).
fn special_word_ahead(input: ParseStream) -> Option<&'static str> {
    let word = if input.peek(Ident) {
        let fork = input.fork();
        let ident: Ident = fork.parse().ok()?;
        if ident == "default" {
            "default"
        } else if ident == "complete" {
            "complete"
        } else {
            return None;
        }
    } else {
        return None;
    };
    if input.peek2(Token![=>]) {
        return Some(word);
    }
    let fork = input.fork();
    match Pat::parse_multi_with_leading_vert(&fork) {
        Ok(_) if fork.peek(Token![=]) && !fork.peek(Token![=>]) => None,
        _ => Some(word),
    }
}

/// After `else`, `complete` or `default`: `=> handler`.
fn parse_keyword_handler(input: ParseStream, keyword: &Ident) -> syn::Result<Expr> {
    if !input.peek(Token![=>]) {
        return Err(syn::Error::new(
            input.span(),
            format!(
                "expected `=>` after `{keyword}`: `{keyword}` takes no pattern and no future, write `{keyword} => expression`"
            ),
        ));
    }
    input.parse::<Token![=>]>()?;
    parse_handler(input)
}

fn parse_branch(input: ParseStream) -> syn::Result<Branch> {
    if input.peek(Token![=>]) {
        return Err(input.error(format!("expected a pattern before `=>`; {BRANCH_SHAPE}")));
    }
    let mut pat = Pat::parse_multi_with_leading_vert(input)?;
    if let Pat::Or(or) = &mut pat {
        or.leading_vert = None;
    }

    if input.peek(Token![=>]) {
        return Err(input.error(format!(
            "expected `= future` between the pattern and `=>`; {BRANCH_SHAPE}"
        )));
    }
    if !input.peek(Token![=]) {
        return Err(input.error(format!("expected `=` after the pattern; {BRANCH_SHAPE}")));
    }
    input.parse::<Token![=]>()?;

    if input.peek(Token![else]) {
        return Err(input.error("`else` takes no pattern: write `else => expression`"));
    }
    if let Some(word) = keyword_as_future(input) {
        return Err(input.error(format!(
            "`{word}` takes no pattern: write `{word} => expression` (to select on a variable named `{word}`, write `({word})`)"
        )));
    }
    if input.peek(Token![=>]) || input.peek(Token![,]) || input.is_empty() {
        return Err(input.error("expected the future (any `IntoFuture` expression) after `=`"));
    }
    let future: Expr = input.parse()?;

    let condition = if input.peek(Token![,]) && input.peek2(Token![if]) {
        input.parse::<Token![,]>()?;
        let if_token: Token![if] = input.parse()?;
        if input.peek(Token![=>]) || input.is_empty() {
            return Err(syn::Error::new(
                if_token.span,
                "expected a condition after `if`: write `pattern = future, if condition => handler`",
            ));
        }
        Some(input.parse::<Expr>()?)
    } else if input.peek(Token![if]) {
        return Err(input
            .error("expected `,` before `if`: write `pattern = future, if condition => handler`"));
    } else {
        None
    };

    if !input.peek(Token![=>]) {
        let after = if condition.is_some() {
            "the condition"
        } else {
            "the future"
        };
        return Err(input.error(format!("expected `=>` after {after}; {BRANCH_SHAPE}")));
    }
    input.parse::<Token![=>]>()?;
    let handler = parse_handler(input)?;
    Ok(Branch {
        pat,
        future,
        condition,
        handler,
    })
}

/// `pattern = default =>` / `pattern = complete =>`: a keyword written as if it had a pattern.
fn keyword_as_future(input: ParseStream) -> Option<&'static str> {
    if !input.peek(Ident) || !input.peek2(Token![=>]) {
        return None;
    }
    let ident: Ident = input.fork().parse().ok()?;
    if ident == "default" {
        Some("default")
    } else if ident == "complete" {
        Some("complete")
    } else {
        None
    }
}

/// A handler is an expression with the boundary rules of a `match` arm's body: a leading
/// block ends it.
fn parse_handler(input: ParseStream) -> syn::Result<Expr> {
    if input.is_empty() || input.peek(Token![,]) {
        return Err(syn::Error::new(
            if input.is_empty() {
                Span::call_site()
            } else {
                input.span()
            },
            "expected the handler expression after `=>`",
        ));
    }
    Expr::parse_with_earlier_boundary_rule(input)
}

/// Whether a handler needs a `,` before the next branch (as in a `match` arm).
fn requires_comma(expr: &Expr) -> bool {
    !matches!(
        expr,
        Expr::Block(_)
            | Expr::Unsafe(_)
            | Expr::If(_)
            | Expr::Match(_)
            | Expr::While(_)
            | Expr::Loop(_)
            | Expr::ForLoop(_)
            | Expr::TryBlock(_)
            | Expr::Const(_)
    )
}
