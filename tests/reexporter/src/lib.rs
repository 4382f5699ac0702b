//! Re-exports patience's macros the way frameworks do (tower-lsp and axum 0.6 re-export
//! `async_trait`). Its users, such as `patience-via-reexport`, depend on this crate and
//! not on `patience`, so an expansion naming `::patience` would not compile for them.

#![forbid(unsafe_code)]

pub use patience::{async_trait, join, main, select, select_biased, test, try_join};

/// The crate itself, for `#[main(crate = "patience_reexporter::patience")]`: attribute
/// macros cannot find their crate on their own.
pub use patience;
