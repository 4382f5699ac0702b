//! Meaning: checks that the parsed items form one valid select (mode allowed by the
//! dialect, at most one `else` and one `default`, at least one branch) and gathers them
//! into the [`Select`] that `expand` turns into code.

use proc_macro2::{Ident, Span};
use syn::{Expr, Pat};

use super::Dialect;
use super::parse::{Input, Item, ModeKind};

/// How the poll loop picks the first branch it polls.
pub(crate) enum Mode {
    /// A pseudo-random start on every poll (the default).
    Fair,
    /// Always the first branch, in written order.
    Biased,
    /// Starts at `*cursor % n`; the winner `i` sets `*cursor = i + 1`.
    RoundRobin(Expr),
}

pub(crate) struct Branch {
    pub(crate) pat: Pat,
    pub(crate) future: Expr,
    pub(crate) condition: Option<Expr>,
    pub(crate) handler: Expr,
}

pub(crate) struct Select {
    pub(crate) mode: Mode,
    pub(crate) branches: Vec<Branch>,
    /// Runs when every branch is disabled.
    pub(crate) else_handler: Option<Expr>,
    /// Runs when no enabled branch is ready on the first poll.
    pub(crate) default_handler: Option<Expr>,
}

impl Select {
    pub(crate) fn new(dialect: Dialect, input: Input) -> syn::Result<Select> {
        let name = match dialect {
            Dialect::Select => "select!",
            Dialect::SelectBiased => "select_biased!",
        };
        let mode = match (dialect, input.mode) {
            (Dialect::Select, None) => Mode::Fair,
            (Dialect::SelectBiased, None) => Mode::Biased,
            (_, Some(line)) => match line.kind {
                ModeKind::Biased => Mode::Biased,
                ModeKind::Fair | ModeKind::RoundRobin(_)
                    if matches!(dialect, Dialect::SelectBiased) =>
                {
                    return Err(syn::Error::new(
                        line.word.span(),
                        format!(
                            "`select_biased!` always polls in written order: remove `{}`, or use `select!` for this mode",
                            line.word
                        ),
                    ));
                }
                ModeKind::Fair => Mode::Fair,
                ModeKind::RoundRobin(cursor) => Mode::RoundRobin(cursor),
            },
        };

        let mut branches = Vec::new();
        let mut else_handler: Option<(Ident, Expr)> = None;
        let mut default_handler: Option<(Ident, Expr)> = None;
        for item in input.items {
            match item {
                Item::Branch(b) => branches.push(Branch {
                    pat: b.pat,
                    future: b.future,
                    condition: b.condition,
                    handler: b.handler,
                }),
                Item::Else { keyword, handler } => {
                    if let Some((first, _)) = &else_handler {
                        return Err(duplicate(
                            &keyword,
                            first,
                            "`complete` is another name for `else`",
                        ));
                    }
                    else_handler = Some((keyword, handler));
                }
                Item::Default { keyword, handler } => {
                    if let Some((first, _)) = &default_handler {
                        return Err(duplicate(&keyword, first, "a select has at most one"));
                    }
                    default_handler = Some((keyword, handler));
                }
            }
        }

        if branches.is_empty() && (else_handler.is_none() || default_handler.is_some()) {
            let span = match &default_handler {
                Some((keyword, _)) => keyword.span(),
                None => Span::call_site(),
            };
            return Err(syn::Error::new(
                span,
                format!(
                    "`{name}` needs at least one branch `pattern = future => handler` (with no branch, only an `else => …` is allowed)"
                ),
            ));
        }

        Ok(Select {
            mode,
            branches,
            else_handler: else_handler.map(|(_, handler)| handler),
            default_handler: default_handler.map(|(_, handler)| handler),
        })
    }
}

fn duplicate(second: &Ident, first: &Ident, note: &str) -> syn::Error {
    let mut err = syn::Error::new(
        second.span(),
        format!("duplicate `{second}` branch ({note})"),
    );
    err.combine(syn::Error::new(
        first.span(),
        format!("the first `{first}` branch is here"),
    ));
    err
}
