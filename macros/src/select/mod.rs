//! `select!` and `select_biased!`: race branch futures in one poll loop and run the
//! handler of the first that completes.
//!
//! - [`parse`]: the grammar, with a spanned error for every malformed input, and
//!   recovery: parsing goes on after a mistake;
//! - [`model`]: checks that make the items one valid select (which, duplicates,
//!   at least one branch);
//! - [`expand`]: the generated code;
//! - on any mistake, [`recovered`]: every piece that was parsed, type-checked but never
//!   run, next to the errors (see `crate::recover`).

use proc_macro2::TokenStream;

use crate::recover::Recovered;

mod expand;
mod model;
mod parse;

/// Which macro was called: `select!` (fair unless a mode line says otherwise) or
/// `select_biased!` (always in written order).
#[derive(Clone, Copy)]
pub(crate) enum Macro {
    Select,
    SelectBiased,
}

impl Macro {
    /// The macro's name, for error messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Macro::Select => "select!",
            Macro::SelectBiased => "select_biased!",
        }
    }
}

pub(crate) fn expand(which: Macro, input: TokenStream) -> TokenStream {
    let (prefix, input) = crate::util::split_prefix(input);
    let krate = prefix.krate;
    let watch = crate::watch::enabled(prefix.watch).then(|| which.name());
    let (input, mut errors) = parse::parse(input);
    // Rendered before the model takes the items: only used if there is a mistake.
    let recovered = recovered(&input);
    match model::Select::new(which, input) {
        Ok(select) => match errors.into_error() {
            None => expand::expand(select, &krate, watch),
            Some(error) => recovered.finish(&error, &krate),
        },
        Err(error) => {
            errors.push(error);
            let error = errors.into_error().expect("an error was just pushed");
            recovered.finish(&error, &krate)
        }
    }
}

/// Input: the parsed items (with placeholders where a piece is missing). Output: each of
/// them as code that is type-checked and never runs, in written order.
fn recovered(input: &parse::Input) -> Recovered {
    let mut recovered = Recovered::new();
    if let Some(parse::ModeLine {
        kind: parse::ModeKind::RoundRobin(cursor),
        ..
    }) = &input.mode
    {
        recovered.value(cursor.as_ref());
    }
    for item in &input.items {
        match item {
            parse::Item::Branch(branch) => recovered.branch(
                &branch.pat,
                &branch.future,
                branch.condition.as_ref(),
                &branch.handler,
            ),
            parse::Item::Else { handler, .. } | parse::Item::Default { handler, .. } => {
                recovered.value(handler);
            }
        }
    }
    for kept in &input.kept {
        recovered.value(kept);
    }
    recovered
}
