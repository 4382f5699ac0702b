//! Small helpers shared by several macros.

/// The path expansions use to reach the `patience` crate (`::patience` unless
/// overridden with `crate = "..."`).
pub(crate) fn default_crate_path() -> syn::Path {
    syn::parse_quote!(::patience)
}
