//! What-if overlays: `vpcreach analyze BASE.json CHANGE.json…` (fixtures/what-if/). Verdicts
//! change as the overlay says, diagnostics point into the file each resource came from, and a
//! deletion of an unknown ID is a located error.

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

const ADD_S3: &str = "fixtures/what-if/add-s3-gateway-endpoint";
const DELETE_NAT: &str = "fixtures/what-if/delete-nat";
const NAT: &str = "nat-09d86fe5cd1d54dca";

fn temp_file(name: &str, content: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vpcreach-overlays-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

/// `vpcreach analyze FILES… --format json`: exit code and report.
fn analyze(files: &[&str]) -> (Option<i32>, Value, String) {
    let out = Command::cargo_bin("vpcreach").unwrap().arg("analyze").args(files).args(["--format", "json"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code(), report, stderr)
}

fn results_for<'a>(report: &'a Value, service: &str) -> Vec<&'a Value> {
    report["results"].as_array().unwrap().iter().filter(|r| r["service"] == service).collect()
}

fn path_ids(result: &Value) -> Vec<&str> {
    result["path"].as_array().unwrap().iter().filter_map(|h| h["resource_id"].as_str()).collect()
}

#[test]
fn adding_an_s3_gateway_endpoint_makes_s3_reachable() {
    let base = format!("{ADD_S3}/snapshot.json");
    let overlay = format!("{ADD_S3}/overlay.json");
    let (code, before, _) = analyze(&[&base]);
    assert_eq!(code, Some(1));
    let s3 = results_for(&before, "s3");
    assert_eq!(s3.len(), 2);
    assert!(s3.iter().all(|r| r["verdict"] == "unreachable"));
    let (code, after, stderr) = analyze(&[&base, &overlay]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(after["status"], "ready");
    for r in results_for(&after, "s3") {
        assert_eq!(r["verdict"], "reachable");
        assert_eq!(r["egress"], "gateway_endpoint");
        // The replaced route table (from the overlay) leads to the added endpoint.
        assert_eq!(path_ids(r)[2..], ["rtb-065d3c369bc519009", "vpce-0c4d2e8f1a3b5c7d9"]);
    }
    // The other services are untouched.
    assert_eq!(results_for(&after, "logs"), results_for(&before, "logs"));
}

#[test]
fn deleting_the_nat_gateway_blackholes_its_route() {
    let base = format!("{DELETE_NAT}/snapshot.json");
    let (code, before, _) = analyze(&[&base]);
    assert_eq!(code, Some(0));
    assert!(before["results"].as_array().unwrap().iter().all(|r| r["verdict"] == "reachable" && path_ids(r).contains(&NAT)));
    let (code, after, stderr) = analyze(&[&base, &format!("{DELETE_NAT}/overlay.json")]);
    assert_eq!(code, Some(1), "{stderr}");
    let results = after["results"].as_array().unwrap();
    assert_eq!(results.len(), 10);
    for r in results {
        assert_eq!(r["verdict"], "unreachable");
        let d = &r["diagnostics"][0];
        assert_eq!(d["code"], "VPCR102", "{r}");
        assert!(d["message"].as_str().unwrap().contains("target no longer exists"), "{d}");
        // The route is the base's: the diagnostic points into the base file.
        assert_eq!(d["locations"][0]["file"], base.as_str());
        assert_eq!(d["locations"][0]["line"], 204);
    }
}

/// A resource from an overlay is located in the overlay: a NAT gateway replaced by a pending one.
#[test]
fn diagnostics_on_overlay_resources_point_into_the_overlay() {
    let base = format!("{DELETE_NAT}/snapshot.json");
    let snapshot: Value = serde_json::from_str(&std::fs::read_to_string(&base).unwrap()).unwrap();
    let mut nat = snapshot["NatGateways"][0].clone();
    nat["State"] = "pending".into();
    let text = serde_json::to_string_pretty(&serde_json::json!({"Region": "us-east-1", "NatGateways": [nat]})).unwrap();
    let overlay = temp_file("pending-nat.json", &text);
    let (code, report, stderr) = analyze(&[&base, overlay.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{stderr}");
    let r = &report["results"][0];
    assert_eq!(r["verdict"], "unreachable");
    let d = r["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "VPCR105").expect("a pending-NAT diagnostic");
    let location =
        d["locations"].as_array().unwrap().iter().find(|l| l["file"] == overlay.to_str().unwrap()).expect("located in the overlay");
    // The NAT object starts on line 4 of the overlay (`{`, Region, `"NatGateways": [`, then it).
    assert_eq!(location["line"], 4, "{d}");
    // The human report quotes the overlay's text.
    let out =
        Command::cargo_bin("vpcreach").unwrap().args(["analyze", &base, overlay.to_str().unwrap(), "--color", "never"]).output().unwrap();
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(human.contains(&format!("{}:4:", overlay.display())), "{human}");
    assert!(human.contains(&format!("vpcreach: {base} + {}:", overlay.display())), "{human}");
}

/// Later overlays apply to the result of the earlier ones; `Delete` comes before the file's own
/// resources, so delete + add of one ID in one file replaces it.
#[test]
fn overlays_apply_in_order() {
    let base = format!("{DELETE_NAT}/snapshot.json");
    let snapshot: Value = serde_json::from_str(&std::fs::read_to_string(&base).unwrap()).unwrap();
    let nat = snapshot["NatGateways"][0].clone();
    let restore = temp_file("restore-nat.json", &serde_json::json!({"NatGateways": [nat]}).to_string());
    let (code, report, stderr) = analyze(&[&base, &format!("{DELETE_NAT}/overlay.json"), restore.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(report["results"].as_array().unwrap().iter().all(|r| r["verdict"] == "reachable"));
    let both = temp_file("delete-and-add.json", &serde_json::json!({"Delete": [NAT], "NatGateways": [nat]}).to_string());
    let (code, _, stderr) = analyze(&[&base, both.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn deleting_an_unknown_id_is_a_located_error() {
    let overlay = temp_file("unknown.json", "{\n  \"Delete\": [\n    \"nat-09d86fe5cd1d54dca\",\n    \"nat-0ffffffffffffffff\"\n  ]\n}\n");
    let (code, _, stderr) = analyze(&[&format!("{DELETE_NAT}/snapshot.json"), overlay.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("`Delete` names `nat-0ffffffffffffffff`, which no earlier file defines"), "{stderr}");
    assert!(stderr.contains(&format!("{}:4:5", overlay.display())), "{stderr}");
    let bad = temp_file("bad-delete.json", "{\"Delete\": \"nat-09d86fe5cd1d54dca\"}");
    let (code, _, stderr) = analyze(&[&format!("{DELETE_NAT}/snapshot.json"), bad.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("`Delete` must be a list of resource IDs"), "{stderr}");
    let (code, _, stderr) = analyze(&[&format!("{DELETE_NAT}/snapshot.json"), "no/such/overlay.json"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("cannot read no/such/overlay.json"), "{stderr}");
}

/// An overlay exists to make a change: a key it holds that is not a resource list or `Delete`
/// (a misspelling) is an error, not the snapshot's VPCR001 warning, which would answer the
/// question without the change. An ID deleted twice is named as such.
#[test]
fn an_overlay_key_that_changes_nothing_is_a_located_error() {
    let base = format!("{DELETE_NAT}/snapshot.json");
    let lower = temp_file("lower-delete.json", "{\n  \"delete\": [\"nat-09d86fe5cd1d54dca\"]\n}\n");
    let (code, _, stderr) = analyze(&[&base, lower.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("overlay key `delete` is not a resource list or `Delete`"), "{stderr}");
    assert!(stderr.contains("did you mean `Delete`?"), "{stderr}");
    assert!(stderr.contains(&format!("{}:2:3", lower.display())), "{stderr}");
    let typo = temp_file("typo-key.json", "{\"Routetables\": []}");
    let (code, _, stderr) = analyze(&[&base, typo.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("did you mean `RouteTables`?"), "{stderr}");
    let twice = temp_file("twice.json", "{\"Delete\": [\"nat-09d86fe5cd1d54dca\", \"nat-09d86fe5cd1d54dca\"]}");
    let (code, _, stderr) = analyze(&[&base, twice.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("`Delete` names `nat-09d86fe5cd1d54dca` twice"), "{stderr}");
}

/// Without overlays nothing changes; the library keeps each resource's source file.
#[test]
fn overlay_resources_keep_their_source() {
    let base = PathBuf::from(format!("{ADD_S3}/snapshot.json"));
    let overlay = PathBuf::from(format!("{ADD_S3}/overlay.json"));
    let plain = vpcreach::model::load_with_overlays(&base, &[]).unwrap();
    assert_eq!(plain.sources.len(), 1);
    let merged = vpcreach::model::load_with_overlays(&base, &[overlay]).unwrap();
    assert_eq!(merged.sources.len(), 2);
    let rtb = &merged.route_tables[&vpcreach::model::RouteTableId::from("rtb-065d3c369bc519009")];
    assert_eq!(rtb.span.source, vpcreach::model::SourceId(1));
    assert_eq!(rtb.routes.len(), 2);
    let main = &merged.route_tables[&vpcreach::model::RouteTableId::from("rtb-02624d6cef41c421a")];
    assert_eq!(main.span.source, vpcreach::model::SourceId(0));
    assert_eq!(merged.vpc_endpoints.len(), 5);
}

/// A DNS Firewall rule has no ID: an overlay names it by its rule group and priority (the
/// pair AWS keeps unique), so it replaces the rule instead of adding a duplicate.
#[test]
fn an_overlay_replaces_a_dns_firewall_rule_by_group_and_priority() {
    let base = "fixtures/dns-firewall-allowlist-missing-service/snapshot.json";
    let (code, before, _) = analyze(&[base]);
    assert_eq!(code, Some(1));
    assert!(results_for(&before, "logs").iter().all(|r| r["verdict"] == "unreachable"));
    let overlay = temp_file(
        "firewall-rule.json",
        r#"{"FirewallRules": [{"FirewallRuleGroupId": "rslvr-frg-1f2e3d4c5b6a7980", "FirewallDomainListId": "rslvr-fdl-7d3c9b1a5e2f8064",
            "Name": "alert-everything-else", "Priority": 200, "Action": "ALERT"}]}"#,
    );
    let (code, after, stderr) = analyze(&[base, overlay.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    for r in results_for(&after, "logs") {
        assert_eq!(r["verdict"], "reachable", "{r}");
        assert_eq!(r["egress"], "interface_endpoint");
    }
}
