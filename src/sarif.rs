//! SARIF 2.1.0 output (`analyze --format sarif`): one result per distinct finding, located in
//! the snapshot file so GitHub code scanning annotates the JSON element at fault.

use serde_json::{json, Value};

use crate::model::Snapshot;
use crate::reachability::Analysis;
use crate::report;
use crate::rules::{self, Finding, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// 1-based line and column (in Unicode code points, `columnKind` below) of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |nl| nl + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

fn location(snapshot: &Snapshot, label: &rules::Label) -> Option<Value> {
    let source = snapshot.source(label.span.source)?;
    let (start_line, start_column) = position(&source.text, label.span.offset);
    let (end_line, end_column) = position(&source.text, label.span.offset + label.span.len);
    Some(json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(&source.name) },
            "region": { "startLine": start_line, "startColumn": start_column, "endLine": end_line, "endColumn": end_column }
        },
        "message": { "text": label.text }
    }))
}

/// A relative path as a URI reference: forward slashes, no leading `./`.
/// SARIF 2.1.0 `artifactLocation.uri` is an RFC 3986 URI reference: the path with `/`
/// separators, every byte but the unreserved characters and `/` percent-encoded (a space, `#`
/// or `%` in a file name would otherwise be read as something else).
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.trim_start_matches("./");
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A stable identity for a finding across runs (FNV-1a of code, message and resources).
fn fingerprint(f: &Finding) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in f.code.bytes().chain(f.message.bytes()).chain(f.resource_ids.iter().flat_map(|id| id.bytes().chain([0]))) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

fn rule_descriptor(rule: &rules::RuleInfo) -> Value {
    let text = rule.doc_text();
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": rule.summary },
        "help": { "text": text, "markdown": text },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": { "docs": rule.docs_path() }
    })
}

/// The SARIF log of one analysis; `ignore` drops codes as in the other formats.
pub fn sarif_log(snapshot: &Snapshot, analysis: &Analysis, ignore: &[String]) -> Value {
    let findings = report::all_findings(snapshot, analysis, ignore);
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut locations: Vec<Value> = f.labels.iter().filter_map(|l| location(snapshot, l)).collect();
            if locations.is_empty() {
                // Code scanning needs a location: the top of the snapshot file.
                let file = snapshot.sources.first().map_or_else(|| snapshot.path.clone(), |s| s.name.clone());
                locations.push(json!({
                    "physicalLocation": { "artifactLocation": { "uri": uri(&file) }, "region": { "startLine": 1, "startColumn": 1 } }
                }));
            }
            let related: Vec<Value> = locations
                .iter()
                .skip(1)
                .cloned()
                .enumerate()
                .map(|(i, mut l)| {
                    if let Some(object) = l.as_object_mut() {
                        object.insert("id".to_owned(), json!(i + 1));
                    }
                    l
                })
                .collect();
            let text = match &f.help {
                Some(help) => format!("{}\n\nFix: {help}", f.message),
                None => f.message.clone(),
            };
            json!({
                "ruleId": f.code,
                "ruleIndex": rules::RULES.iter().position(|r| r.code == f.code),
                "level": level(f.severity),
                "message": { "text": text },
                "locations": locations.into_iter().take(1).collect::<Vec<_>>(),
                "relatedLocations": related,
                "partialFingerprints": { "vpcreachFinding/v1": fingerprint(f) },
                "properties": { "resourceIds": f.resource_ids }
            })
        })
        .collect();
    let artifacts: Vec<Value> = snapshot.sources.iter().map(|s| json!({ "location": { "uri": uri(&s.name) } })).collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "vpcreach",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules::RULES.iter().map(|r| rule_descriptor(r)).collect::<Vec<_>>()
                }
            },
            "columnKind": "unicodeCodePoints",
            "artifacts": artifacts,
            "results": results
        }]
    })
}

#[cfg(test)]
mod tests {
    /// Names with spaces, `#`, `%` and non-ASCII letters become URI references; plain paths
    /// stay as they are.
    #[test]
    fn artifact_uris_are_percent_encoded() {
        assert_eq!(super::uri("fixtures/nat-gateway/snapshot.json"), "fixtures/nat-gateway/snapshot.json");
        assert_eq!(super::uri("./sp ace#1/snap 100%.json"), "sp%20ace%231/snap%20100%25.json");
        assert_eq!(super::uri("dir\\é.json"), "dir/%C3%A9.json");
    }
}
