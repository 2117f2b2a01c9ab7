//! `vpcreach diff`: what a change breaks or fixes, exit 1 on a regression, four formats
//! (goldens of the what-if pairs in tests/snapshots/tests__diff__*.snap; the HTML page is checked
//! cell by cell against the JSON diff instead).

use assert_cmd::Command;
use serde_json::Value;

const ADD_S3: &str = "fixtures/what-if/add-s3-gateway-endpoint";
const DELETE_NAT: &str = "fixtures/what-if/delete-nat";

fn diff(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::cargo_bin("vpcreach").unwrap().arg("diff").args(args).output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn json(args: &[&str]) -> (Option<i32>, Value) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (code, stdout, stderr) = diff(&all);
    (code, serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}")))
}

#[test]
fn deleting_the_nat_regresses_every_result() {
    let base = format!("{DELETE_NAT}/snapshot.json");
    let (code, v) = json(&[&base, "--overlay", &format!("{DELETE_NAT}/overlay.json")]);
    assert_eq!(code, Some(1));
    assert_eq!(v["schema"], "vpcreach/diff/v1");
    assert_eq!(v["status"], "regressed");
    assert_eq!(v["old"], base.as_str());
    assert_eq!(v["new"], format!("{base} + {DELETE_NAT}/overlay.json"));
    assert_eq!(v["summary"]["compared"], 10);
    assert_eq!(v["summary"]["became_unreachable"], 10);
    assert_eq!(v["summary"]["became_reachable"], 0);
    let changes = v["changes"].as_array().unwrap();
    assert!(changes.iter().all(|c| c["kind"] == "became_unreachable" && c["is_regression"] == true));
    assert_eq!(changes[0]["old"]["path"][1], "nat-09d86fe5cd1d54dca");
    assert_eq!(changes[0]["new"]["verdict"], "unreachable");
    let appeared: Vec<&str> = v["diagnostics"]["appeared"].as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).collect();
    assert!(appeared.contains(&"VPCR102"), "{appeared:?}");
    let blackhole = v["diagnostics"]["appeared"].as_array().unwrap().iter().find(|d| d["code"] == "VPCR102").unwrap();
    assert_eq!(blackhole["severity"], "error");
    assert_eq!(blackhole["results"].as_array().unwrap().len(), 2, "{blackhole}");
}

/// The same change seen backwards (`--old-overlay`): everything became reachable, exit 0.
#[test]
fn restoring_the_nat_is_no_regression() {
    let base = format!("{DELETE_NAT}/snapshot.json");
    let (code, v) = json(&[&base, &base, "--old-overlay", &format!("{DELETE_NAT}/overlay.json")]);
    assert_eq!(code, Some(0));
    assert_eq!(v["status"], "changed");
    assert_eq!(v["summary"]["became_reachable"], 10);
    assert_eq!(v["summary"]["became_unreachable"], 0);
    assert!(v["diagnostics"]["vanished"].as_array().unwrap().iter().any(|d| d["code"] == "VPCR102"));
}

#[test]
fn adding_the_s3_endpoint_fixes_s3() {
    let (code, v) = json(&[&format!("{ADD_S3}/snapshot.json"), "--overlay", &format!("{ADD_S3}/overlay.json")]);
    assert_eq!(code, Some(0));
    assert_eq!(v["summary"]["became_reachable"], 2);
    let changes = v["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2);
    assert!(changes.iter().all(|c| c["service"] == "s3" && c["new"]["egress"] == "gateway_endpoint"));
    let vanished: Vec<&str> = v["diagnostics"]["vanished"].as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!(vanished, ["VPCR101", "VPCR305", "VPCR305"]);
}

/// A path or egress change without a verdict change: NAT to gateway endpoint for S3 only.
#[test]
fn a_changed_egress_is_reported_without_regression() {
    let (code, v) = json(&[
        "fixtures/ecr-endpoints-without-s3-path/snapshot.json",
        "--overlay",
        &format!("{ADD_S3}/overlay.json"),
        "--service",
        "logs",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(v["status"], "unchanged");
    assert_eq!(v["summary"]["compared"], 2);
    // NAT gateway base, S3 through the NAT; the overlay replaces nothing there, so compare the
    // NAT fixture with itself plus an overlay that routes S3 to a new gateway endpoint.
    let overlay = std::env::temp_dir().join(format!("vpcreach-diff-{}-s3.json", std::process::id()));
    let snapshot: Value = serde_json::from_str(&std::fs::read_to_string(format!("{DELETE_NAT}/snapshot.json")).unwrap()).unwrap();
    let mut table =
        snapshot["RouteTables"].as_array().unwrap().iter().find(|t| t["RouteTableId"] == "rtb-0ebad6f1d5696733d").unwrap().clone();
    table["Routes"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"DestinationPrefixListId": "pl-63a5400a", "GatewayId": "vpce-0aaaaaaaaaaaaaaaa", "State": "active"}));
    let endpoint = serde_json::json!({"VpcEndpointId": "vpce-0aaaaaaaaaaaaaaaa", "VpcEndpointType": "Gateway", "VpcId": "vpc-0e825ac7db2816231",
        "ServiceName": "com.amazonaws.us-east-1.s3", "State": "available", "RouteTableIds": ["rtb-0ebad6f1d5696733d"]});
    std::fs::write(&overlay, serde_json::json!({"RouteTables": [table], "VpcEndpoints": [endpoint]}).to_string()).unwrap();
    let (code, v) = json(&[&format!("{DELETE_NAT}/snapshot.json"), "--overlay", overlay.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(v["status"], "changed");
    let changes = v["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2, "{v}");
    for c in changes {
        assert_eq!(c["kind"], "egress_changed");
        assert_eq!(c["is_regression"], false);
        assert_eq!(c["old"]["egress"], "nat_gateway");
        assert_eq!(c["new"]["egress"], "gateway_endpoint");
        assert_eq!(c["new"]["path"][1], "vpce-0aaaaaaaaaaaaaaaa");
    }
}

/// A service added by the change whose results are not reachable (here unknown: its group
/// allows egress only to a prefix list the snapshot lacks, a warning, no new error) is a
/// regression: the gate must not pass a change that adds a failing workload.
#[test]
fn an_added_result_that_is_not_reachable_is_a_regression() {
    let dir = std::env::temp_dir().join(format!("vpcreach-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let overlay = dir.join("add-batch.json");
    std::fs::write(
        &overlay,
        r#"{"EcsServices": [{"serviceArn": "arn:aws:ecs:us-east-1:111122223333:service/runner-cluster/batch", "serviceName": "batch",
            "clusterArn": "arn:aws:ecs:us-east-1:111122223333:cluster/runner-cluster", "launchType": "FARGATE",
            "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-07c120de9e1c32ec3"], "securityGroups": ["sg-0c1d2e3f4a5b6c7d8"], "assignPublicIp": "DISABLED"}}}],
          "SecurityGroups": [{"GroupName": "batch-tasks", "IpPermissions": [], "OwnerId": "111122223333", "GroupId": "sg-0c1d2e3f4a5b6c7d8",
            "IpPermissionsEgress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "PrefixListIds": [{"PrefixListId": "pl-0aaaaaaaaaaaaaaa1"}]}],
            "VpcId": "vpc-0e825ac7db2816231"}]}"#,
    )
    .unwrap();
    let base = format!("{DELETE_NAT}/snapshot.json");
    let (code, v) = json(&[&base, "--overlay", overlay.to_str().unwrap(), "--service", "s3"]);
    assert_eq!(code, Some(1), "{v}");
    assert_eq!(v["status"], "regressed");
    let added: Vec<&Value> = v["changes"].as_array().unwrap().iter().filter(|c| c["kind"] == "added").collect();
    assert_eq!(added.len(), 1, "{v}");
    assert_eq!(added[0]["new"]["verdict"], "unknown");
    assert_eq!(added[0]["is_regression"], true);
    assert!(v["diagnostics"]["appeared"].as_array().unwrap().iter().all(|d| d["severity"] != "error"), "{v}");
    // The same service with the tasks' working group: added, reachable, no regression.
    let working = std::fs::read_to_string(&overlay)
        .unwrap()
        .replace("\"securityGroups\": [\"sg-0c1d2e3f4a5b6c7d8\"]", "\"securityGroups\": [\"sg-026f49527bea6a90c\"]");
    let working_path = dir.join("add-batch-working.json");
    std::fs::write(&working_path, working).unwrap();
    let (code, v) = json(&[&base, "--overlay", working_path.to_str().unwrap(), "--service", "s3"]);
    assert_eq!(code, Some(0), "{v}");
    let added: Vec<&Value> = v["changes"].as_array().unwrap().iter().filter(|c| c["kind"] == "added").collect();
    assert_eq!((added.len(), &added[0]["new"]["verdict"], &added[0]["is_regression"]), (1, &Value::from("reachable"), &Value::from(false)));
}

#[test]
fn identical_sides_are_unchanged() {
    let (code, stdout, _) = diff(&["fixtures/nat-gateway/snapshot.json", "fixtures/nat-gateway/snapshot.json"]);
    assert_eq!(code, Some(0));
    assert!(
        stdout
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("10 results compared: no result changed; diagnostics: 0 appeared, 0 vanished: UNCHANGED"),
        "{stdout}"
    );
}

#[test]
fn bad_input_exits_2() {
    let (code, _, stderr) = diff(&["no/such.json", "fixtures/nat-gateway/snapshot.json"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("cannot read no/such.json"), "{stderr}");
    let (code, _, stderr) = diff(&["fixtures/nat-gateway/snapshot.json", "--service", "nope"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("unknown service `nope`"), "{stderr}");
    let (code, _, stderr) = diff(&["fixtures/nat-gateway/snapshot.json", "--subnet", "subnet-0000"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("--subnet subnet-0000 is not in the snapshot"), "{stderr}");
    let (code, _, _) = diff(&["fixtures/nat-gateway/snapshot.json", "--format", "yaml"]);
    assert_eq!(code, Some(2));
    // `--color` as `analyze` takes it: `always` colours the located error, `never` does not.
    let invalid = "fixtures/invalid/trailing-comma.json";
    let (code, _, stderr) = diff(&[invalid, "--color", "always"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains('\u{1b}'), "{stderr}");
    let (code, _, stderr) = diff(&[invalid, "--color", "never"]);
    assert_eq!(code, Some(2));
    assert!(!stderr.contains('\u{1b}') && stderr.contains("trailing-comma.json"), "{stderr}");
}

/// Goldens of both what-if pairs in the three formats (reviewed).
#[test]
fn golden_diffs() {
    for (name, dir) in [("add-s3-gateway-endpoint", ADD_S3), ("delete-nat", DELETE_NAT)] {
        for format in ["human", "json", "markdown"] {
            let (_, stdout, stderr) =
                diff(&[&format!("{dir}/snapshot.json"), "--overlay", &format!("{dir}/overlay.json"), "--format", format]);
            assert!(stderr.is_empty(), "{stderr}");
            insta::assert_snapshot!(format!("{name}.{format}"), stdout);
        }
    }
}

/// Every diff validates against docs/diff-v1.schema.json (no field left undocumented),
/// including results only one side has (`old`/`new` null).
#[test]
fn json_diffs_validate_against_the_schema_file() {
    let schema: Value = serde_json::from_str(&std::fs::read_to_string("docs/diff-v1.schema.json").unwrap()).unwrap();
    let runs: [Vec<String>; 4] = [
        vec![format!("{DELETE_NAT}/snapshot.json"), "--overlay".into(), format!("{DELETE_NAT}/overlay.json")],
        vec![format!("{ADD_S3}/snapshot.json"), "--overlay".into(), format!("{ADD_S3}/overlay.json")],
        vec!["fixtures/nat-gateway/snapshot.json".into(), "fixtures/private-endpoints/snapshot.json".into()],
        vec!["fixtures/nat-gateway/snapshot.json".into()],
    ];
    let mut kinds = std::collections::BTreeSet::new();
    for args in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (_, v) = json(&args);
        let mut errors = Vec::new();
        crate::fixtures::validate(&schema, &schema, &v, "$", &mut errors);
        assert!(errors.is_empty(), "{args:?}: {}", errors.join("\n"));
        kinds.extend(v["changes"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap().to_owned()));
    }
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), ["added", "became_reachable", "became_unreachable", "removed"]);
    let mut errors = Vec::new();
    crate::fixtures::validate(&schema, &schema, &serde_json::json!({"schema": "vpcreach/diff/v1", "status": "broken"}), "$", &mut errors);
    assert!(errors.len() >= 5, "{errors:?}");
}

/// The cells of a `--format html` page: (workload, subnet, service) → `data-change`.
fn html_cells(html: &str) -> std::collections::BTreeMap<(String, String, String), String> {
    let attr = |text: &str, name: &str| -> String {
        let start = text.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        text[start..start + text[start..].find('"').unwrap()].to_owned()
    };
    let mut cells = std::collections::BTreeMap::new();
    for row in html.split("<tr data-workload=").skip(1) {
        let row = &row[..row.find("</tr>").unwrap()];
        let (workload, subnet) = (attr(&format!("w={row}"), "w"), attr(row, "data-subnet"));
        for cell in row.split("<td class=\"cell ").skip(1) {
            let key = (workload.clone(), subnet.clone(), attr(cell, "data-service"));
            assert!(cells.insert(key, attr(cell, "data-change")).is_none(), "a cell twice");
        }
    }
    cells
}

/// `--format html` shows the change of each cell as `--format json` does, with the same exit
/// code, and the same bytes on every run.
#[test]
fn html_page_shows_the_changes_of_the_json_diff() {
    let cases: [(Vec<String>, i32, &str); 3] = [
        (vec![format!("{DELETE_NAT}/snapshot.json"), "--overlay".into(), format!("{DELETE_NAT}/overlay.json")], 1, "regressed"),
        (
            vec![
                format!("{DELETE_NAT}/snapshot.json"),
                format!("{DELETE_NAT}/snapshot.json"),
                "--old-overlay".into(),
                format!("{DELETE_NAT}/overlay.json"),
            ],
            0,
            "changed",
        ),
        (vec![format!("{ADD_S3}/snapshot.json"), "--overlay".into(), format!("{ADD_S3}/overlay.json")], 0, "changed"),
    ];
    for (args, expected_code, status) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (_, v) = json(&args);
        let mut html_args = args.clone();
        html_args.extend(["--format", "html"]);
        let (code, html, stderr) = diff(&html_args);
        assert_eq!(code, Some(*expected_code), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{stderr}");
        assert!(html.contains(&format!("<span id=\"status\" class=\"status-{status}\"")), "{args:?}");
        let cells = html_cells(&html);
        assert_eq!(cells.len(), v["summary"]["compared"].as_u64().unwrap() as usize, "{args:?}");
        let changes = v["changes"].as_array().unwrap();
        assert!(!changes.is_empty());
        for c in changes {
            let key = (
                c["workload"].as_str().unwrap().to_owned(),
                c["subnet_id"].as_str().unwrap().to_owned(),
                c["service"].as_str().unwrap().to_owned(),
            );
            assert_eq!(cells.get(&key).map(String::as_str), c["kind"].as_str(), "{args:?}: {key:?}");
        }
        assert_eq!(cells.values().filter(|k| *k != "unchanged").count(), changes.len(), "{args:?}: the other cells are unchanged");
        for d in v["diagnostics"]["appeared"].as_array().unwrap() {
            let section = &html[html.find("<section id=\"appeared\">").unwrap()..html.find("<section id=\"vanished\">").unwrap()];
            assert!(section.contains(&format!("data-code=\"{}\"", d["code"].as_str().unwrap())), "{args:?}: {d}");
        }
        assert_eq!(diff(&html_args).1, html, "{args:?}: deterministic");
    }
    // S3 became reachable through the new endpoint: the new side's path shows it.
    let (_, html, _) = diff(&[&format!("{ADD_S3}/snapshot.json"), "--overlay", &format!("{ADD_S3}/overlay.json"), "--format", "html"]);
    let cells = html_cells(&html);
    assert_eq!(cells.values().filter(|k| *k == "became_reachable").count(), 2);
    assert!(cells.iter().filter(|(_, k)| *k == "became_reachable").all(|((_, _, service), _)| service == "s3"));
    assert!(html.contains("<code class=\"hop-id\">vpce-0c4d2e8f1a3b5c7d9</code>"));
    let (code, _, _) = diff(&["no/such.json", "--format", "html"]);
    assert_eq!(code, Some(2));
}
