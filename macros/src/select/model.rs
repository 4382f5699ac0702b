//! Meaning: checks that the parsed items form one valid select (mode allowed by the
//! which, at most one `else` and one `default`, at least one branch) and gathers them
//! into the [`Select`] that `expand` turns into code.

use proc_macro2::{Ident, Span};
use syn::Expr;

use crate::errors::Errors;

use super::Macro;
use super::parse::{Input, Item, ModeKind, ModeLine};

/// How the poll loop picks the first branch it polls.
pub(crate) enum Order {
    /// A pseudo-random start on every poll (the default).
    Fair,
    /// Always the first branch, in written order.
    Biased,
    /// Starts at `*cursor % n`; the winner `i` sets `*cursor = i + 1`.
    RoundRobin(Box<Expr>),
}

pub(crate) use super::parse::Branch;

pub(crate) struct Select {
    pub(crate) mode: Order,
    pub(crate) branches: Vec<Branch>,
    /// Runs when every branch is disabled.
    pub(crate) else_handler: Option<Expr>,
    /// Runs when no enabled branch is ready on the first poll.
    pub(crate) default_handler: Option<Expr>,
}

impl Select {
    /// Input: the parsed items. Output: the select, or every mistake found in them.
    pub(crate) fn new(which: Macro, input: Input) -> syn::Result<Select> {
        let mut errors = Errors::new();
        let mode = errors.ok(mode(which, input.mode)).unwrap_or(Order::Fair);
        let mut branches = Vec::new();
        let mut else_handler: Option<(Ident, Expr)> = None;
        let mut default_handler: Option<(Ident, Expr)> = None;
        for item in input.items {
            match item {
                Item::Branch(branch) => branches.push(*branch),
                Item::Else { keyword, handler } => match &else_handler {
                    Some((first, _)) => errors.push(duplicate(
                        &keyword,
                        first,
                        "`complete` is another name for `else`",
                    )),
                    None => else_handler = Some((keyword, handler)),
                },
                Item::Default { keyword, handler } => match &default_handler {
                    Some((first, _)) => {
                        errors.push(duplicate(&keyword, first, "a select has at most one"));
                    }
                    None => default_handler = Some((keyword, handler)),
                },
            }
        }
        if branches.is_empty() && (else_handler.is_none() || default_handler.is_some()) {
            let span = match &default_handler {
                Some((keyword, _)) => keyword.span(),
                None => Span::call_site(),
            };
            errors.push(syn::Error::new(
                span,
                format!(
                    "`{}` needs at least one branch `pattern = future => handler` (with no branch, only an `else => …` is allowed)",
                    which.name()
                ),
            ));
        }
        errors.finish_with(Select {
            mode,
            branches,
            else_handler: else_handler.map(|(_, handler)| handler),
            default_handler: default_handler.map(|(_, handler)| handler),
        })
    }
}

/// Input: the which and the mode line. Output: the polling mode it asks for.
fn mode(which: Macro, line: Option<ModeLine>) -> syn::Result<Order> {
    let Some(line) = line else {
        return Ok(match which {
            Macro::Select => Order::Fair,
            Macro::SelectBiased => Order::Biased,
        });
    };
    match line.kind {
        ModeKind::Biased => Ok(Order::Biased),
        ModeKind::Fair | ModeKind::RoundRobin(_) if matches!(which, Macro::SelectBiased) => {
            Err(syn::Error::new(
                line.word.span(),
                format!(
                    "`select_biased!` always polls in written order: remove `{}`, or use `select!` for this mode",
                    line.word
                ),
            ))
        }
        ModeKind::Fair => Ok(Order::Fair),
        ModeKind::RoundRobin(cursor) => Ok(Order::RoundRobin(cursor)),
    }
}

/// One error per mistake, at the second keyword (the first one is the one kept).
fn duplicate(second: &Ident, first: &Ident, note: &str) -> syn::Error {
    syn::Error::new(
        second.span(),
        format!("duplicate `{second}` branch ({note}): remove this one or the first `{first}`"),
    )
}
