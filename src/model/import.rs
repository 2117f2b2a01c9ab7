//! `vpcreach import DIR`: a folder of AWS CLI outputs (the Batfish layout,
//! `[aws_configs/][accounts/<id>/]<region>/*.json`) as one snapshot file, so that what was
//! exported by hand can be kept, diffed and reviewed as a single document.
//!
//! The folder is first loaded and validated exactly as `analyze` would read it; only a valid
//! folder is written out. Lists under the same key in one account and region are concatenated
//! in file-name order; a plain `search-transit-gateway-routes` answer named after its table
//! becomes a `TransitGatewayRoutes` entry for that table.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::load::{collect_json_files, load_path, scope_from_path, LoadError};
use super::Scope;

/// (account, region) → the merged keys of that scope.
type Scopes = BTreeMap<(Option<String>, Option<String>), Map<String, Value>>;

/// The merged snapshot of `dir`, as a JSON value, after validating the folder.
///
/// # Errors
/// [`LoadError`] when the folder cannot be read or is not a valid snapshot.
pub fn import_dir(dir: &Path) -> Result<Value, LoadError> {
    // Validate first: `import` writes only what `analyze` accepts, which refuses a snapshot
    // without subnets (a wrong path, an empty export).
    let snapshot = load_path(dir)?;
    if snapshot.subnets.is_empty() {
        let problem = super::load::Problem::new(
            format!(
                "nothing to import: {} holds no subnet (`Subnets` is empty or was not captured); check the path and the export",
                dir.display()
            ),
            None,
        );
        return Err(LoadError::Invalid { path: dir.display().to_string(), problems: vec![problem], sources: snapshot.sources });
    }
    let root = if dir.join("aws_configs").is_dir() { dir.join("aws_configs") } else { dir.to_path_buf() };
    let mut files: Vec<PathBuf> = Vec::new();
    let io = |source| LoadError::Io { path: dir.display().to_string(), source };
    collect_json_files(&root, &mut files).map_err(io)?;
    files.sort();
    let mut scopes: Scopes = BTreeMap::new();
    for file in &files {
        let bytes = std::fs::read(file).map_err(io)?;
        let text = String::from_utf8_lossy(&bytes);
        let text = text.trim_start_matches('\u{feff}');
        // Validated above: every file is a JSON object.
        let Ok(Value::Object(map)) = serde_json::from_str::<Value>(text) else { continue };
        let relative = file.strip_prefix(&root).unwrap_or(file);
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        add_document(&mut scopes, scope_from_path(relative), map, &name);
    }
    Ok(render(scopes))
}

fn add_document(scopes: &mut Scopes, mut scope: Scope, mut map: Map<String, Value>, file_name: &str) {
    if let Some(Value::String(account)) = map.remove("AccountId") {
        scope.account = Some(account);
    }
    if let Some(Value::String(region)) = map.remove("Region") {
        scope.region = Some(region);
    }
    if let Some(Value::Array(items)) = map.remove("Regions") {
        for item in items {
            if let Value::Object(inner) = item {
                add_document(scopes, Scope { account: scope.account.clone(), region: None }, inner, file_name);
            }
        }
    }
    // A plain route search answer (`{"Routes": […]}`) names its table only in the file name.
    if map.contains_key("Routes") {
        if let Some(start) = file_name.find("tgw-rtb-") {
            let table: String = file_name[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
            let mut entry = Map::new();
            entry.insert("TransitGatewayRouteTableId".to_owned(), Value::String(table));
            entry.insert("Routes".to_owned(), map.remove("Routes").unwrap_or(Value::Array(Vec::new())));
            if let Some(more) = map.remove("AdditionalRoutesAvailable") {
                entry.insert("AdditionalRoutesAvailable".to_owned(), more);
            }
            map.insert("TransitGatewayRoutes".to_owned(), Value::Array(vec![Value::Object(entry)]));
        }
    }
    let target = scopes.entry((scope.account, scope.region)).or_default();
    for (key, value) in map {
        match (target.get_mut(&key), value) {
            (Some(Value::Array(list)), Value::Array(more)) => list.extend(more),
            (Some(_), _) => {} // an object key listed twice: the loader already rejected a conflict
            (None, value) => {
                target.insert(key, value);
            }
        }
    }
}

fn render(scopes: Scopes) -> Value {
    let with_scope = |(account, region): (Option<String>, Option<String>), keys: Map<String, Value>| {
        let mut out = Map::new();
        if let Some(region) = region {
            out.insert("Region".to_owned(), Value::String(region));
        }
        if let Some(account) = account {
            out.insert("AccountId".to_owned(), Value::String(account));
        }
        let mut sorted: Vec<(String, Value)> = keys.into_iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        out.extend(sorted);
        out
    };
    if scopes.len() == 1 {
        let Some((scope, keys)) = scopes.into_iter().next() else { return Value::Object(Map::new()) };
        return Value::Object(with_scope(scope, keys));
    }
    // Several scopes: one `Regions` item each; what has no region (files at the folder's top)
    // stays at the top level, beside `Regions`.
    let mut out = Map::new();
    let mut items = Vec::new();
    for (scope, keys) in scopes {
        if scope.1.is_none() {
            out.extend(with_scope(scope, keys));
        } else {
            items.push(Value::Object(with_scope(scope, keys)));
        }
    }
    out.insert("Regions".to_owned(), Value::Array(items));
    Value::Object(out)
}
