//! What a `join!`/`try_join!` invocation says, once parsed.

/// The parsed arguments of one invocation.
pub(crate) struct JoinInput {
    /// `biased;` was given: poll in written order instead of rotating the first child.
    pub(crate) biased: bool,
    /// The futures (anything `IntoFuture`), in written order.
    pub(crate) futures: Vec<syn::Expr>,
}
