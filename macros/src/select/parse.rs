//! Syntax: turns the tokens inside `select! { … }` into a list of items, with a spanned
//! error that names what was expected for every malformed input.
//!
//! Parsing goes on after a mistake (see `crate::recover`): every item that could be
//! parsed is kept, and a malformed one keeps the pieces parsed before its mistake, the
//! rest salvaged as an expression (or as kept tokens), and placeholders for what is
//! missing. So the items always exist; whether they may be expanded is said by the
//! errors.
//!
//! This module only knows the grammar; what the items mean together (duplicates, the
//! mode allowed by each which, "at least one branch") is checked in `model`.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::Ident;
use syn::ext::IdentExt as _;
use syn::parse::discouraged::Speculative as _;
use syn::parse::{Parse as _, ParseStream, Parser as _};
use syn::{Expr, Pat, Token};

use crate::errors::Errors;
use crate::recover::{self, Recovery, Stop};

/// The whole macro input, as written.
pub(crate) struct Input {
    pub(crate) mode: Option<ModeLine>,
    pub(crate) items: Vec<Item>,
    /// Tokens that belong to no item (stray tokens, a broken pattern), kept for the
    /// recovered expansion only: there is an error for each.
    pub(crate) kept: Vec<Expr>,
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

impl Item {
    fn handler(&self) -> &Expr {
        match self {
            Item::Branch(branch) => &branch.handler,
            Item::Else { handler, .. } | Item::Default { handler, .. } => handler,
        }
    }
}

/// `<pattern> = <future> [, if <condition>] => <handler>`.
pub(crate) struct Branch {
    pub(crate) pat: Pat,
    pub(crate) future: Expr,
    pub(crate) condition: Option<Expr>,
    pub(crate) handler: Expr,
}

const BRANCH_SHAPE: &str = "a branch is written `pattern = future => handler`";

/// Input: the tokens inside the macro. Output: every item, as far as it could be parsed,
/// and every mistake (none if the input is a valid select, as far as the grammar goes).
pub(crate) fn parse(tokens: TokenStream) -> (Input, Errors) {
    let (mut recovery, tokens) = Recovery::new(tokens);
    let parsed = (|input: ParseStream| Ok(parse_input(input, &mut recovery))).parse2(tokens);
    let (mut errors, kept) = recovery.finish();
    let (mode, items) = match parsed {
        Ok(parsed) => parsed,
        // Not reached: `parse_input` consumes every token and reports its own errors.
        Err(error) => {
            errors.push(error);
            (None, Vec::new())
        }
    };
    (Input { mode, items, kept }, errors)
}

fn parse_input(input: ParseStream, recovery: &mut Recovery) -> (Option<ModeLine>, Vec<Item>) {
    let mode = if mode_line_ahead(input) {
        parse_mode_line(input, recovery)
    } else if let Some(kind) = mode_word_ahead(input) {
        let word = input
            .call(Ident::parse_any)
            .expect("checked by mode_word_ahead");
        recovery.push(syn::Error::new(
            word.span(),
            format!(
                "expected `;` after the mode line `{word}`: write `{word};` before the branches"
            ),
        ));
        Some(ModeLine { word, kind })
    } else {
        None
    };
    let mut items = Vec::new();
    while !input.is_empty() {
        if mode_line_ahead(input) {
            let word = input
                .call(Ident::parse_any)
                .expect("checked by mode_line_ahead");
            recovery.push(syn::Error::new(
                word.span(),
                format!("the mode line `{word}` must come first, before every branch"),
            ));
            let rest = take_through_semicolon(input);
            recovery.keep(rest);
            continue;
        }
        if !item_ahead(input) {
            stray(input, recovery);
            continue;
        }
        let item = parse_item(input, recovery);
        after_item(input, recovery, &item);
        items.push(item);
    }
    (mode, items)
}

/// After an item: the `,` (optional after a block-like handler and at the end). Without
/// it, the next branch is parsed from where it should have been.
fn after_item(input: ParseStream, recovery: &mut Recovery, item: &Item) {
    if input.is_empty() || !requires_comma(item.handler()) {
        let _ = input.parse::<Option<Token![,]>>();
        return;
    }
    if input
        .parse::<Option<Token![,]>>()
        .is_ok_and(|comma| comma.is_some())
    {
        return;
    }
    if let Ok(semi) = input.parse::<Token![;]>() {
        recovery.push(syn::Error::new(
            semi.span,
            "expected `,` between branches, found `;`: branches are separated by `,`",
        ));
    } else if branch_ahead(input) {
        recovery.push(input.error(
            "expected `,` between branches (the comma may be left out only after a `{ … }` handler)",
        ));
    } else {
        recovery.push(input.error(
            "expected `,` after the handler: this token does not start a branch (a handler longer than one expression goes in `{ … }`)",
        ));
        let rest = recover::take_until(input, Stop::Comma);
        recovery.keep(rest);
        let _ = input.parse::<Option<Token![,]>>();
    }
}

/// Tokens that cannot start an item (a second `,`, a `;`, an operator): one error for
/// the run of them, which is kept and skipped.
fn stray(input: ParseStream, recovery: &mut Recovery) {
    let mut tokens = TokenStream::new();
    let mut only_commas = true;
    while !input.is_empty() && !item_ahead(input) {
        only_commas &= input.peek(Token![,]);
        match input.parse::<TokenTree>() {
            Ok(tree) => tokens.extend([tree]),
            Err(_) => break,
        }
    }
    let message = if only_commas {
        "expected a branch before this `,`: remove the extra `,`"
    } else {
        "expected a branch `pattern = future => handler` (or `else => …`, `default => …`): remove these tokens"
    };
    recovery.push(syn::Error::new_spanned(&tokens, message));
    recovery.keep(tokens);
}

/// Whether an item can start here: a pattern, a keyword, or `=>` (a missing pattern).
fn item_ahead(input: ParseStream) -> bool {
    use syn::token::{Bracket, Paren};
    input.peek(Ident::peek_any)
        || input.peek(syn::Lit)
        || input.peek(Paren)
        || input.peek(Bracket)
        || input.peek(Token![&])
        || input.peek(Token![&&])
        || input.peek(Token![|])
        || input.peek(Token![-])
        || input.peek(Token![..])
        || input.peek(Token![::])
        || input.peek(Token![<])
        || input.peek(Token![=>])
}

/// Whether a branch or a keyword item starts here: `keyword =>`, or a pattern followed
/// by `=`.
fn branch_ahead(input: ParseStream) -> bool {
    if special_word_ahead(input).is_some() || input.peek(Token![else]) {
        return true;
    }
    let fork = input.fork();
    Pat::parse_multi_with_leading_vert(&fork).is_ok() && fork.peek(Token![=])
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
    let _ = fork.parse::<TokenTree>();
    fork.peek(Token![;])
}

/// `biased` or `fair` followed by a name (the start of a branch): a mode line whose `;`
/// is missing. (`biased = …` or `biased | …` is a pattern.)
fn mode_word_ahead(input: ParseStream) -> Option<ModeKind> {
    if !input.peek2(Ident::peek_any) {
        return None;
    }
    let word: Ident = input.fork().parse().ok()?;
    if word == "biased" {
        Some(ModeKind::Biased)
    } else if word == "fair" {
        Some(ModeKind::Fair)
    } else {
        None
    }
}

/// Tokens up to and including the next top-level `;`, or up to the next `,`: the rest
/// of a mode line after its word, or a statement written as a handler.
fn take_through_semicolon(input: ParseStream) -> TokenStream {
    let mut tokens = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        let Ok(tree) = input.parse::<TokenTree>() else {
            break;
        };
        let end = matches!(&tree, TokenTree::Punct(p) if p.as_char() == ';');
        tokens.extend([tree]);
        if end {
            break;
        }
    }
    tokens
}

/// Input: a stream at a mode line (see [`mode_line_ahead`]). Output: the mode, or
/// `None` after reporting what is wrong with it; the line is consumed either way.
fn parse_mode_line(input: ParseStream, recovery: &mut Recovery) -> Option<ModeLine> {
    let word = input
        .call(Ident::parse_any)
        .expect("checked by mode_line_ahead");
    let takes_cursor = word == "round_robin";
    let kind = if let Ok(TokenTree::Group(group)) = input.fork().parse::<TokenTree>() {
        let _ = input.parse::<TokenTree>();
        if !takes_cursor {
            recovery.push(unknown_mode(&word, true));
            recovery.keep(group.stream());
            None
        } else if group.stream().is_empty() {
            recovery.push(syn::Error::new(
                group.span(),
                "expected the cursor: `round_robin(&mut cursor);` where `cursor: usize` lives outside the select",
            ));
            None
        } else {
            cursor(group.stream(), recovery).map(|cursor| ModeKind::RoundRobin(Box::new(cursor)))
        }
    } else if word == "biased" {
        Some(ModeKind::Biased)
    } else if word == "fair" {
        Some(ModeKind::Fair)
    } else if takes_cursor {
        recovery.push(syn::Error::new(
            word.span(),
            "`round_robin` needs its cursor: write `round_robin(&mut cursor);` where `cursor: usize` lives outside the select",
        ));
        None
    } else {
        recovery.push(unknown_mode(&word, false));
        None
    };
    let _ = input.parse::<Token![;]>();
    kind.map(|kind| ModeLine { word, kind })
}

/// Input: the tokens inside `round_robin(…)`. Output: the cursor expression; anything
/// after it is an error.
fn cursor(tokens: TokenStream, recovery: &mut Recovery) -> Option<Expr> {
    let parse = |input: ParseStream| {
        let cursor = recovery.expr(input, Expr::parse_without_eager_brace, Stop::Comma);
        if !input.is_empty() {
            recovery.push(input.error("expected `)` after the cursor expression"));
            let rest: TokenStream = input.parse()?;
            recovery.keep(rest);
        }
        Ok(cursor)
    };
    parse.parse2(tokens).ok()
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

fn parse_item(input: ParseStream, recovery: &mut Recovery) -> Item {
    let keyword = if input.peek(Token![else]) {
        Some("else")
    } else {
        special_word_ahead(input)
    };
    let Some(word) = keyword else {
        return Item::Branch(Box::new(parse_branch(input, recovery)));
    };
    let keyword = input.call(Ident::parse_any).expect("checked above");
    let handler = keyword_handler(input, recovery, &keyword);
    if word == "default" {
        Item::Default { keyword, handler }
    } else {
        Item::Else { keyword, handler }
    }
}

/// `default` or `complete` used as a keyword: the word is not the start of a pattern
/// followed by `=` (a binding may be called `default`).
fn special_word_ahead(input: ParseStream) -> Option<&'static str> {
    let word = special_word(input)?;
    if input.peek2(Token![=>]) {
        return Some(word);
    }
    let fork = input.fork();
    match Pat::parse_multi_with_leading_vert(&fork) {
        Ok(_) if fork.peek(Token![=]) && !fork.peek(Token![=>]) => None,
        _ => Some(word),
    }
}

/// `default` or `complete`, if the next token is that word.
fn special_word(input: ParseStream) -> Option<&'static str> {
    let ident: Ident = input.fork().parse().ok()?;
    if ident == "default" {
        Some("default")
    } else if ident == "complete" {
        Some("complete")
    } else {
        None
    }
}

/// After `else`, `complete` or `default`: `=> handler`. Anything else before the `=>`
/// is one error, and kept.
fn keyword_handler(input: ParseStream, recovery: &mut Recovery, keyword: &Ident) -> Expr {
    if !input.peek(Token![=>]) {
        let span = if input.is_empty() {
            keyword.span()
        } else {
            input.span()
        };
        recovery.push(syn::Error::new(
            span,
            format!(
                "expected `=>` after `{keyword}`: `{keyword}` takes no pattern and no future, write `{keyword} => expression`"
            ),
        ));
        let skipped = recover::take_until(input, Stop::CommaOrArrow);
        recovery.keep(skipped);
        // The handler may use bindings of what was written as a pattern.
        return recover::wrap(&arrow_then_handler(input, recovery));
    }
    arrow_then_handler(input, recovery)
}

/// `=> handler` if the stream is at `=>`, else the placeholder (the caller reported why).
fn arrow_then_handler(input: ParseStream, recovery: &mut Recovery) -> Expr {
    match input.parse::<Token![=>]>() {
        Ok(arrow) => parse_handler(input, recovery, arrow.spans[0]),
        Err(_) => recover::failed(),
    }
}

/// A branch, as far as it parses: a missing pattern is `_`, a missing future or handler
/// the erroneous placeholder.
fn parse_branch(input: ParseStream, recovery: &mut Recovery) -> Branch {
    let mut branch = Branch {
        pat: recover::wild(),
        future: recover::failed(),
        condition: None,
        handler: recover::failed(),
    };
    if input.peek(Token![=>]) {
        recovery.push(input.error(format!("expected a pattern before `=>`; {BRANCH_SHAPE}")));
        branch.handler = arrow_then_handler(input, recovery);
        return branch;
    }
    let pattern = pattern(input, recovery);
    if let (Some(pat), true) = (&pattern, input.peek(Token![=>])) {
        // Probably the future, written without `pattern =`: neither it nor the handler
        // (which may use its bindings) can be analysed.
        recovery.push(input.error(format!(
            "expected `= future` between the pattern and `=>`; {BRANCH_SHAPE}"
        )));
        recovery.keep(quote::quote!(#pat));
        branch.handler = recover::wrap(&arrow_then_handler(input, recovery));
        return branch;
    }
    let eq = match &pattern {
        Some(pat) => equals(input, recovery, pat),
        // Reported with the pattern.
        None if !input.peek(Token![=>]) => input.parse::<Token![=]>().ok().map(|eq| eq.span),
        None => None,
    };
    if let Some(eq) = eq {
        if let Some(future) = future(input, recovery, eq) {
            branch.future = future;
        }
        branch.condition = condition(input, recovery);
        branch.handler = handler_after_future(input, recovery, &branch);
    } else {
        branch.handler = arrow_then_handler(input, recovery);
    }
    match pattern {
        Some(pat) => branch.pat = pat,
        // The handler may use bindings of the pattern that was lost: keep it unanalysed.
        None => branch.handler = recover::wrap(&branch.handler),
    }
    branch
}

/// The pattern, or `None` after reporting why it does not parse; its tokens up to `=`
/// are then kept.
fn pattern(input: ParseStream, recovery: &mut Recovery) -> Option<Pat> {
    let fork = input.fork();
    match Pat::parse_multi_with_leading_vert(&fork) {
        Ok(mut pat) => {
            input.advance_to(&fork);
            if let Pat::Or(or) = &mut pat {
                or.leading_vert = None;
            }
            Some(pat)
        }
        Err(error) => {
            let mut tokens = TokenStream::new();
            while !input.is_empty() && !input.peek(Token![=]) && !input.peek(Token![,]) {
                match input.parse::<TokenTree>() {
                    Ok(tree) => tokens.extend([tree]),
                    Err(_) => break,
                }
            }
            recovery.keep_unparsed(tokens, error);
            None
        }
    }
}

/// The `=` between the pattern and the future (not `=>`, checked before), if it is
/// there. Otherwise the mistake is reported, and the tokens up to the `=>` are kept.
fn equals(input: ParseStream, recovery: &mut Recovery, pat: &Pat) -> Option<Span> {
    if let Ok(eq) = input.parse::<Token![=]>() {
        return Some(eq.span);
    }
    let message = format!("expected `=` after the pattern; {BRANCH_SHAPE}");
    let error = if input.is_empty() {
        syn::Error::new_spanned(pat, message)
    } else {
        input.error(message)
    };
    recovery.push(error);
    let skipped = recover::take_until(input, Stop::CommaOrArrow);
    recovery.keep(skipped);
    None
}

/// The future after `=` (at `eq`), or `None` after reporting what stands in its place.
fn future(input: ParseStream, recovery: &mut Recovery, eq: Span) -> Option<Expr> {
    let misplaced = if input.peek(Token![else]) {
        Some("`else` takes no pattern: write `else => expression`".to_owned())
    } else {
        keyword_as_future(input).map(|word| {
            format!(
                "`{word}` takes no pattern: write `{word} => expression` (to select on a variable named `{word}`, write `({word})`)"
            )
        })
    };
    if let Some(message) = misplaced {
        recovery.push(input.error(message));
        let skipped = recover::take_until(input, Stop::CommaOrArrow);
        recovery.keep(skipped);
        return None;
    }
    if input.peek(Token![=>]) || input.peek(Token![,]) || input.is_empty() {
        let span = if input.is_empty() { eq } else { input.span() };
        recovery.push(syn::Error::new(
            span,
            "expected the future (any `IntoFuture` expression) after `=`",
        ));
        return None;
    }
    Some(recovery.expr(input, Expr::parse, Stop::CommaOrArrow))
}

/// `, if condition` after the future, if written (`if` without the `,` is reported and
/// parsed all the same).
fn condition(input: ParseStream, recovery: &mut Recovery) -> Option<Expr> {
    if input.peek(Token![,]) && input.peek2(Token![if]) {
        let _ = input.parse::<Token![,]>();
    } else if input.peek(Token![if]) {
        recovery.push(
            input.error(
                "expected `,` before `if`: write `pattern = future, if condition => handler`",
            ),
        );
    } else {
        return None;
    }
    let if_token: Token![if] = input.parse().ok()?;
    if input.peek(Token![=>]) || input.peek(Token![,]) || input.is_empty() {
        recovery.push(syn::Error::new(
            if_token.span,
            "expected a condition after `if`: write `pattern = future, if condition => handler`",
        ));
        return None;
    }
    Some(recovery.expr(input, Expr::parse, Stop::CommaOrArrow))
}

/// After the future (and condition): `=> handler`. Without the `=>`, what follows up to
/// the next `=>` is reported and kept; with no `=>` before the next `,`, what follows is
/// probably the handler, and is parsed as one.
fn handler_after_future(input: ParseStream, recovery: &mut Recovery, branch: &Branch) -> Expr {
    if input.peek(Token![=>]) {
        return arrow_then_handler(input, recovery);
    }
    let after = if branch.condition.is_some() {
        "the condition"
    } else {
        "the future"
    };
    let message = format!("expected `=>` after {after}; {BRANCH_SHAPE}");
    if input.is_empty() || input.peek(Token![,]) {
        let last = branch.condition.as_ref().unwrap_or(&branch.future);
        recovery.push(syn::Error::new_spanned(last, message));
        return recover::failed();
    }
    recovery.push(input.error(message));
    if arrow_before_comma(input) {
        let skipped = recover::take_until(input, Stop::CommaOrArrow);
        recovery.keep(skipped);
        return arrow_then_handler(input, recovery);
    }
    let span = input.span();
    parse_handler(input, recovery, span)
}

/// Whether a top-level `=>` comes before the next top-level `,`.
fn arrow_before_comma(input: ParseStream) -> bool {
    let fork = input.fork();
    let _ = recover::take_until(&fork, Stop::CommaOrArrow);
    fork.peek(Token![=>])
}

/// `pattern = default =>` / `pattern = complete =>`: a keyword written as if it had a pattern.
fn keyword_as_future(input: ParseStream) -> Option<&'static str> {
    if !input.peek2(Token![=>]) {
        return None;
    }
    special_word(input)
}

/// A handler is an expression with the boundary rules of a `match` arm's body: a leading
/// block ends it. `arrow` is the `=>` before it (where an error about a missing handler
/// at the end of the input goes).
fn parse_handler(input: ParseStream, recovery: &mut Recovery, arrow: Span) -> Expr {
    if input.is_empty() || input.peek(Token![,]) {
        let span = if input.is_empty() {
            arrow
        } else {
            input.span()
        };
        recovery.push(syn::Error::new(
            span,
            "expected the handler expression after `=>`",
        ));
        return recover::failed();
    }
    if input.peek(Token![let]) {
        recovery.push(input.error(
            "expected an expression after `=>`, found `let`: a handler with statements is a block, `=> { let …; … }`",
        ));
        let tokens = take_through_semicolon(input);
        return recovery.raw(tokens);
    }
    if input.peek(syn::token::Brace) {
        // A broken block ends at its `}`, as a working one does.
        let fork = input.fork();
        if let Err(error) = Expr::parse_with_earlier_boundary_rule(&fork) {
            let block: TokenStream = input.parse::<TokenTree>().into_iter().collect();
            return recovery.unparsed(block, error);
        }
    }
    recovery.expr(input, Expr::parse_with_earlier_boundary_rule, Stop::Comma)
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
