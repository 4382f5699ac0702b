//! The items of a test file, for taking out one that does not compile (or a listed skip).

use std::ops::Range;
use std::str::FromStr;

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::Item;

/// A test function, or a top-level item that is not one.
#[derive(Debug, Clone)]
pub struct Unit {
    /// The libtest name of a test (`module::name`), else a description of the item.
    pub name: String,
    /// Bytes of the item, its attributes included.
    pub bytes: Range<usize>,
    /// Lines (1-based, inclusive).
    pub lines: Range<usize>,
    pub is_test: bool,
}

/// Every test function (at any module depth) and every top-level item.
pub fn units(src: &str) -> Result<Vec<Unit>, String> {
    let tokens = TokenStream::from_str(src).map_err(|e| e.to_string())?;
    let file: syn::File = syn::parse2(tokens).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for item in &file.items {
        out.push(unit(item, describe(item), false));
        collect_tests(item, "", &mut out);
    }
    Ok(out)
}

/// The innermost test containing `line`, else the top-level item containing it; of two
/// on that line (a `use` the rewrite split in two), the one holding byte `byte`.
pub fn enclosing(units: &[Unit], line: usize, byte: usize) -> Option<&Unit> {
    let inside = |u: &&Unit| u.lines.start <= line && line <= u.lines.end;
    let holds = |u: &&Unit| u.bytes.start <= byte && byte < u.bytes.end;
    units
        .iter()
        .filter(|u| u.is_test)
        .filter(inside)
        .min_by_key(|u| u.lines.end - u.lines.start)
        .or_else(|| {
            let mut top = units.iter().filter(|u| !u.is_test).filter(inside);
            let first = top.clone().next();
            top.find(holds).or(first)
        })
}

fn unit(item: &Item, name: String, is_test: bool) -> Unit {
    let mut tokens = item.to_token_stream().into_iter();
    let first = tokens.next().expect("an item has tokens").span();
    let last = tokens.last().map_or(first, |t| t.span());
    Unit {
        name,
        bytes: first.byte_range().start..last.byte_range().end,
        lines: first.start().line..last.end().line,
        is_test,
    }
}

fn is_test_fn(f: &syn::ItemFn) -> bool {
    f.attrs.iter().any(|a| {
        a.path()
            .segments
            .last()
            .is_some_and(|s| s.ident.to_string().ends_with("test"))
    })
}

fn collect_tests(item: &Item, prefix: &str, out: &mut Vec<Unit>) {
    match item {
        Item::Fn(f) if is_test_fn(f) => {
            out.push(unit(item, format!("{prefix}{}", f.sig.ident), true))
        }
        Item::Mod(m) => {
            if let Some((_, items)) = &m.content {
                let prefix = format!("{prefix}{}::", m.ident);
                for inner in items {
                    collect_tests(inner, &prefix, out);
                }
            }
        }
        _ => {}
    }
}

fn describe(item: &Item) -> String {
    match item {
        Item::Fn(f) => format!("fn {}", f.sig.ident),
        Item::Mod(m) => format!("mod {}", m.ident),
        Item::Trait(t) => format!("trait {}", t.ident),
        Item::Struct(s) => format!("struct {}", s.ident),
        Item::Enum(e) => format!("enum {}", e.ident),
        Item::Impl(i) => {
            let ty = i.self_ty.to_token_stream().to_string();
            match &i.trait_ {
                Some((_, path, _)) => format!("impl {} for {ty}", path.to_token_stream()),
                None => format!("impl {ty}"),
            }
        }
        Item::Use(_) => "use".to_owned(),
        other => other
            .to_token_stream()
            .into_iter()
            .next()
            .map_or_else(String::new, |t| t.to_string()),
    }
}

/// The text with the given units taken out (each replaced by a one-line comment, padded
/// so later lines keep their numbers).
pub fn remove(src: &str, units: &[&Unit], why: &str) -> Result<String, String> {
    let contains = |outer: &Unit, inner: &Unit| {
        outer.bytes.start <= inner.bytes.start
            && inner.bytes.end <= outer.bytes.end
            && outer.bytes != inner.bytes
    };
    let edits = units
        .iter()
        .filter(|u| !units.iter().any(|o| contains(o, u)))
        .map(|u| crate::edits::Edit {
            range: u.bytes.clone(),
            with: format!("/* peer-suites: `{}` removed: {why} */", u.name),
            site: "removed".to_owned(),
        })
        .collect();
    crate::edits::apply(src, edits)
}

#[cfg(test)]
mod tests {
    use super::{enclosing, units};

    #[test]
    fn of_two_items_on_a_line_the_one_holding_the_error_is_chosen() {
        let src = "use a::{b}; use ::patience::c;\n#[test]\nfn t() {}\n";
        let all = units(src).unwrap();
        let second = src.find("use ::patience").unwrap() + 5;
        assert_eq!(enclosing(&all, 1, 0).unwrap().bytes.start, 0);
        assert_eq!(
            enclosing(&all, 1, second).unwrap().bytes.start,
            src.find("use ::patience").unwrap()
        );
        assert_eq!(
            enclosing(&all, 3, src.find("fn t").unwrap()).unwrap().name,
            "t"
        );
    }
}
