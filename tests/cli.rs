use assert_cmd::Command;

fn vpcreach() -> Command {
    Command::cargo_bin("vpcreach").unwrap()
}

fn write_temp(name: &str, content: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("vpcreach-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

#[test]
fn ready_snapshot_exits_0() {
    let out = vpcreach().args(["analyze", "fixtures/private-endpoints/snapshot.json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("READY"));
}

#[test]
fn degraded_snapshot_exits_1_and_names_the_fix() {
    let out = vpcreach().args(["analyze", "fixtures/igw-route-no-public-ip/snapshot.json", "--color", "never"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("VPCR103"), "{stdout}");
    assert!(stdout.contains("Assign Public IP"), "{stdout}");
}

#[test]
fn json_format_is_valid_json() {
    let out = vpcreach().args(["analyze", "fixtures/nat-gateway/snapshot.json", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], "ready");
    assert!(v["results"].as_array().unwrap().iter().all(|r| r["egress"] == "nat_gateway"));
}

#[test]
fn stack_profile_checks_eighteen_services_and_the_management_plane() {
    let out =
        vpcreach().args(["analyze", "fixtures/nat-gateway/snapshot.json", "--format", "json", "--profile", "stack"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let services: std::collections::BTreeSet<&str> =
        v["results"].as_array().unwrap().iter().filter_map(|r| r["service"].as_str()).collect();
    assert_eq!(services.len(), 19);
}

#[test]
fn ad_hoc_subnet_with_public_ip() {
    let out = vpcreach()
        .args([
            "analyze",
            "fixtures/igw-route-no-public-ip/snapshot.json",
            "--format",
            "json",
            "--subnet",
            "subnet-043f5b747573b8685",
            "--assign-public-ip",
            "--service",
            "logs",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["results"][0]["verdict"], "reachable", "{v}");
    assert_eq!(v["results"][0]["egress"], "internet_gateway");
    assert_eq!(v["results"][0]["access_type"], "internet_gateway");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn invalid_json_exits_2_with_line_and_column() {
    let path = write_temp("broken.json", b"{\n  \"Vpcs\": [\n    {\"VpcId\": \"vpc-1\",}\n  ]\n}\n");
    let out = vpcreach().args(["analyze", path.to_str().unwrap(), "--color", "never"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("broken.json:3:"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn wrong_type_exits_2_pointing_at_the_field() {
    let path = write_temp(
        "wrongtype.json",
        b"{\n  \"Subnets\": [\n    {\"SubnetId\": \"subnet-1\", \"VpcId\": \"vpc-1\", \"CidrBlock\": 42}\n  ]\n}\n",
    );
    let out = vpcreach().args(["analyze", path.to_str().unwrap(), "--color", "never"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("wrongtype.json:3:"), "{stderr}");
    assert!(stderr.contains("invalid type"), "{stderr}");
}

#[test]
fn dangling_reference_and_bad_cidr_are_both_reported() {
    let text = br#"{
  "Vpcs": [ {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"} ],
  "Subnets": [
    {"SubnetId": "subnet-1", "VpcId": "vpc-9", "CidrBlock": "10.0.1.0/24"},
    {"SubnetId": "subnet-2", "VpcId": "vpc-1", "CidrBlock": "10.0.300.0/24"}
  ]
}"#;
    let path = write_temp("dangling.json", text);
    let out = vpcreach().args(["analyze", path.to_str().unwrap(), "--color", "never"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("vpc-9"), "{stderr}");
    assert!(stderr.contains("10.0.300.0/24"), "{stderr}");
    assert!(stderr.contains("dangling.json:4:"), "{stderr}");
}

#[test]
fn missing_file_and_usage_errors_exit_2() {
    let out = vpcreach().args(["analyze", "does/not/exist.json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = vpcreach().args(["analyze"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = vpcreach().args(["analyze", "fixtures/nat-gateway/snapshot.json", "--service", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn unknown_keys_are_reported_once() {
    let snapshot = std::fs::read_to_string("fixtures/nat-gateway/snapshot.json").unwrap();
    let snapshot = snapshot.replacen('{', r#"{"Subnet": [1, 2], "Reservations": [],"#, 1);
    let path = write_temp("unknown.json", snapshot.as_bytes());
    let out = vpcreach().args(["analyze", path.to_str().unwrap(), "--format", "json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let unknown: Vec<&serde_json::Value> = v["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "VPCR001").collect();
    assert_eq!(unknown.len(), 1);
    assert!(unknown[0]["message"].as_str().unwrap().contains("`Subnet` (2 items)"));
    // Each key is located, so that one in another file of a folder can be found.
    let lines: Vec<u64> = unknown[0]["locations"].as_array().unwrap().iter().filter_map(|l| l["line"].as_u64()).collect();
    assert_eq!(lines.len(), 2, "{}", unknown[0]);
}

/// `--to NAME:PORT`: the VPC's own interface endpoints answer for the names their private DNS
/// covers (EP-6), the ECR registry name through the `*.dkr.ecr` wildcard; a name nothing in
/// the snapshot answers for stays unknown.
#[test]
fn to_a_name_is_answered_by_endpoint_private_dns() {
    let fixture = "fixtures/private-endpoints/snapshot.json";
    for (name, endpoint) in [
        ("logs.us-east-1.amazonaws.com:443", "vpce-033ce0ea608ad93bc"),
        ("111122223333.dkr.ecr.us-east-1.amazonaws.com:443", "vpce-0554b0ab1823042f0"),
    ] {
        let (code, results) = json_results(&["analyze", fixture, "--to", name]);
        assert_eq!(code, Some(0), "{name}");
        assert_eq!(results.len(), 2);
        for r in &results {
            assert_eq!(r["verdict"], "reachable", "{name}: {r}");
            assert_eq!(r["egress"], "interface_endpoint", "{name}");
            assert_eq!(r["access_type"], "vpc_endpoint", "{name}");
            assert!(r["path"].as_array().unwrap().iter().any(|h| h["resource_id"] == endpoint), "{name}: {r}");
        }
    }
    let (code, results) = json_results(&["analyze", fixture, "--to", "example.com:443"]);
    assert_eq!(code, Some(1));
    assert!(results.iter().all(|r| r["verdict"] == "unknown"));
}

/// A reader that stops early (`vpcreach generate | head`) is not an error: exit 0, nothing
/// on standard error.
#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("vpcreach"))
        .args(["generate", "--vpcs", "20"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 10];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("Broken pipe"));
}

/// Without ECS services every subnet is its own workload: its heading names it once.
#[test]
fn an_audited_subnet_is_named_once_in_its_heading() {
    let text = std::fs::read_to_string("fixtures/nat-gateway/snapshot.json").unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v.as_object_mut().unwrap().remove("EcsServices");
    let path = write_temp("no-services.json", serde_json::to_string_pretty(&v).unwrap().as_bytes());
    let out = vpcreach().args(["analyze", path.to_str().unwrap(), "--color", "never"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let heading = stdout.lines().find(|l| l.starts_with("subnet-07c120de9e1c32ec3")).unwrap_or_else(|| panic!("{stdout}"));
    assert_eq!(heading, "subnet-07c120de9e1c32ec3 (us-east-1a) · vpc-0e825ac7db2816231");
}

/// `--to` an endpoint ENI's address walks to that ENI alone (the other ENIs of the endpoint are
/// not dialled): in `hub-endpoints-attachment-one-az` the us-east-1a ENI answers, the us-east-1b
/// one cannot reply through the transit gateway (TGW-2).
#[test]
fn to_an_endpoint_address_walks_to_that_eni_alone() {
    let fixture = "fixtures/hub-endpoints-attachment-one-az/snapshot.json";
    let (code, results) = json_results(&["analyze", fixture, "--to", "10.100.20.11:443"]);
    assert_eq!(code, Some(0));
    assert!(results.iter().all(|r| r["verdict"] == "reachable" && r["egress"] == "interface_endpoint"), "{results:?}");
    let (code, results) = json_results(&["analyze", fixture, "--to", "10.100.21.11:443"]);
    assert_eq!(code, Some(1));
    for r in &results {
        assert_eq!(r["verdict"], "unreachable", "{r}");
        let codes: Vec<&str> = r["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).collect();
        assert_eq!(codes, ["VPCR404"], "{r}");
    }
}

/// A snapshot with no subnet captured nothing: exit 2, never "0 checks … READY" (a wrong path
/// or a failed export would pass a CI gate). Unknown keys, the likely cause, are named.
#[test]
fn nothing_to_analyse_exits_2() {
    for (name, text) in [("empty.json", &br#"{}"#[..]), ("typo.json", br#"{"Region": "us-east-1", "Subnet": [], "Vpcs": []}"#)] {
        let path = write_temp(name, text);
        let out = vpcreach().args(["analyze", path.to_str().unwrap()]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("nothing to analyse") && stderr.contains("holds no subnet"), "{name}: {stderr}");
        assert_eq!(name == "typo.json", stderr.contains("`Subnet`"), "{name}: {stderr}");
    }
    let dir = std::env::temp_dir().join(format!("vpcreach-test-{}-empty-dir", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = vpcreach().args(["analyze", dir.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}

/// `--ignore` takes rule codes; anything else would ignore nothing without a word.
#[test]
fn ignore_refuses_unknown_codes() {
    let fixture = "fixtures/private-endpoints/snapshot.json";
    let out = vpcreach().args(["analyze", fixture, "--ignore", "VPCR999"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no diagnostic has this code"));
    let out = vpcreach().args(["analyze", fixture, "--ignore", "blackhole-route"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is VPCR102"));
    let out = vpcreach().args(["analyze", fixture, "--ignore", "vpcr006"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

/// FG-2: the ad-hoc workload's security groups must be in its subnets' VPC; subnets of several
/// VPCs are fine without `--security-group` (each gets its VPC's default group).
#[test]
fn security_group_of_another_vpc_is_refused() {
    let fixture = "fixtures/hub-egress/snapshot.json";
    let spoke = ["--subnet", "subnet-0dea5a00a8223f2e0"];
    let hub = ["--subnet", "subnet-01991a4416a68a7ad"];
    let out =
        vpcreach().args(["analyze", fixture]).args(spoke).args(hub).args(["--security-group", "sg-00ac8afef0ca88257"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--security-group sg-00ac8afef0ca88257 is in vpc-0f65c1d6f89b01f2d") && stderr.contains("FG-2"), "{stderr}");
    let out = vpcreach().args(["analyze", fixture]).args(spoke).args(["--security-group", "sg-00ac8afef0ca88257"]).output().unwrap();
    assert_ne!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let out = vpcreach().args(["analyze", fixture]).args(spoke).args(hub).output().unwrap();
    assert_ne!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn rules_and_explain() {
    let out = vpcreach().args(["rules", "--format", "json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.as_array().unwrap().iter().any(|r| r["name"] == "igw-route-without-public-ip"));
    let out = vpcreach().args(["explain", "VPCR103"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("## How to fix"));
    let out = vpcreach().args(["explain", "VPCR999"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

fn json_results(args: &[&str]) -> (Option<i32>, Vec<serde_json::Value>) {
    let out = vpcreach().args(args).args(["--format", "json"]).output().unwrap();
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), v["results"].as_array().unwrap().clone())
}

/// `--to ADDRESS:PORT` traces only that destination: the hub endpoint ENI over the TGW, with
/// the reply's tables on the path.
#[test]
fn to_traces_an_address_across_the_transit_gateway() {
    let (code, results) = json_results(&["analyze", "fixtures/hub-endpoints-phz/snapshot.json", "--to", "10.100.20.10:443"]);
    assert_eq!(code, Some(0));
    assert_eq!(results.len(), 2, "one destination from each of the two task subnets");
    for r in &results {
        assert_eq!(r["service"], "10.100.20.10:443");
        assert_eq!(r["verdict"], "reachable");
        assert_eq!(r["egress"], "interface_endpoint");
        let kinds: Vec<&str> = r["path"].as_array().unwrap().iter().map(|h| h["kind"].as_str().unwrap()).collect();
        for kind in ["transit_gateway_attachment", "transit_gateway", "transit_gateway_route_table", "interface_endpoint"] {
            assert!(kinds.contains(&kind), "{kinds:?} lacks {kind}");
        }
        assert!(kinds.iter().any(|k| k.starts_with("return_")), "the reply's lookups are on the path: {kinds:?}");
    }
}

/// An address in the hub's CIDR that no subnet holds: followed to the hub, then `unknown`
/// with VPCR007, never a guess.
#[test]
fn to_an_address_outside_the_snapshot_is_unknown() {
    let (code, results) = json_results(&["analyze", "fixtures/hub-endpoints-phz/snapshot.json", "--to", "10.100.99.9:443"]);
    assert_eq!(code, Some(1));
    for r in &results {
        assert_eq!(r["verdict"], "unknown");
        assert!(r["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "VPCR007"), "{r}");
    }
}

#[test]
fn malformed_to_is_a_usage_error() {
    for bad in ["10.0.0.1", "host:0", "host:https", ":443"] {
        let out = vpcreach().args(["analyze", "fixtures/nat-gateway/snapshot.json", "--to", bad]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "--to {bad}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("ADDRESS:PORT"), "--to {bad}");
    }
}

/// `--management-plane` adds app.gitpod.io:443 to the runner's five services. The NAT fixture
/// reaches it over the internet.
#[test]
fn management_plane_joins_the_runner_profile() {
    let (code, results) = json_results(&["analyze", "fixtures/nat-gateway/snapshot.json", "--management-plane"]);
    assert_eq!(code, Some(0));
    let plane: Vec<_> = results.iter().filter(|r| r["service"] == "management-plane").collect();
    assert_eq!(plane.len(), 2);
    for r in plane {
        assert_eq!(r["hostname"], "app.gitpod.io");
        assert_eq!(r["verdict"], "reachable");
        assert_eq!(r["egress"], "nat_gateway");
    }
    assert_eq!(results.len(), 12);
}

/// `docs/rules.md` is what `vpcreach rules --format markdown` prints today.
#[test]
fn docs_rules_md_is_current() {
    let out = vpcreach().args(["rules", "--format", "markdown"]).output().unwrap();
    let generated = String::from_utf8(out.stdout).unwrap();
    let file = std::fs::read_to_string("docs/rules.md").unwrap();
    assert!(file == generated, "docs/rules.md is stale: run `cargo run -- rules --format markdown > docs/rules.md` and review the diff");
    for rule in vpcreach::rules::RULES {
        let anchor = rule.docs_path();
        let heading = format!("## {} {}", rule.code, rule.name);
        assert!(file.contains(&heading), "{heading}");
        assert!(anchor.ends_with(&format!("#{}-{}", rule.code.to_lowercase(), rule.name)), "{anchor}");
    }
}

/// SARIF 2.1.0: the shape GitHub code scanning reads, every result located on the snapshot
/// JSON element the finding points at.
#[test]
fn sarif_output_locates_findings_in_the_snapshot() {
    let path = "fixtures/igw-route-no-public-ip/snapshot.json";
    let out = vpcreach().args(["analyze", path, "--format", "sarif"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), vpcreach::rules::RULES.len());
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert!(matches!(r["level"].as_str(), Some("error" | "warning" | "note")));
        assert!(r["message"]["text"].as_str().unwrap().contains("Fix: "), "{r}");
        let location = &r["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], path);
        let (line, column) = (location["region"]["startLine"].as_u64().unwrap(), location["region"]["startColumn"].as_u64().unwrap());
        let at: String = lines[line as usize - 1].chars().skip(column as usize - 1).take(1).collect();
        assert!(at == "{" || at == "[", "{}:{line}:{column} is `{at}`, not a JSON element", r["ruleId"]);
        assert!(r["partialFingerprints"]["vpcreachFinding/v1"].as_str().is_some_and(|f| f.len() == 16));
    }
    assert!(results.iter().any(|r| r["ruleId"] == "VPCR103"));
    // Same snapshot, same bytes.
    let again = vpcreach().args(["analyze", path, "--format", "sarif"]).output().unwrap();
    assert_eq!(out.stdout, again.stdout);
}

/// `--fail-on`: the default fails on a degraded result; `error` and `warning` fail on what
/// remains after `--ignore`.
#[test]
fn fail_on_and_ignore_decide_the_exit_code() {
    let degraded = "fixtures/igw-route-no-public-ip/snapshot.json";
    let code = |args: &[&str]| vpcreach().args(args).output().unwrap().status.code();
    assert_eq!(code(&["analyze", degraded]), Some(1));
    assert_eq!(code(&["analyze", degraded, "--fail-on", "error"]), Some(1));
    assert_eq!(code(&["analyze", degraded, "--fail-on", "error", "--ignore", "VPCR103"]), Some(0));
    assert_eq!(code(&["analyze", degraded, "--fail-on", "warning", "--ignore", "vpcr103"]), Some(0));
    // Ignoring a code hides it, but the default still fails on the unreachable results.
    assert_eq!(code(&["analyze", degraded, "--ignore", "VPCR103"]), Some(1));
    // A working snapshot with only a warning: passes by default and with error, fails with warning.
    let warned = "fixtures/hub-egress-phz-not-associated/snapshot.json";
    assert_eq!(code(&["analyze", warned]), Some(0));
    assert_eq!(code(&["analyze", warned, "--fail-on", "error"]), Some(0));
    assert_eq!(code(&["analyze", warned, "--fail-on", "warning"]), Some(1));
}

/// EP-24: outside us-east-1 the fix for an unreachable IAM is not "create an IAM endpoint here".
#[test]
fn iam_outside_us_east_1_gets_the_region_aware_fix() {
    let (_, results) = json_results(&["analyze", "fixtures/management-plane-cross-region/snapshot.json", "--service", "iam"]);
    for r in &results {
        assert_eq!(r["verdict"], "unreachable");
        let help: Vec<&str> =
            r["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "VPCR101").filter_map(|d| d["help"].as_str()).collect();
        assert!(help.iter().any(|h| h.contains("only in us-east-1") && h.contains("eu-west-1")), "{help:?}");
    }
}

/// docs/catalogue-coverage.md maps aws-semantics §11 to rules: every code it names exists, and
/// all 52 entries are listed.
#[test]
fn coverage_table_names_only_existing_rules() {
    let text = std::fs::read_to_string("docs/catalogue-coverage.md").unwrap();
    let rows = text.lines().filter(|l| l.starts_with("| ") && l.split('|').nth(1).is_some_and(|c| c.trim().parse::<u32>().is_ok())).count();
    assert_eq!(rows, 52);
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.starts_with("VPCR") && word.len() == 7 {
            assert!(vpcreach::rules::lookup(word).is_some(), "{word} is not a rule");
        }
    }
}

/// docs/iam-policy.json grants exactly the exporter's operations, all read-only, and every SDK
/// call in the exporter's source is one of them.
#[cfg(feature = "aws")]
#[test]
fn iam_policy_lists_exactly_the_exporters_calls() {
    use std::collections::BTreeSet;
    let policy: serde_json::Value = serde_json::from_str(&std::fs::read_to_string("docs/iam-policy.json").unwrap()).unwrap();
    let granted: BTreeSet<String> = policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["Action"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_owned()))
        .collect();
    let operations: BTreeSet<String> = vpcreach::export::OPERATIONS.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(granted, operations, "docs/iam-policy.json and export::OPERATIONS differ");
    for op in &operations {
        let action = op.split(':').nth(1).unwrap();
        assert!(["Describe", "Get", "List", "Search"].iter().any(|p| action.starts_with(p)), "{op} is not read-only");
    }
    // Every request the exporter builds: `.describe_…()`, `.list_…()`, `.get_…()`, `.search_…()`.
    let mut called = BTreeSet::new();
    for entry in std::fs::read_dir("src/export").unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for (i, _) in text.match_indices('.') {
            let rest = &text[i + 1..];
            let name: String = rest.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_' || c.is_ascii_digit()).collect();
            let is_request =
                ["describe_", "list_", "get_", "search_"].iter().any(|p| name.starts_with(p)) && rest[name.len()..].starts_with("()");
            if is_request {
                let pascal: String = name.split('_').map(|w| w[..1].to_uppercase() + &w[1..]).collect();
                called.insert(pascal);
            }
        }
    }
    assert!(called.len() >= 30, "found only {called:?}");
    for op in &called {
        assert!(
            operations.iter().any(|o| o.ends_with(&format!(":{op}"))),
            "the exporter calls {op}, which docs/iam-policy.json does not grant"
        );
    }
}

/// NACL-2: VPCR203's fix takes a rule number that is free in that direction of the ACL and
/// comes before the rule that matched (99 is taken here, so 98).
#[test]
fn nacl_fix_takes_a_free_rule_number() {
    let text = std::fs::read_to_string("fixtures/nacl-rule-order/snapshot.json").unwrap();
    let mut snapshot: serde_json::Value = serde_json::from_str(&text).unwrap();
    let acl = snapshot["NetworkAcls"].as_array_mut().unwrap().iter_mut().find(|a| a["NetworkAclId"] == "acl-086bcff47c49baa8a").unwrap();
    acl["Entries"].as_array_mut().unwrap().push(serde_json::json!({
        "RuleNumber": 99, "Protocol": "-1", "RuleAction": "deny", "Egress": true, "CidrBlock": "192.0.2.0/24"
    }));
    let path = write_temp("nacl-99-taken.json", serde_json::to_string_pretty(&snapshot).unwrap().as_bytes());
    let (_, results) = json_results(&["analyze", path.to_str().unwrap()]);
    let helps: Vec<&str> = results
        .iter()
        .flat_map(|r| r["diagnostics"].as_array().unwrap())
        .filter(|d| d["code"] == "VPCR203")
        .map(|d| d["help"].as_str().unwrap())
        .collect();
    assert!(!helps.is_empty());
    for help in helps {
        assert!(help.contains("--egress --rule-number 98 ") && help.contains("98: the highest free number below 100"), "{help}");
    }
}

/// NACL-3, RT-1: `"NetworkAcls": []` is captured, and every subnet has an ACL: the results are
/// unknown, and VPCR002 says the key holds none for the subnet (with the JSON a design needs),
/// not that `NetworkAcls` was not captured.
#[test]
fn a_captured_key_without_the_subnets_acl_says_so() {
    let text = std::fs::read_to_string("fixtures/nat-gateway/snapshot.json").unwrap();
    let mut snapshot: serde_json::Value = serde_json::from_str(&text).unwrap();
    snapshot["NetworkAcls"] = serde_json::json!([]);
    let path = write_temp("no-acls.json", serde_json::to_string_pretty(&snapshot).unwrap().as_bytes());
    let (_, results) = json_results(&["analyze", path.to_str().unwrap()]);
    assert!(!results.is_empty());
    for r in &results {
        assert_eq!(r["verdict"], "unknown", "{r}");
        let messages: Vec<&str> =
            r["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "VPCR002").filter_map(|d| d["message"].as_str()).collect();
        assert!(messages.iter().any(|m| m.starts_with("`NetworkAcls` holds no network ACL for subnet-")), "{messages:?}");
    }
}

/// A design leaves `State` out: the resource is taken as available, and the report says so
/// (VPCR006), once per kind.
#[test]
fn a_missing_state_is_a_stated_assumption() {
    let text = std::fs::read_to_string("fixtures/nat-gateway/snapshot.json").unwrap();
    let mut snapshot: serde_json::Value = serde_json::from_str(&text).unwrap();
    for nat in snapshot["NatGateways"].as_array_mut().unwrap() {
        nat.as_object_mut().unwrap().remove("State");
    }
    let path = write_temp("nat-no-state.json", serde_json::to_string_pretty(&snapshot).unwrap().as_bytes());
    let out = vpcreach().args(["analyze", path.to_str().unwrap(), "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let assumed: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "VPCR006")
        .filter_map(|d| d["message"].as_str())
        .filter(|m| m.contains("without `State`"))
        .collect();
    assert_eq!(assumed.len(), 1, "{assumed:?}");
    assert!(assumed[0].contains("1 NAT gateway without `State` (nat-09d86fe5cd1d54dca): taken as available"), "{}", assumed[0]);
}
