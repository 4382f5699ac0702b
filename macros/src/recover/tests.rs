//! The expansion of malformed calls: every piece the user wrote is still there, where
//! the compiler analyses it (outside `stringify!`), the output is one expression, and
//! each mistake has one error.

use proc_macro2::{TokenStream, TokenTree};
use quote::quote;

use crate::join::{self, Macro as Join};
use crate::select::{self, Macro as Select};

/// What an expansion holds.
struct Expansion {
    /// Identifiers outside `stringify!`: analysed by the compiler.
    analysed: Vec<String>,
    /// Identifiers inside `stringify!`: kept, not analysed.
    kept: Vec<String>,
    /// The text of each `compile_error!`.
    errors: Vec<String>,
    text: String,
}

fn inspect(output: TokenStream) -> Expansion {
    if let Err(error) = syn::parse2::<syn::Expr>(output.clone()) {
        panic!("not one expression ({error}): {output}");
    }
    let mut expansion = Expansion {
        analysed: Vec::new(),
        kept: Vec::new(),
        errors: Vec::new(),
        text: output.to_string(),
    };
    walk(output, false, &mut expansion);
    expansion
}

fn walk(tokens: TokenStream, in_stringify: bool, out: &mut Expansion) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        let after = |name: &str| {
            i >= 2 && matches!(&trees[i - 2], TokenTree::Ident(ident) if ident == name)
        };
        match tree {
            TokenTree::Ident(ident) if in_stringify => out.kept.push(ident.to_string()),
            TokenTree::Ident(ident) => out.analysed.push(ident.to_string()),
            TokenTree::Group(group) if after("compile_error") => {
                out.errors.push(group.stream().to_string());
            }
            TokenTree::Group(group) => {
                walk(group.stream(), in_stringify || after("stringify"), out);
            }
            _ => {}
        }
    }
}

impl Expansion {
    /// The expansion is the recovered one: pieces in code that never runs.
    fn recovered(&self) -> &Self {
        assert!(self.text.contains("if false"), "{}", self.text);
        self
    }

    /// The expansion is a working select or join (the only mistakes are completed dots,
    /// whose errors are in place).
    fn expanded_as_usual(&self) -> &Self {
        assert!(!self.text.contains("if false"), "{}", self.text);
        assert!(!self.text.contains("__patience_failed"), "{}", self.text);
        self
    }

    /// Each name is analysed by the compiler (outside `stringify!`).
    fn analyses(&self, names: &[&str]) -> &Self {
        self.holds(&self.analysed, names, "analysed")
    }

    /// Each name is kept, unanalysed.
    fn keeps(&self, names: &[&str]) -> &Self {
        self.holds(&self.kept, names, "kept")
    }

    fn holds(&self, found: &[String], names: &[&str], how: &str) -> &Self {
        for name in names {
            assert!(
                found.iter().any(|ident| ident == name),
                "`{name}` is not {how} in {}",
                self.text
            );
        }
        self
    }

    /// Exactly these errors (each given by a part of its text), in this order: first
    /// those of the list at the start, then those in place (dots), in written order.
    fn errors(&self, expected: &[&str]) -> &Self {
        assert_eq!(
            self.errors.len(),
            expected.len(),
            "errors {:?}, expected {expected:?}",
            self.errors
        );
        for (found, expected) in self.errors.iter().zip(expected) {
            assert!(
                found.contains(expected),
                "`{found}` does not say `{expected}`"
            );
        }
        self
    }
}

fn select(input: TokenStream) -> Expansion {
    inspect(select::expand(Select::Select, input))
}

fn join(kind: Join, input: TokenStream) -> Expansion {
    inspect(join::expand(kind, input))
}

const DOT: &str = "expected a field or method name after `.`";

#[test]
fn trailing_dot_in_a_handler_keeps_the_receiver_and_every_other_branch() {
    select(quote!(
        v_msg = rx_chan.recv() => v_msg.,
        n_tick = tick_fut => { n_tick + 1 }
        else => else_handler,
    ))
    .expanded_as_usual()
    .analyses(&[
        "rx_chan",
        "v_msg",
        "__patience_typing",
        "tick_fut",
        "n_tick",
        "else_handler",
    ])
    .errors(&[DOT]);
}

#[test]
fn trailing_dot_in_a_branch_future_keeps_the_receiver_and_the_handler() {
    select(quote!(
        a_val = self. => a_val.len(),
        b_val = other_fut => b_val,
    ))
    .expanded_as_usual()
    .analyses(&["self", "a_val", "len", "other_fut", "b_val"])
    .errors(&[DOT]);
}

#[test]
fn trailing_dot_inside_a_block_handler_is_completed_there() {
    select(quote!(
        a_val = fut_a => { let len_x = a_val.; len_x.max(1) }
        b_val = fut_b => b_val,
    ))
    .expanded_as_usual()
    .analyses(&["a_val", "len_x", "max", "fut_b", "b_val"])
    .errors(&[DOT]);
}

#[test]
fn trailing_dot_in_a_join_argument_keeps_every_argument() {
    for kind in [Join::Join, Join::TryJoin] {
        join(kind, quote!(first_fut., second_fut(arg_x), third_fut))
            .expanded_as_usual()
            .analyses(&["first_fut", "second_fut", "arg_x", "third_fut"])
            .errors(&[DOT]);
    }
}

#[test]
fn missing_fat_arrow_takes_what_follows_the_future_as_its_handler() {
    select(quote!(
        n_val = fut_one n_val + one_more,
        m_val = fut_two => m_val,
    ))
    .analyses(&["n_val", "fut_one", "one_more", "m_val", "fut_two"])
    .errors(&["expected `=>` after the future"]);
}

#[test]
fn junk_between_the_future_and_fat_arrow_is_one_error() {
    select(quote!(n_val = fut_one junk_x => n_val, m_val = fut_two => m_val))
        .analyses(&["n_val", "fut_one", "m_val", "fut_two"])
        .keeps(&["junk_x"])
        .errors(&["expected `=>` after the future"]);
}

#[test]
fn missing_comma_between_branches_parses_the_next_branch_from_there() {
    select(quote!(
        a_val = fut_a => hand_a
        b_val = fut_b => hand_b,
        c_val = fut_c => hand_c
    ))
    .analyses(&[
        "fut_a", "hand_a", "b_val", "fut_b", "hand_b", "c_val", "hand_c",
    ])
    .errors(&["expected `,` between branches"]);
}

#[test]
fn semicolon_between_branches_is_one_error() {
    select(quote!(a_val = fut_a => hand_a; b_val = fut_b => hand_b))
        .analyses(&["hand_a", "b_val", "hand_b"])
        .errors(&["expected `,` between branches, found `;`"]);
}

#[test]
fn stray_tokens_are_one_error_and_skipped() {
    select(quote!(; + a_val = fut_a => hand_a,, b_val = fut_b => hand_b))
        .analyses(&["a_val", "fut_a", "hand_a", "b_val", "fut_b", "hand_b"])
        .errors(&[
            "expected a branch `pattern = future => handler`",
            "remove the extra `,`",
        ]);
}

#[test]
fn unfinished_guard_still_parses_the_handler() {
    select(quote!(a_val = fut_a, if => hand_a(a_val), b_val = fut_b, if cond_b. => hand_b))
        .recovered()
        .analyses(&["a_val", "fut_a", "hand_a", "fut_b", "cond_b", "hand_b"])
        .errors(&["expected a condition after `if`", DOT]);
}

#[test]
fn empty_handler_and_missing_future_leave_the_rest_analysed() {
    select(quote!(
        a_val = fut_a =>,
        b_val = => hand_b(b_val),
        c_val = fut_c => hand_c,
        default =>
    ))
    .analyses(&["a_val", "fut_a", "b_val", "hand_b", "fut_c", "hand_c"])
    .errors(&[
        "expected the handler expression after `=>`",
        "expected the future",
        "expected the handler expression after `=>`",
    ]);
}

#[test]
fn statement_as_a_handler_is_kept_up_to_its_semicolon() {
    select(quote!(a_val = fut_a => let doubled_x = a_val; b_val = fut_b => hand_b))
        .keeps(&["doubled_x"])
        .analyses(&["fut_a", "b_val", "fut_b", "hand_b"])
        .errors(&["found `let`"]);
}

#[test]
fn unfinished_paths_are_kept_unanalysed() {
    select(quote!(
        a_val = fut_a => Event_x::,
        Kind_y:: = fut_b => hand_b,
        c_val = fut_c => hand_c,
    ))
    .analyses(&["fut_a", "fut_b", "c_val", "fut_c", "hand_c"])
    .keeps(&["Event_x", "Kind_y", "hand_b"])
    .errors(&["expected a name after `::`", "expected a name after `::`"]);
    join(Join::Join, quote!(fut_a, jobs_x::))
        .analyses(&["fut_a"])
        .keeps(&["jobs_x"])
        .errors(&["expected a name after `::`"]);
}

#[test]
fn broken_block_handler_ends_at_its_brace() {
    select(quote!(
        a_val = fut_a => { let x_val = ; }
        b_val = fut_b => hand_b,
    ))
    .analyses(&["fut_a", "b_val", "fut_b", "hand_b"])
    .keeps(&["x_val"])
    .errors(&["expected an expression"]);
}

#[test]
fn mistakes_of_meaning_in_a_malformed_select_are_reported_too() {
    select(quote!(a_val = fut_a => hand_a, default =>, default => dflt_b))
        .analyses(&["fut_a", "hand_a", "dflt_b"])
        .errors(&["expected the handler expression", "duplicate `default`"]);
    inspect(select::expand(
        Select::SelectBiased,
        quote!(fair; a_val = fut_a => hand_a.),
    ))
    .recovered()
    .analyses(&["fut_a", "a_val", "hand_a"])
    .errors(&["`select_biased!` always polls in written order", DOT]);
}

#[test]
fn mode_line_cursor_and_keyword_handlers_are_analysed() {
    select(quote!(round_robin(&mut cursor_x.); a_val = fut_a => hand_a, else => els_y.))
        .expanded_as_usual()
        .analyses(&["cursor_x", "fut_a", "hand_a", "els_y"])
        .errors(&[DOT, DOT]);
}

#[test]
fn join_keeps_every_argument_around_its_mistakes() {
    join(
        Join::TryJoin,
        quote!(biased; , fut_a fut_b; fut_c, (broken_x + ), fut_d),
    )
    .analyses(&["fut_a", "fut_b", "fut_c", "fut_d"])
    .keeps(&["broken_x"])
    .errors(&[
        "expected a future before this `,`",
        "expected `,` between `try_join!` arguments",
        "found `;`",
        "expected an expression",
    ]);
}

#[test]
fn well_formed_calls_expand_without_recovery() {
    for output in [
        select::expand(Select::Select, quote!(a = f => a.len(), b = g => 1..2)),
        join::expand(Join::Join, quote!(a.b(), c.0, d.await)),
    ] {
        let text = output.to_string();
        assert!(!text.contains("__patience_failed"), "{text}");
        assert!(!text.contains("compile_error"), "{text}");
    }
}
