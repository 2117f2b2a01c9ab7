use std::path::Path;

use serde_json::Value;
use vpcreach::report::{self, HumanOptions};

use crate::util::*;

/// Each fixture's `expect.json` was written by hand from the guide and aws-semantics: the
/// verdict, egress and access type of every (subnet, service), the resources the path must
/// cross and the resources a diagnostic must name as the blocker.
#[test]
fn fixtures_match_hand_written_expectations() {
    let names = fixture_names();
    assert!(names.len() >= 14, "expected at least 14 fixtures, found {names:?}");
    let mut failures = Vec::new();
    for name in &names {
        let dir = root().join("fixtures").join(name);
        let snapshot = load(&dir.join("snapshot.json"));
        let analysis = analyze_fixture(name, &snapshot);
        let report = serde_json::to_value(report::json_report(&snapshot, &analysis, &[])).unwrap();
        let expect: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(dir.join("expect.json")).unwrap()).unwrap();
        let results = report["results"].as_array().unwrap();
        assert_eq!(results.len(), expect.len(), "{name}: expect.json must cover every pair");
        for e in &expect {
            let Some(r) =
                results.iter().find(|r| r["subnet_id"] == e["subnet"] && r["service"] == e["service"] && r["workload"] == e["workload"])
            else {
                failures.push(format!("{name}: no result for {} {}", e["subnet"], e["service"]));
                continue;
            };
            for (field, key) in [("verdict", "verdict"), ("egress", "egress"), ("access_type", "access_type")] {
                if r[field] != e[key] {
                    failures.push(format!("{name}: {} {}: {field} is {} but expected {}", e["subnet"], e["service"], r[field], e[key]));
                }
            }
            let path: Vec<&str> = r["path"].as_array().unwrap().iter().filter_map(|h| h["resource_id"].as_str()).collect();
            for id in e["via"].as_array().unwrap() {
                if !path.contains(&id.as_str().unwrap()) {
                    failures.push(format!("{name}: {} {}: path {path:?} does not cross {id}", e["subnet"], e["service"]));
                }
            }
            let named: Vec<&str> = r["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|d| d["resource_ids"].as_array().unwrap().iter().filter_map(|i| i.as_str()))
                .collect();
            for id in e["blocked_by"].as_array().unwrap() {
                if !named.contains(&id.as_str().unwrap()) {
                    failures.push(format!("{name}: {} {}: no diagnostic names blocker {id}", e["subnet"], e["service"]));
                }
            }
            // Optional: diagnostic codes the result must carry (warnings on a working path too).
            if let Some(codes) = e.get("codes").and_then(Value::as_array) {
                let found: Vec<&str> = r["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).collect();
                for code in codes.iter().filter_map(Value::as_str) {
                    if !found.contains(&code) {
                        failures.push(format!("{name}: {} {}: expected diagnostic {code}, found {found:?}", e["subnet"], e["service"]));
                    }
                }
            }
            if r["verdict"] != "reachable" {
                let has_error = r["diagnostics"].as_array().unwrap().iter().any(|d| d["severity"] == "error" || d["severity"] == "warning");
                if !has_error {
                    failures.push(format!("{name}: {} {} is {} without a diagnostic", e["subnet"], e["service"], r["verdict"]));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every non-reachable result points at the JSON element that blocks it.
#[test]
fn blocked_results_point_into_the_snapshot() {
    for name in fixture_names() {
        let path = root().join("fixtures").join(&name).join("snapshot.json");
        let snapshot = load(&path);
        let analysis = analyze_fixture(&name, &snapshot);
        for r in analysis.results.iter().filter(|r| r.verdict == vpcreach::reachability::Verdict::Unreachable) {
            let findings = report::findings_of(&snapshot, r);
            let located = findings
                .iter()
                .filter(|f| f.severity == vpcreach::rules::Severity::Error)
                .any(|f| !f.labels.is_empty() && !f.resource_ids.is_empty() && f.help.is_some());
            assert!(located, "{name}: {} {} has no located error with a fix", r.subnet_id, r.service.id);
            for f in &findings {
                for l in &f.labels {
                    let text = &snapshot.sources[0].text;
                    let element = &text[l.span.offset..l.span.offset + l.span.len];
                    assert!(
                        element.starts_with('{') || element.starts_with('['),
                        "{name}: label of {} does not cover a JSON element: {element:.40}",
                        f.code
                    );
                }
            }
        }
    }
}

fn relative(name: &str) -> std::path::PathBuf {
    Path::new("fixtures").join(name).join("snapshot.json")
}

/// Golden JSON and human reports (reviewed when regenerated, see tests/snapshots/).
#[test]
fn golden_reports() {
    for name in fixture_names() {
        let snapshot = load(&relative(&name));
        let analysis = analyze_fixture(&name, &snapshot);
        let json = serde_json::to_string_pretty(&report::json_report(&snapshot, &analysis, &[])).unwrap();
        insta::assert_snapshot!(format!("{name}.json"), json);
        let human = report::human_report(&snapshot, &analysis, &[], HumanOptions { color: false, width: 100 });
        insta::assert_snapshot!(format!("{name}.human"), human);
    }
}

/// Same snapshot, same bytes.
#[test]
fn output_is_deterministic() {
    for name in fixture_names() {
        let snapshot = load(&relative(&name));
        let a = serde_json::to_string(&report::json_report(&snapshot, &analyze_fixture(&name, &snapshot), &[])).unwrap();
        let b = serde_json::to_string(&report::json_report(&snapshot, &analyze_fixture(&name, &load(&relative(&name))), &[])).unwrap();
        assert_eq!(a, b, "{name}");
    }
}

/// The JSON report has the documented shape (README, "JSON report").
#[test]
fn json_report_follows_the_documented_schema() {
    let snapshot = load(&relative("nat-gateway"));
    let v = serde_json::to_value(report::json_report(&snapshot, &analyze_fixture("nat-gateway", &snapshot), &[])).unwrap();
    assert_eq!(v["schema"], "vpcreach/report/v1");
    assert!(matches!(v["status"].as_str(), Some("ready" | "degraded")));
    for r in v["results"].as_array().unwrap() {
        for key in [
            "workload",
            "vpc_id",
            "subnet_id",
            "availability_zone",
            "service",
            "hostname",
            "port",
            "verdict",
            "access_type",
            "egress",
            "path",
            "diagnostics",
        ] {
            assert!(r.get(key).is_some(), "result lacks {key}");
        }
        assert!(matches!(r["verdict"].as_str(), Some("reachable" | "unreachable" | "unknown")));
        assert_eq!(r["port"], 443);
        for h in r["path"].as_array().unwrap() {
            assert!(h["kind"].is_string() && h["resource_id"].is_string() && h["detail"].is_string());
        }
        for d in r["diagnostics"].as_array().unwrap() {
            assert!(d["code"].as_str().unwrap().starts_with("VPCR"));
            assert!(matches!(d["severity"].as_str(), Some("error" | "warning" | "info")));
            assert!(d["resource_ids"].is_array() && d["message"].is_string());
        }
    }
}

/// A small validator for the subset of JSON Schema that docs/report-v1.schema.json uses:
/// `type` (string or list), `required`, `properties`, `items`, `enum`, local `$ref`.
pub(crate) fn validate(schema_root: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/$defs/");
        return validate(schema_root, &schema_root["$defs"][name], value, at, errors);
    }
    if let Some(types) = schema.get("type") {
        let types: Vec<&str> = match types {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        if !types.contains(&actual) {
            errors.push(format!("{at}: {actual} is not {types:?}"));
            return;
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        if !options.contains(value) {
            errors.push(format!("{at}: {value} not in {options:?}"));
        }
    }
    // As in JSON Schema, `required` constrains objects only (a `["object", "null"]` may be null).
    if let (Some(required), true) = (schema.get("required").and_then(Value::as_array), value.is_object()) {
        for key in required.iter().filter_map(Value::as_str) {
            if value.get(key).is_none() {
                errors.push(format!("{at}: missing {key}"));
            }
        }
    }
    if let (Some(properties), Some(object)) = (schema.get("properties").and_then(Value::as_object), value.as_object()) {
        for (key, sub) in object {
            match properties.get(key) {
                Some(s) => validate(schema_root, s, sub, &format!("{at}.{key}"), errors),
                None => errors.push(format!("{at}: undocumented field {key}")),
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, item) in array.iter().enumerate() {
            validate(schema_root, items, item, &format!("{at}[{i}]"), errors);
        }
    }
}

/// Every fixture's JSON report validates against docs/report-v1.schema.json, and no field is
/// left undocumented.
#[test]
fn json_reports_validate_against_the_schema_file() {
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(root().join("docs/report-v1.schema.json")).unwrap()).unwrap();
    for name in fixture_names() {
        let snapshot = load(&relative(&name));
        let report = serde_json::to_value(report::json_report(&snapshot, &analyze_fixture(&name, &snapshot), &[])).unwrap();
        let mut errors = Vec::new();
        validate(&schema, &schema, &report, "$", &mut errors);
        assert!(errors.is_empty(), "{name}: {}", errors.join("\n"));
    }
    // The validator itself rejects a wrong report.
    let mut errors = Vec::new();
    validate(&schema, &schema, &serde_json::json!({"schema": "x", "status": "ok"}), "$", &mut errors);
    assert!(errors.len() >= 4, "{errors:?}");
}

/// Every fixture gives the same results, facts and all, whether walks are shared between pairs
/// (the default, issue 7) or every pair is walked on its own.
#[test]
fn fixtures_give_the_same_results_with_and_without_shared_walks() {
    let mut compared = 0;
    for name in fixture_names() {
        let snapshot = load(&root().join("fixtures").join(&name).join("snapshot.json"));
        let shared = analyze_fixture_with(&name, &snapshot, vpcreach::reachability::Sharing::On);
        let alone = analyze_fixture_with(&name, &snapshot, vpcreach::reachability::Sharing::Off);
        assert_eq!(format!("{:?}", shared.results), format!("{:?}", alone.results), "{name}");
        assert_eq!(format!("{:?}", shared.facts), format!("{:?}", alone.facts), "{name}");
        compared += shared.results.len();
    }
    assert!(compared > 500, "{compared} results compared");
}
