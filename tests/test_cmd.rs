//! `vpcreach test DIR`: the repo's own fixtures pass, a wrong expectation fails with the reason,
//! bad input is located, JUnit XML is escaped.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn vpcreach() -> Command {
    Command::cargo_bin("vpcreach").unwrap()
}

/// A fresh folder under the system temp folder.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vpcreach-test-cmd-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A case folder holding a copy of a fixture's snapshot and the given expectations.
fn case(root: &Path, name: &str, fixture: &str, expect: &str) -> PathBuf {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(format!("fixtures/{fixture}/snapshot.json"), dir.join("snapshot.json")).unwrap();
    std::fs::write(dir.join("expect.json"), expect).unwrap();
    dir
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = vpcreach().args(args).output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Every assertion of every expect.json under fixtures/ (what-if cases included).
fn assertion_count(dir: &Path) -> usize {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            total += assertion_count(&path);
        } else if path.file_name().is_some_and(|n| n == "expect.json") {
            let list: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            total += list.len();
        }
    }
    total
}

/// The feature tests itself: every assertion of the repo's fixtures runs and passes, each with
/// its own line, and fixtures/invalid (no snapshot, no expect.json) is reported, not dropped.
#[test]
fn the_repo_fixtures_pass() {
    let junit = temp_dir("junit").join("junit.xml");
    let (code, stdout, stderr) = run(&["test", "fixtures", "--junit", junit.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    let total = assertion_count(Path::new("fixtures"));
    assert!(total > 600, "{total}");
    assert_eq!(stdout.lines().last(), Some(format!("{total} passed, 0 failed").as_str()), "{stdout}");
    assert_eq!(stdout.lines().filter(|l| l.starts_with("ok ")).count(), total);
    assert!(stdout.contains("skip   invalid: "), "{stdout}");
    // Cases in a folder of cases, analysed with their args.json (overlays, --to).
    // An `ok` line says what was asserted: egress, access type, path, codes, blockers.
    assert!(
        stdout.contains(
            "ok     what-if/delete-nat: runner subnet-07c120de9e1c32ec3 → s3: unreachable, access type nat_gateway, with VPCR102, blocked by nat-09d86fe5cd1d54dca\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "ok     to-peered-database: runner subnet-021b3845098e025fc → 10.100.30.15:5432: reachable via network_interface, access type null, crossing rtb-09258ab7cd4f9b700, pcx-0371e1617280bd73e, eni-078f2e4569c686c7b, rtb-090452c256bede331\n"
        ),
        "{stdout}"
    );
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"vpcreach\""), "{xml}");
    assert!(xml.contains(&format!("tests=\"{}\" failures=\"0\" errors=\"0\" skipped=\"1\"", total + 1)), "{}", &xml[..300]);
    assert_eq!(xml.matches("<testcase ").count(), total + 1);
}

#[test]
fn a_wrong_expectation_fails_with_expected_and_actual() {
    let root = temp_dir("wrong");
    let mut expect: Vec<Value> = serde_json::from_str(&std::fs::read_to_string("fixtures/nat-gateway/expect.json").unwrap()).unwrap();
    expect.truncate(4);
    expect[0]["verdict"] = "unreachable".into();
    expect[1]["via"].as_array_mut().unwrap().push("vpce-0123456789abcdef0".into());
    expect[2]["codes"] = serde_json::json!(["VPCR103"]);
    expect[3]["egress"] = Value::Null;
    case(&root, "nat", "nat-gateway", &serde_json::to_string_pretty(&expect).unwrap());
    // One assertion for a whole workload (every subnet), passing.
    case(
        &root,
        "workload-wide",
        "nat-gateway",
        r#"[{"workload": "runner", "service": "s3", "verdict": "reachable", "egress": "nat_gateway"}]"#,
    );
    let (code, stdout, stderr) = run(&["test", root.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{stdout}");
    assert_eq!(lines[0], "FAILED nat: runner subnet-07c120de9e1c32ec3 → secretsmanager: verdict: expected unreachable, actual reachable");
    assert!(
        lines[1].starts_with(
            "FAILED nat: runner subnet-07c120de9e1c32ec3 → logs: via: expected the path to cross vpce-0123456789abcdef0, actual path ["
        ),
        "{}",
        lines[1]
    );
    assert!(lines[2].contains("codes: expected VPCR103, actual ["), "{}", lines[2]);
    assert!(lines[3].ends_with("ecr.dkr: egress: expected null, actual \"nat_gateway\""), "{}", lines[3]);
    assert_eq!(lines[4], "ok     workload-wide: runner * → s3: reachable via nat_gateway");
    assert_eq!(lines[5], "1 passed, 4 failed");
}

#[test]
fn an_assertion_for_a_result_that_does_not_exist_fails() {
    let root = temp_dir("missing");
    case(&root, "c", "nat-gateway", r#"[{"subnet": "subnet-00000000000000000", "service": "s3", "verdict": "reachable"}]"#);
    let (code, stdout, _) = run(&["test", root.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(stdout.contains("FAILED c: * subnet-00000000000000000 → s3: no such result in the analysis"), "{stdout}");
    assert!(stdout.ends_with("0 passed, 1 failed\n"), "{stdout}");
}

/// A `to` assertion is traced even without an args.json asking for it.
#[test]
fn a_to_assertion_traces_its_destination() {
    let root = temp_dir("to");
    let dir = case(
        &root,
        "peer",
        "to-peered-database",
        r#"[{"subnet": "subnet-021b3845098e025fc", "to": "10.100.30.15:5432", "verdict": "reachable", "egress": "network_interface", "via": ["pcx-0371e1617280bd73e"]},
            {"subnet": "subnet-07b0564f0bc91ba4a", "to": "10.100.30.15:5432", "verdict": "unreachable"},
            {"workload": "runner", "service": "secretsmanager", "verdict": "unreachable"},
            {"workload": "runner", "service": "logs", "verdict": "unreachable"},
            {"workload": "runner", "service": "ecr.api", "verdict": "unreachable"},
            {"workload": "runner", "service": "ecr.dkr", "verdict": "unreachable"},
            {"workload": "runner", "service": "s3", "verdict": "unreachable"}]"#,
    );
    let (code, stdout, stderr) = run(&["test", dir.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(stdout.ends_with("7 passed, 0 failed\n"), "{stdout}");
}

#[test]
fn folders_without_a_snapshot_or_expectations_are_reported() {
    let root = temp_dir("incomplete");
    let only_snapshot = root.join("only-snapshot");
    std::fs::create_dir_all(&only_snapshot).unwrap();
    std::fs::copy("fixtures/nat-gateway/snapshot.json", only_snapshot.join("snapshot.json")).unwrap();
    let only_expect = root.join("only-expect");
    std::fs::create_dir_all(&only_expect).unwrap();
    std::fs::write(only_expect.join("expect.json"), "[]").unwrap();
    std::fs::create_dir_all(root.join("notes")).unwrap();
    case(&root, "empty", "nat-gateway", "[]");
    let (code, stdout, _) = run(&["test", root.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.contains("skip   notes: no snapshot (snapshot.json, snapshot/ or aws_configs/) and no expect.json: not a test case"),
        "{stdout}"
    );
    assert!(stdout.contains("FAILED only-expect: expect.json but no snapshot"), "{stdout}");
    assert!(stdout.contains("FAILED only-snapshot: a snapshot but no expect.json"), "{stdout}");
    assert!(stdout.contains("FAILED empty: expect.json holds no assertion"), "{stdout}");
    assert!(stdout.ends_with("0 passed, 3 failed\n"), "{stdout}");
}

/// A case in the Batfish layout (aws_configs/ beside expect.json).
#[test]
fn a_batfish_layout_case_is_read() {
    let root = temp_dir("batfish");
    let dir = root.join("layout");
    std::fs::create_dir_all(dir.join("aws_configs/us-east-1")).unwrap();
    std::fs::copy("fixtures/nat-gateway/snapshot.json", dir.join("aws_configs/us-east-1/all.json")).unwrap();
    std::fs::write(
        dir.join("expect.json"),
        r#"[{"workload": "runner", "service": "logs", "verdict": "reachable", "via": ["nat-09d86fe5cd1d54dca"]}]"#,
    )
    .unwrap();
    // Or a `snapshot/` folder in any layout `analyze` reads (here: region folders directly).
    let other = root.join("snapshot-folder");
    std::fs::create_dir_all(other.join("snapshot/us-east-1")).unwrap();
    std::fs::copy("fixtures/nat-gateway/snapshot.json", other.join("snapshot/us-east-1/all.json")).unwrap();
    std::fs::copy(dir.join("expect.json"), other.join("expect.json")).unwrap();
    let (code, stdout, stderr) = run(&["test", root.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(stdout.ends_with("2 passed, 0 failed\n"), "{stdout}");
}

#[test]
fn bad_expectations_exit_2_with_file_line_and_column() {
    let root = temp_dir("bad");
    let text = concat!(
        "[\n",
        "  {\"workload\": \"runner\", \"service\": \"s3\",\n",
        "   \"verdict\": \"reachabel\", \"egress\": \"nat\"},\n",
        "  {\"subnet\": \"x\", \"service\": \"s3\", \"verdict\": \"unknown\", \"vai\": []},\n",
        "  {\"subnet\": \"x\", \"service\": \"s3\", \"verdict\": \"unknown\", \"codes\": [\"VPCR102\", \"VPCR999\"]}\n",
        "]\n"
    );
    let dir = case(&root, "c", "nat-gateway", text);
    let (code, stdout, stderr) = run(&["test", root.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{stdout}\n{stderr}");
    assert!(stdout.contains("FAILED c: expect.json is invalid"), "{stdout}");
    assert!(stdout.ends_with("0 passed, 1 failed\n"), "{stdout}");
    let file = dir.join("expect.json").display().to_string();
    assert!(stderr.contains(&format!("{file} is not a valid expect.json (4 problems)")), "{stderr}");
    assert!(stderr.contains(&format!("{file}:3:15")) && stderr.contains("unknown verdict `reachabel`"), "{stderr}");
    assert!(stderr.contains(&format!("{file}:3:38")) && stderr.contains("unknown egress `nat`"), "{stderr}");
    assert!(stderr.contains("unknown field `vai`"), "{stderr}");
    assert!(stderr.contains(&format!("{file}:5:79")) && stderr.contains("unknown diagnostic code `VPCR999`"), "{stderr}");
    // Not JSON at all.
    std::fs::write(dir.join("expect.json"), "[{\"workload\": }]").unwrap();
    let (code, _, stderr) = run(&["test", dir.to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains(&format!("{file}:1:15")), "{stderr}");
}

#[test]
fn bad_args_and_bad_snapshots_exit_2() {
    let root = temp_dir("bad-args");
    let dir = case(&root, "c", "nat-gateway", r#"[{"workload": "runner", "service": "s3", "verdict": "reachable"}]"#);
    std::fs::write(dir.join("args.json"), r#"["--profile", "nope"]"#).unwrap();
    let (code, stdout, stderr) = run(&["test", root.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{stdout}\n{stderr}");
    assert!(stderr.contains("args.json is not a valid args.json") && stderr.contains("invalid `vpcreach analyze` arguments"), "{stderr}");
    std::fs::remove_file(dir.join("args.json")).unwrap();
    std::fs::write(dir.join("snapshot.json"), "{\"Vpcs\": 5}").unwrap();
    let junit = root.join("out.xml");
    let (code, stdout, stderr) = run(&["test", root.to_str().unwrap(), "--junit", junit.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{stdout}\n{stderr}");
    assert!(stdout.contains("FAILED c: the snapshot is invalid: "), "{stdout}");
    assert!(stderr.contains("snapshot.json:1:10"), "{stderr}");
    // The JUnit file, which CI shows without the terminal's output, names the place too.
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("<error message=\"the snapshot is invalid: ") && xml.contains("snapshot.json:1:10: "), "{xml}");
    let (code, _, stderr) = run(&["test", "no/such/folder"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("not a folder of test cases"), "{stderr}");
    let (code, _, stderr) = run(&["test", temp_dir("empty").to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("holds no test case"), "{stderr}");
}

#[test]
fn junit_escapes_names_and_reasons() {
    let root = temp_dir("junit-escape");
    case(&root, "a<b>&\"c'", "nat-gateway", r#"[{"workload": "runner", "service": "s3", "verdict": "unknown"}]"#);
    let junit = root.join("out.xml");
    let (code, stdout, _) = run(&["test", root.to_str().unwrap(), "--junit", junit.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{stdout}");
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("<testsuite name=\"a&lt;b&gt;&amp;&quot;c&apos;\" tests=\"1\" failures=\"1\""), "{xml}");
    assert!(xml.contains("<failure message=\"runner subnet-07c120de9e1c32ec3: verdict: expected unknown, actual reachable; "), "{xml}");
    assert!(!xml.contains("a<b"), "{xml}");
}

/// What a CI gate relies on: `via` in order, codes in any case, cases below a case run, an
/// ambiguous snapshot and an expect.json that is not UTF-8 refused (exit 2).
#[test]
fn via_order_code_case_nested_cases_and_ambiguous_input() {
    let root = temp_dir("gate");
    let reversed = r#"[{"subnet": "subnet-07c120de9e1c32ec3", "service": "s3", "verdict": "reachable",
        "via": ["igw-0eb1dcc901f330a32", "rtb-0ebad6f1d5696733d"]}]"#;
    case(&root, "reversed", "nat-gateway", reversed);
    let lower = r#"[{"subnet": "subnet-07c120de9e1c32ec3", "service": "s3", "verdict": "reachable",
        "via": ["rtb-0ebad6f1d5696733d", "igw-0eb1dcc901f330a32"], "codes": ["vpcr006"]}]"#;
    let base = case(&root, "base", "nat-gateway", lower);
    // A what-if case below the base case, with a wrong verdict: it must run and fail.
    case(&base, "what-if", "nat-gateway", r#"[{"workload": "runner", "service": "s3", "verdict": "unreachable"}]"#);
    let (code, stdout, stderr) = run(&["test", root.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("ok     base: * subnet-07c120de9e1c32ec3 → s3: reachable"), "{stdout}");
    assert!(
        lines[1].starts_with("FAILED base/what-if: runner * → s3: runner subnet-07c120de9e1c32ec3: verdict: expected unreachable"),
        "{stdout}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with(
            "FAILED reversed: * subnet-07c120de9e1c32ec3 → s3: runner subnet-07c120de9e1c32ec3: via: expected the path to cross igw-0eb1dcc901f330a32, rtb-0ebad6f1d5696733d in this order"
        )),
        "{stdout}"
    );
    assert_eq!(lines.last(), Some(&"1 passed, 2 failed"), "{stdout}");

    let root = temp_dir("ambiguous");
    let both = case(&root, "both", "nat-gateway", r#"[{"workload": "runner", "service": "s3", "verdict": "reachable"}]"#);
    std::fs::create_dir_all(both.join("snapshot")).unwrap();
    std::fs::copy("fixtures/igw-route-no-public-ip/snapshot.json", both.join("snapshot/snapshot.json")).unwrap();
    let (code, stdout, _) = run(&["test", root.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{stdout}");
    assert!(stdout.contains("FAILED both: the case holds snapshot.json and snapshot/: which one is its snapshot is ambiguous"), "{stdout}");

    let root = temp_dir("not-utf8");
    case(&root, "bytes", "nat-gateway", "[{\"subnet\": \"\u{0}\"}]");
    std::fs::write(root.join("bytes/expect.json"), b"[{\"subnet\": \"\xff\", \"service\": \"s3\", \"verdict\": \"reachable\"}]").unwrap();
    let (code, stdout, stderr) = run(&["test", root.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{stdout}");
    assert!(stderr.contains("not valid UTF-8") && stderr.contains("expect.json:1:14"), "{stderr}");
}

/// A result no assertion covers that is not reachable fails the case: a subnet added to the
/// service that cannot reach anything must not pass a gate whose expectations predate it.
/// Uncovered reachable results pass.
#[test]
fn uncovered_results_that_fail_fail_the_case() {
    let root = temp_dir("uncovered");
    // Only subnet-07c1…'s s3 is asserted; subnet-0c39…'s results are reachable: passes.
    let one = r#"[{"subnet": "subnet-07c120de9e1c32ec3", "service": "s3", "verdict": "reachable"}]"#;
    case(&root, "reachable", "nat-gateway", one);
    let (code, stdout, _) = run(&["test", root.join("reachable").to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stdout}");
    // The same assertion on igw-route-no-public-ip, where every result is unreachable.
    let root = temp_dir("uncovered-failing");
    let dir = root.join("unreachable");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy("fixtures/igw-route-no-public-ip/snapshot.json", dir.join("snapshot.json")).unwrap();
    let expect: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string("fixtures/igw-route-no-public-ip/expect.json").unwrap()).unwrap();
    std::fs::write(dir.join("expect.json"), serde_json::to_string(&expect[..1]).unwrap()).unwrap();
    let (code, stdout, _) = run(&["test", dir.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{stdout}");
    let failed: Vec<&str> = stdout.lines().filter(|l| l.starts_with("FAILED")).collect();
    assert_eq!(failed.len(), expect.len() - 1, "{stdout}");
    assert!(
        failed.iter().all(|l| l.ends_with("unreachable, and no assertion covers it: assert it in expect.json if it is expected")),
        "{stdout}"
    );
}
