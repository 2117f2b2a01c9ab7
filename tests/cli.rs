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
    let path = write_temp("unknown.json", br#"{"Region": "us-east-1", "Vpcs": [], "Subnet": [1, 2], "Reservations": []}"#);
    let out = vpcreach().args(["analyze", path.to_str().unwrap(), "--format", "json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let unknown: Vec<&serde_json::Value> = v["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "VPCR001").collect();
    assert_eq!(unknown.len(), 1);
    assert!(unknown[0]["message"].as_str().unwrap().contains("`Subnet` (2 items)"));
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
