//! A program's published `Cargo.toml`, adjusted for the port: nothing changes but the
//! dependencies the rewrite replaces.
//!
//! Input / output:
//!
//! ```text
//! [dependencies.async-trait]                  (removed)
//! [dependencies.tokio]                        [dependencies.tokio]
//! features = ["full"]                         features = [every feature of tokio's `full` but "macros"]
//! [dev-dependencies.tokio]                    [dev-dependencies.tokio]
//! features = ["macros"]                       features = []
//! [features] x = ["tokio/macros", "y"]        [features] x = ["y"]
//!                                             [dependencies.patience] path = "…", features = ["tokio"]
//!                                             [workspace]
//! ```
//!
//! With tokio's `macros` feature and the async-trait dependency gone, a macro path the
//! rewrite missed is a compile error, never a silent pass.

use std::path::Path;

use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, Value};

const DEPENDENCY_TABLES: &[&str] = &["dependencies", "dev-dependencies", "build-dependencies"];

/// The feature lists of tokio's `full`, read from its published manifest.
pub fn tokio_full(tokio_manifest: &str) -> Result<Vec<String>, String> {
    let doc: DocumentMut = tokio_manifest
        .parse()
        .map_err(|e| format!("tokio's Cargo.toml: {e}"))?;
    let full = doc["features"]["full"]
        .as_array()
        .ok_or("tokio's Cargo.toml has no `full` feature")?;
    Ok(full
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect())
}

/// The unmodified program's manifest, made a workspace of its own (it sits inside this
/// repository's directory).
pub fn baseline(original: &str) -> Result<String, String> {
    let mut doc: DocumentMut = original.parse().map_err(|e| format!("Cargo.toml: {e}"))?;
    add_workspace(&mut doc);
    Ok(doc.to_string())
}

/// The port's manifest, and a line for each change made.
pub fn port(
    original: &str,
    patience: &Path,
    tokio_full: &[String],
) -> Result<(String, Vec<String>), String> {
    let mut doc: DocumentMut = original.parse().map_err(|e| format!("Cargo.toml: {e}"))?;
    let without_macros: Vec<&str> = tokio_full
        .iter()
        .map(String::as_str)
        .filter(|f| *f != "macros")
        .collect();
    let mut changes = Vec::new();
    for (path, table) in dependency_tables(&mut doc) {
        adjust_dependencies(&path, table, &without_macros, &mut changes);
    }
    if let Some(features) = doc.get_mut("features").and_then(Item::as_table_like_mut) {
        for (name, list) in features.iter_mut() {
            if let Some(list) = list.as_array_mut() {
                adjust_feature(&name, list, &without_macros, &mut changes);
            }
        }
    }
    let deps = doc
        .entry("dependencies")
        .or_insert_with(|| Item::Table(Table::new()))
        .as_table_like_mut()
        .ok_or("[dependencies] is not a table")?;
    if deps.contains_key("patience") {
        return Err("the program already depends on a `patience`".to_owned());
    }
    let mut patience_dep = InlineTable::new();
    patience_dep.insert("path", patience.display().to_string().into());
    patience_dep.insert("features", Value::Array(Array::from_iter(["tokio"])));
    deps.insert("patience", Item::Value(Value::InlineTable(patience_dep)));
    changes.push("patience added (by path, feature `tokio`)".to_owned());
    add_workspace(&mut doc);
    Ok((doc.to_string(), changes))
}

fn add_workspace(doc: &mut DocumentMut) {
    if !doc.contains_key("workspace") {
        doc.insert("workspace", Item::Table(Table::new()));
    }
}

/// Every dependency table: `[dependencies]` and its kin, also under `[target.'cfg'.…]`.
fn dependency_tables(doc: &mut DocumentMut) -> Vec<(String, &mut dyn toml_edit::TableLike)> {
    let mut out: Vec<(String, &mut dyn toml_edit::TableLike)> = Vec::new();
    for (key, item) in doc.iter_mut() {
        let Some(table) = item.as_table_like_mut() else {
            continue;
        };
        if DEPENDENCY_TABLES.contains(&key.get()) {
            out.push((key.get().to_owned(), table));
        } else if key.get() == "target" {
            for (cfg, tables) in table.iter_mut() {
                let Some(tables) = tables.as_table_like_mut() else {
                    continue;
                };
                for (kind, t) in tables.iter_mut() {
                    if DEPENDENCY_TABLES.contains(&kind.get())
                        && let Some(t) = t.as_table_like_mut()
                    {
                        out.push((format!("target.{}.{}", cfg.get(), kind.get()), t));
                    }
                }
            }
        }
    }
    out
}

/// The package a dependency entry names (its `package = ".."` when renamed).
fn package_of(key: &str, item: &Item) -> String {
    item.as_table_like()
        .and_then(|t| t.get("package"))
        .and_then(Item::as_str)
        .unwrap_or(key)
        .to_owned()
}

fn adjust_dependencies(
    table_name: &str,
    table: &mut dyn toml_edit::TableLike,
    tokio_without_macros: &[&str],
    changes: &mut Vec<String>,
) {
    let keys: Vec<String> = table.iter().map(|(k, _)| k.to_owned()).collect();
    for key in keys {
        let package = package_of(&key, table.get(&key).unwrap());
        if package == "async-trait" {
            table.remove(&key);
            changes.push(format!("[{table_name}] async-trait removed"));
        } else if package == "tokio" {
            let dep = table.get_mut(&key).unwrap();
            if let Some(features) = dep
                .as_table_like_mut()
                .and_then(|t| t.get_mut("features"))
                .and_then(Item::as_array_mut)
            {
                let before = features.len();
                let had_full = features.iter().any(|f| f.as_str() == Some("full"));
                features.retain(|f| !matches!(f.as_str(), Some("full" | "macros")));
                if had_full {
                    for f in tokio_without_macros {
                        if !features.iter().any(|have| have.as_str() == Some(f)) {
                            features.push(*f);
                        }
                    }
                    changes.push(format!(
                        "[{table_name}] tokio: `full` replaced by its features but `macros`"
                    ));
                } else if features.len() != before {
                    changes.push(format!("[{table_name}] tokio: feature `macros` removed"));
                }
            }
        }
    }
}

/// A `[features]` list: what names async-trait or tokio's `macros` goes; `tokio/full`
/// becomes its features but `macros`.
fn adjust_feature(
    name: &str,
    list: &mut Array,
    without_macros: &[&str],
    changes: &mut Vec<String>,
) {
    let mut values: Vec<String> = Vec::new();
    let mut changed = false;
    for v in list.iter() {
        let Some(v) = v.as_str() else { continue };
        let (dep, feature) = v
            .split_once('/')
            .map_or((v.trim_start_matches("dep:"), None), |(d, f)| (d, Some(f)));
        let dep = dep.trim_end_matches('?');
        if dep == "async-trait" || (dep == "tokio" && feature == Some("macros")) {
            changed = true;
        } else if dep == "tokio" && feature == Some("full") {
            changed = true;
            values.extend(
                without_macros
                    .iter()
                    .map(|f| format!("{}/{f}", v.split('/').next().unwrap())),
            );
        } else {
            values.push(v.to_owned());
        }
    }
    if changed {
        *list = Array::from_iter(values);
        changes.push(format!(
            "[features] {name}: async-trait and tokio's `macros` removed"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &[&str] = &["fs", "macros", "rt", "sync"];

    fn full() -> Vec<String> {
        FULL.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn async_trait_goes_and_tokio_loses_macros_everywhere() {
        let original = r#"[package]
name = "p"
version = "1.0.0"

[dependencies.async-trait]
version = "0.1"

[dependencies.tokio]
version = "1"
features = ["full"]

[dev-dependencies.tokio]
version = "1"
features = ["macros", "time"]

[target.'cfg(unix)'.dependencies]
at = { package = "async-trait", version = "0.1" }

[features]
default = ["tokio/macros", "x"]
all = ["tokio?/full", "dep:async-trait"]
"#;
        let (text, changes) = port(original, Path::new("/p/patience"), &full()).unwrap();
        let doc: DocumentMut = text.parse().unwrap();
        assert!(doc["dependencies"].get("async-trait").is_none());
        assert!(
            doc["target"]["cfg(unix)"]["dependencies"]
                .get("at")
                .is_none()
        );
        let features = |item: &Item| -> Vec<String> {
            item.as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(
            features(&doc["dependencies"]["tokio"]["features"]),
            ["fs", "rt", "sync"]
        );
        assert_eq!(
            features(&doc["dev-dependencies"]["tokio"]["features"]),
            ["time"]
        );
        assert_eq!(features(&doc["features"]["default"]), ["x"]);
        assert_eq!(
            features(&doc["features"]["all"]),
            ["tokio?/fs", "tokio?/rt", "tokio?/sync"]
        );
        assert_eq!(
            doc["dependencies"]["patience"]["path"].as_str(),
            Some("/p/patience")
        );
        assert!(doc.contains_key("workspace"));
        assert_eq!(changes.len(), 7, "{changes:#?}");
    }

    #[test]
    fn a_program_without_the_peers_only_gains_patience() {
        let original =
            "[package]\nname = \"p\"\nversion = \"1.0.0\"\n\n[dependencies]\nbytes = \"1\"\n";
        let (text, changes) = port(original, Path::new("/x"), &full()).unwrap();
        assert!(text.starts_with(original), "{text}");
        assert_eq!(changes, ["patience added (by path, feature `tokio`)"]);
    }

    #[test]
    fn tokio_full_is_read_from_tokios_manifest() {
        let tokio = "[package]\nname = \"tokio\"\n[features]\nfull = [\"fs\", \"macros\"]\n";
        assert_eq!(tokio_full(tokio).unwrap(), ["fs", "macros"]);
    }
}
