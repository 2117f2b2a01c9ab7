//! Snapshot layouts beyond one merged file: a folder of plain AWS CLI answers (with
//! `search-transit-gateway-routes` answers named after their table) and the `Regions` form.

use serde_json::{json, Map, Value};
use vpcreach::reachability::Verdict;

use crate::util::*;

fn fixture_json(name: &str) -> Map<String, Value> {
    let text = std::fs::read_to_string(root().join("fixtures").join(name).join("snapshot.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("vpcreach-layouts-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `hub-egress` as a folder of one file per describe call, with each TGW route table's
/// routes as the plain answer of `aws ec2 search-transit-gateway-routes` in a file named
/// `TransitGatewayRoutes.<tgw-rtb-…>.json`. `edit` may change a table's route list.
fn hub_egress_folder(name: &str, edit: impl Fn(&str, &mut Vec<Value>)) -> std::path::PathBuf {
    let dir = temp_dir(name);
    let mut snapshot = fixture_json("hub-egress");
    let cidr_of: Map<String, Value> =
        snapshot["Vpcs"].as_array().unwrap().iter().map(|v| (v["VpcId"].as_str().unwrap().to_owned(), v["CidrBlock"].clone())).collect();
    let mut routes: std::collections::BTreeMap<String, Vec<Value>> = Default::default();
    for table in snapshot.remove("TransitGatewayStaticRoutes").unwrap().as_array().unwrap() {
        let id = table["TransitGatewayRouteTableId"].as_str().unwrap().to_owned();
        routes.entry(id).or_default().extend(table["Routes"].as_array().unwrap().iter().cloned());
    }
    for table in snapshot.remove("TransitGatewayPropagations").unwrap().as_array().unwrap() {
        let id = table["TransitGatewayRouteTableId"].as_str().unwrap().to_owned();
        let list = routes.entry(id).or_default();
        for p in table["TransitGatewayRouteTablePropagations"].as_array().unwrap() {
            list.push(json!({
                "DestinationCidrBlock": cidr_of[p["ResourceId"].as_str().unwrap()],
                "TransitGatewayAttachments": [{
                    "ResourceId": p["ResourceId"], "TransitGatewayAttachmentId": p["TransitGatewayAttachmentId"], "ResourceType": "vpc"
                }],
                "Type": "propagated",
                "State": "active"
            }));
        }
    }
    snapshot.remove("Region");
    snapshot.remove("AccountId");
    for (key, value) in snapshot {
        std::fs::write(dir.join(format!("{key}.json")), serde_json::to_vec_pretty(&json!({ key: value })).unwrap()).unwrap();
    }
    for (table, mut list) in routes {
        edit(&table, &mut list);
        let answer = json!({"Routes": list, "AdditionalRoutesAvailable": false});
        std::fs::write(dir.join(format!("TransitGatewayRoutes.{table}.json")), serde_json::to_vec_pretty(&answer).unwrap()).unwrap();
    }
    dir
}

const EGRESS_TABLE: &str = "tgw-rtb-063f380719970b2b4";

/// The route search answers stand in for the propagation and static-route listings: the same
/// verdicts and paths as the merged `hub-egress` fixture.
#[test]
fn tgw_route_search_answers_load_from_files_named_after_their_table() {
    let dir = hub_egress_folder("search", |_, _| {});
    let snapshot = load(&dir);
    assert!(snapshot.tgw_route_tables.values().all(|t| t.routes_captured), "every table's routes come from its file");
    let analysis = analyze_runner(&snapshot);
    assert_eq!(analysis.results.len(), 10);
    for r in &analysis.results {
        assert_eq!(r.verdict, Verdict::Reachable, "{} {}", r.subnet_id, r.service.id);
        let path: Vec<&str> = r.path.iter().map(|h| &*h.resource_id).collect();
        assert!(path.contains(&"tgw-rtb-089a2ef88a3394ff9") && path.contains(&EGRESS_TABLE), "{path:?}");
    }
    // The header names the folder, not its first file.
    let human = vpcreach::report::human_report(&snapshot, &analysis, &[], vpcreach::report::HumanOptions { color: false, width: 100 });
    assert!(human.starts_with(&format!("vpcreach: {}: 10 checks", dir.display())), "{}", human.lines().next().unwrap_or_default());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A route search answer is the complete list of the table's routes: when the egress table's
/// answer lacks the spoke CIDR, the reply has no route (VPCR407), even though nothing says
/// which attachments propagate.
#[test]
fn an_empty_route_search_answer_means_no_route() {
    let dir = hub_egress_folder("search-empty", |table, list| {
        if table == EGRESS_TABLE {
            list.clear();
        }
    });
    let snapshot = load(&dir);
    let analysis = analyze_runner(&snapshot);
    for r in &analysis.results {
        assert_eq!(r.verdict, Verdict::Unreachable, "{} {}", r.subnet_id, r.service.id);
        let findings = vpcreach::report::findings_of(&snapshot, r);
        assert!(
            findings.iter().any(|f| f.code == "VPCR407" && f.resource_ids.iter().any(|i| i == EGRESS_TABLE)),
            "{:?}",
            findings.iter().map(|f| f.code).collect::<Vec<_>>()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The same answer with `AdditionalRoutesAvailable: true` is the first 1,000 routes only: the
/// missing reply route may be among the others, so the results are unknown (VPCR002 naming the
/// table), not unreachable. A file the folder holds that does not end in `.json` is named
/// (VPCR005), not skipped in silence.
#[test]
fn a_truncated_route_search_answer_is_not_the_whole_table() {
    let dir = hub_egress_folder("search-truncated", |table, list| {
        if table == EGRESS_TABLE {
            list.clear();
        }
    });
    let path = dir.join(format!("TransitGatewayRoutes.{EGRESS_TABLE}.json"));
    let text =
        std::fs::read_to_string(&path).unwrap().replace("\"AdditionalRoutesAvailable\": false", "\"AdditionalRoutesAvailable\": true");
    std::fs::write(&path, text).unwrap();
    std::fs::write(dir.join("hosted-zones.txt"), "{\"HostedZones\": []}").unwrap();
    let snapshot = load(&dir);
    let analysis = analyze_runner(&snapshot);
    for r in &analysis.results {
        assert_eq!(r.verdict, Verdict::Unknown, "{} {}", r.subnet_id, r.service.id);
        let findings = vpcreach::report::findings_of(&snapshot, r);
        assert!(
            findings.iter().any(|f| f.code == "VPCR002" && f.resource_ids.iter().any(|i| i == EGRESS_TABLE)),
            "{:?}",
            findings.iter().map(|f| f.code).collect::<Vec<_>>()
        );
    }
    let unread: Vec<&str> = snapshot
        .warnings
        .iter()
        .filter_map(|w| match w {
            vpcreach::model::LoadWarning::Ignored { resource_id, .. } => Some(resource_id.as_str()),
            _ => None,
        })
        .collect();
    assert!(unread.len() == 1 && unread[0].ends_with("hosted-zones.txt"), "{unread:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// One file, two regions: each `Regions` item is its own scope, hostnames follow the region.
#[test]
fn regions_form_holds_several_regions() {
    let east = fixture_json("hub-egress");
    let west_text = std::fs::read_to_string(root().join("fixtures/nat-gateway/snapshot.json")).unwrap().replace("us-east-1", "us-west-2");
    let west: Map<String, Value> = serde_json::from_str(&west_text).unwrap();
    let strip = |mut m: Map<String, Value>| {
        m.remove("AccountId");
        m
    };
    let merged = json!({"AccountId": "111122223333", "Regions": [strip(east), strip(west)]});
    let dir = temp_dir("regions");
    let path = dir.join("snapshot.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&merged).unwrap()).unwrap();
    let snapshot = load(&path);
    let analysis = analyze_runner(&snapshot);
    assert_eq!(analysis.results.len(), 20, "ten pairs from each region");
    for r in &analysis.results {
        assert_eq!(r.verdict, Verdict::Reachable, "{} {}", r.subnet_id, r.service.id);
        let in_west = r.availability_zone.as_deref().is_some_and(|az| az.starts_with("us-west-2"));
        let region = if in_west { "us-west-2" } else { "us-east-1" };
        assert!(r.hostname.contains(region), "{} in {region} dials {}", r.subnet_id, r.hostname);
    }
    assert_eq!(analysis.results.iter().filter(|r| r.hostname.contains("us-west-2")).count(), 10);
    let _ = std::fs::remove_dir_all(&dir);
}

/// moto's `list-resolver-rules` and `list-resolver-rule-associations` answers, as the AWS CLI
/// prints them (`VPCId`), load as they are.
#[test]
fn resolver_rule_answers_load_as_the_cli_prints_them() {
    let Some(shared) = shared() else { return };
    let samples = shared.join("external/moto-samples");
    let dir = temp_dir("resolver");
    for name in ["route53resolver-list-resolver-rules.json", "route53resolver-list-resolver-rule-associations.json"] {
        std::fs::copy(samples.join(name), dir.join(name)).unwrap();
    }
    let snapshot = load(&dir);
    assert_eq!(snapshot.resolver_rules.len(), 1);
    let rule = snapshot.resolver_rules.values().next().unwrap();
    assert_eq!(rule.domain_name, "corp.example.com");
    assert_eq!(rule.rule_type, "FORWARD");
    assert_eq!(snapshot.resolver_rule_associations.len(), 1);
    assert_eq!(snapshot.resolver_rule_associations[0].vpc_id.as_str(), "vpc-4283fefc63f0cd0e8");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A report without file positions: the same analysis read from a folder or from its import.
fn located_nowhere(snapshot: &vpcreach::model::Snapshot) -> Value {
    let analysis = analyze_runner(snapshot);
    let mut report = serde_json::to_value(vpcreach::report::json_report(snapshot, &analysis, &[])).unwrap();
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                map.remove("locations");
                map.values_mut().for_each(strip);
            }
            Value::Array(list) => list.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut report);
    report
}

/// `vpcreach import DIR` then `analyze` equals `analyze DIR`, for every Batfish folder and for a
/// folder of plain route search answers.
#[test]
fn import_round_trips_every_folder() {
    let mut folders: Vec<std::path::PathBuf> = Vec::new();
    if let Some(shared) = shared() {
        let base = shared.join("external/batfish-aws");
        let mut names: Vec<_> =
            std::fs::read_dir(&base).unwrap().filter_map(|e| e.ok()).filter(|e| e.path().is_dir()).map(|e| e.path()).collect();
        names.sort();
        folders.extend(names);
    }
    folders.push(hub_egress_folder("import", |_, _| {}));
    assert!(!folders.is_empty());
    for dir in &folders {
        let direct = load(dir);
        let merged = vpcreach::model::import::import_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let text = serde_json::to_string_pretty(&merged).unwrap();
        let imported =
            vpcreach::model::load_str("imported.json", &text).unwrap_or_else(|e| panic!("{}: import does not load: {e:?}", dir.display()));
        assert_eq!(direct.vpcs.len(), imported.vpcs.len(), "{}", dir.display());
        assert_eq!(direct.scopes.len(), imported.scopes.len(), "{}: scopes", dir.display());
        assert_eq!(located_nowhere(&direct), located_nowhere(&imported), "{}: the import analyses differently", dir.display());
    }
}

/// `import` writes only valid folders, and its file is private.
#[test]
fn import_cli_writes_an_owner_only_file_and_refuses_bad_input() {
    let dir = hub_egress_folder("import-cli", |_, _| {});
    let out = dir.join("merged.json");
    let status =
        std::process::Command::new(env!("CARGO_BIN_EXE_vpcreach")).args(["import"]).arg(&dir).arg("-o").arg(&out).status().unwrap();
    assert_eq!(status.code(), Some(0));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
    }
    std::fs::remove_file(&out).unwrap();
    std::fs::write(dir.join("Broken.json"), "{\"Vpcs\": [ {\"VpcId\": 3} ]}").unwrap();
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_vpcreach")).args(["import"]).arg(&dir).arg("-o").arg(&out).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(!out.exists(), "nothing is written for an invalid folder");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("Broken.json"), "{}", String::from_utf8_lossy(&bad.stderr));
    let _ = std::fs::remove_dir_all(&dir);
    // A folder with no subnet (a wrong path, an empty export) is refused, as `analyze` does.
    let empty = std::env::temp_dir().join(format!("vpcreach-import-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let none = std::process::Command::new(env!("CARGO_BIN_EXE_vpcreach")).args(["import"]).arg(&empty).output().unwrap();
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("nothing to import"), "{}", String::from_utf8_lossy(&none.stderr));
    assert!(none.stdout.is_empty());
    let _ = std::fs::remove_dir_all(&empty);
}

/// Every list of `v`, reversed (a permutation that moves every element of lists of 3 or more),
/// except DHCP option values, whose order is the resolvers' order of preference.
fn reverse_lists(v: &mut Value) {
    match v {
        Value::Array(list) => {
            list.reverse();
            list.iter_mut().for_each(reverse_lists);
        }
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if key == "Values" && value.as_array().is_some_and(|l| l.iter().all(|x| x.get("Value").is_some())) {
                    continue;
                }
                reverse_lists(value);
            }
        }
        _ => {}
    }
}

/// A report as a set: results sorted by (workload, subnet, service), their diagnostics sorted,
/// locations dropped (the reordered file has other line numbers).
fn canonical(snapshot: &vpcreach::model::Snapshot, name: &str) -> Vec<String> {
    let analysis = crate::util::analyze_fixture(name, snapshot);
    let report = serde_json::to_value(vpcreach::report::json_report(snapshot, &analysis, &[])).unwrap();
    let mut rows: Vec<String> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let mut r = r.clone();
            let mut diagnostics: Vec<String> = r["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| {
                    let mut d = d.clone();
                    d.as_object_mut().unwrap().remove("locations");
                    d.to_string()
                })
                .collect();
            diagnostics.sort();
            r["diagnostics"] = serde_json::json!(diagnostics);
            r.to_string()
        })
        .collect();
    rows.sort();
    // The byte-order mark is a property of the file, not of its lists.
    let mut global: Vec<String> =
        report["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] != "VPCR003").map(|d| d["message"].to_string()).collect();
    global.sort();
    rows.extend(global);
    rows
}

/// The analysis does not depend on the order of any list in the snapshot (issue 6).
#[test]
fn analysis_is_invariant_under_reordering_every_list() {
    for name in fixture_names() {
        let path = root().join("fixtures").join(&name).join("snapshot.json");
        let text = std::fs::read_to_string(&path).unwrap();
        let mut value: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap();
        reverse_lists(&mut value);
        let reordered = vpcreach::model::load_str("reordered.json", &serde_json::to_string_pretty(&value).unwrap())
            .unwrap_or_else(|e| panic!("{name}: reordered snapshot does not load: {e:?}"));
        let original = load(&path);
        let (a, b) = (canonical(&original, &name), canonical(&reordered, &name));
        let differ = a.iter().zip(&b).find(|(x, y)| x != y);
        assert!(a.len() == b.len() && differ.is_none(), "{name}: the analysis depends on list order: {differ:?}");
    }
}

/// A shared VPC (RAM) seen from the participant account alone: its copies of the owner's VPC and
/// subnets are used, the owner's route tables are not in its export, so every result is
/// `unknown` (VPCR002) and the help names the owner account to export, not the key the
/// participant already exported.
#[test]
fn a_shared_vpc_seen_by_its_participant_alone_asks_for_the_owners_export() {
    let snapshot = load(&root().join("fixtures/shared-vpc-participant-only"));
    let analysis = analyze_runner(&snapshot);
    let report = serde_json::to_value(vpcreach::report::json_report(&snapshot, &analysis, &[])).unwrap();
    let results = report["results"].as_array().unwrap();
    assert_eq!(results.len(), 10);
    for r in results {
        assert_eq!(r["verdict"], "unknown", "{r}");
        let helps: Vec<&str> =
            r["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "VPCR002").filter_map(|d| d["help"].as_str()).collect();
        assert!(!helps.is_empty(), "{r}");
        for help in helps {
            assert!(help.contains("shared with account 444455556666 by account 111122223333 (RAM)"), "{help}");
            assert!(help.contains("add account 111122223333's export"), "{help}");
        }
    }
}
