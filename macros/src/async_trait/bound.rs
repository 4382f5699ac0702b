//! Auto-trait bounds that a trait already implies.

use super::receiver::AutoTraits;
use syn::{ItemTrait, Path, TypeParamBound, WherePredicate};

/// The auto traits `Self` is known to implement inside the trait: its supertraits and its
/// `where Self: ..` clauses, written as `Send`, `Sync` or a path to them in
/// `core`/`std` (`::core::marker::Sync`, `std::marker::Send`).
pub(crate) fn implied_by_trait(item: &ItemTrait) -> AutoTraits {
    let mut implied = AutoTraits::default();
    let mut add = |bounds: &mut dyn Iterator<Item = &TypeParamBound>| {
        for bound in bounds {
            if let TypeParamBound::Trait(bound) = bound {
                if bound.maybe.is_some() {
                    continue;
                }
                match marker(&bound.path) {
                    Some("Send") => implied.send = true,
                    Some("Sync") => implied.sync = true,
                    _ => {}
                }
            }
        }
    };
    add(&mut item.supertraits.iter());
    if let Some(where_clause) = &item.generics.where_clause {
        for predicate in &where_clause.predicates {
            if let WherePredicate::Type(predicate) = predicate {
                let is_self = matches!(&predicate.bounded_ty, syn::Type::Path(ty)
                    if ty.qself.is_none() && ty.path.is_ident("Self"));
                if is_self {
                    add(&mut predicate.bounds.iter());
                }
            }
        }
    }
    implied
}

/// `Some("Send")` / `Some("Sync")` when `path` names that marker trait.
fn marker(path: &Path) -> Option<&'static str> {
    let last = path.segments.last()?;
    if !last.arguments.is_none() {
        return None;
    }
    let name = if last.ident == "Send" {
        "Send"
    } else if last.ident == "Sync" {
        "Sync"
    } else {
        return None;
    };
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    match segments.as_slice() {
        [_] if path.leading_colon.is_none() => Some(name),
        [krate, marker, _] if marker == "marker" && matches!(krate.as_str(), "core" | "std") => {
            Some(name)
        }
        _ => None,
    }
}
