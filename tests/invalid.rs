//! The invalid-input corpus, `fixtures/invalid/cases.json`: every case is run through the binary
//! (`vpcreach analyze <file> --color never`) with a 60 s timeout (240 s for the 200 MB ones), and must exit with its code, never
//! panic, print its message and, when the case gives one, its `file:line:column`.
//!
//! Generated cases (deep nesting, 200 MB files, long lines, many problems) are written at run
//! time into a temporary folder and deleted afterwards. Cases marked `known_bug` are skipped with
//! a note on stderr; `VPCREACH_KNOWN_BUGS=1` runs them like the others (to check a fix), and
//! `VPCREACH_INVALID_KEEP=1` keeps the generated files (to measure one by hand).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::util::root;

const TIMEOUT: Duration = Duration::from_secs(60);
/// The 200 MB cases run the debug binary, which takes most of a minute on a 2-core machine;
/// they still must finish, within this bound.
const LARGE_TIMEOUT: Duration = Duration::from_secs(240);

/// Nesting depth of the deep-nesting cases.
const DEPTH: usize = 100_000;
/// Extra VPC lines of `large-many-items` and `large-truncated` (116 bytes each: about 197 MB).
const LARGE_ITEMS: usize = 1_700_000;
/// Length of the string of `large-string`.
const LARGE_STRING: usize = 200_000_000;
/// Past column 65535 (the largest format width), where the long-line cases put their findings.
const LONG_PAD: usize = 70_000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    generated: Option<String>,
    why: String,
    exit: i32,
    message: String,
    #[serde(default)]
    line: Option<usize>,
    #[serde(default)]
    column: Option<usize>,
    #[serde(default)]
    known_bug: Option<String>,
}

impl Case {
    fn name(&self) -> &str {
        self.file.as_deref().or(self.generated.as_deref()).unwrap_or("?")
    }

    fn is_large(&self) -> bool {
        self.generated.as_deref().is_some_and(|g| g.starts_with("large-"))
    }
}

fn corpus_dir() -> PathBuf {
    root().join("fixtures/invalid")
}

fn cases() -> Vec<Case> {
    let path = corpus_dir().join("cases.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vpcreach-invalid-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary folder");
    dir
}

fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v == "1")
}

/// What one run of the binary left behind.
struct Run {
    code: Option<i32>,
    output: String,
    stderr: String,
    elapsed: Duration,
    /// Peak resident memory of the child (`VmHWM`, last read before it exited), Linux only.
    peak_kb: Option<u64>,
}

fn peak_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `vpcreach analyze <path> --color never`, its output going to files (a pipe could fill up
/// and stall the child); kills it after `timeout`.
fn run(path: &Path, scratch: &Path, name: &str, timeout: Duration) -> Result<Run, String> {
    let out_path = scratch.join(format!("{name}.stdout"));
    let err_path = scratch.join(format!("{name}.stderr"));
    let stdout = File::create(&out_path).map_err(|e| e.to_string())?;
    let stderr = File::create(&err_path).map_err(|e| e.to_string())?;
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_vpcreach"))
        .arg("analyze")
        .arg(path)
        .args(["--color", "never"])
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .map_err(|e| format!("cannot start vpcreach: {e}"))?;
    let mut peak = None;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ok(status),
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break Err(format!("did not finish within {} s (killed)", timeout.as_secs()));
            }
            Ok(None) => {
                peak = peak_kb(child.id()).or(peak);
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => break Err(format!("wait failed: {e}")),
        }
    };
    let elapsed = start.elapsed();
    let read = |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    let (out, err) = (read(&out_path), read(&err_path));
    let _ = std::fs::remove_file(&out_path);
    let _ = std::fs::remove_file(&err_path);
    Ok(Run { code: status?.code(), output: format!("{out}{err}"), stderr: err, elapsed, peak_kb: peak })
}

/// The text without whitespace and miette's gutter, so a message that the report wrapped still
/// matches.
fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && *c != '│').collect()
}

/// The first `<file>:<line>:<column>` in `text`.
fn first_location(text: &str, file: &str) -> Option<(usize, usize)> {
    let prefix = format!("{file}:");
    let mut rest = text;
    while let Some(at) = rest.find(&prefix) {
        rest = &rest[at + prefix.len()..];
        let mut numbers = rest.splitn(3, ':');
        let line = numbers.next().and_then(|n| n.parse().ok());
        let column = numbers.next().map(|n| n.chars().take_while(char::is_ascii_digit).collect::<String>()).and_then(|n| n.parse().ok());
        if let (Some(line), Some(column)) = (line, column) {
            return Some((line, column));
        }
    }
    None
}

/// Checks one run against its case; returns what is wrong.
fn check(case: &Case, path: &Path, run: &Run) -> Vec<String> {
    let mut wrong = Vec::new();
    let file = path.display().to_string();
    if run.code != Some(case.exit) {
        wrong.push(format!("exit code {:?}, expected {}", run.code, case.exit));
    }
    if run.output.contains("panicked") {
        wrong.push("panicked".to_owned());
    }
    if !run.output.contains(&case.message) && !squash(&run.output).contains(&squash(&case.message)) {
        wrong.push(format!("no {:?} in the output", case.message));
    }
    if let (Some(line), Some(column)) = (case.line, case.column) {
        if case.exit == 2 {
            // The error header: the first problem's location, on its own line.
            let found = first_location(&run.stderr, &file);
            if found != Some((line, column)) {
                wrong.push(format!("first location {found:?}, expected {file}:{line}:{column}"));
            }
        } else if !run.output.contains(&format!("{file}:{line}:{column}")) {
            // A tolerated case: the diagnostic's snippet header names the location.
            wrong.push(format!("no {file}:{line}:{column} in the output"));
        }
    }
    if !wrong.is_empty() {
        let head: String = run.output.chars().take(3000).collect();
        wrong.push(format!("output (start):\n{head}"));
    }
    wrong
}

/// Runs every case, the large ones last; panics with all failures at once.
fn run_cases() {
    let mut all = cases();
    all.sort_by_key(Case::is_large);
    let scratch = scratch_dir();
    let run_known = env_flag("VPCREACH_KNOWN_BUGS");
    let keep = env_flag("VPCREACH_INVALID_KEEP");
    let mut failures = Vec::new();
    for case in &all {
        if let Some(bug) = &case.known_bug {
            if !run_known {
                eprintln!("KNOWN BUG, skipped (VPCREACH_KNOWN_BUGS=1 runs it): {}: {bug}", case.name());
                continue;
            }
        }
        let (path, temporary) = match (&case.file, &case.generated) {
            (Some(file), None) => (corpus_dir().join(file), false),
            (None, Some(kind)) => {
                let path = scratch.join(format!("{kind}.json"));
                if let Err(e) = generate(kind, &path) {
                    failures.push(format!("{kind}: cannot generate: {e}"));
                    continue;
                }
                (path, true)
            }
            _ => {
                failures.push(format!("{}: give exactly one of `file` and `generated`", case.name()));
                continue;
            }
        };
        match run(&path, &scratch, case.name(), if case.is_large() { LARGE_TIMEOUT } else { TIMEOUT }) {
            Ok(result) => {
                if case.is_large() || result.elapsed > Duration::from_secs(5) {
                    let peak = result.peak_kb.map_or_else(String::new, |kb| format!(", peak RSS about {} MB", kb / 1024));
                    eprintln!("{}: exit {:?} in {:.1} s{peak}", case.name(), result.code, result.elapsed.as_secs_f64());
                }
                for w in check(case, &path, &result) {
                    failures.push(format!("{} ({}): {w}", case.name(), case.why));
                }
            }
            Err(e) => failures.push(format!("{} ({}): {e}", case.name(), case.why)),
        }
        if temporary {
            if keep {
                eprintln!("kept {}", path.display());
            } else {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    if !keep {
        let _ = std::fs::remove_dir(&scratch);
    }
    assert!(failures.is_empty(), "{} failure(s):\n\n{}", failures.len(), failures.join("\n\n"));
}

/// Every case of the manifest, one after the other: the 200 MB ones last, so that they do not
/// compete with the rest of the corpus for the machine (each has the same 60 s as any case).
#[test]
fn every_invalid_input_is_refused_or_tolerated_as_listed() {
    run_cases();
}

/// The manifest and the folder agree, and the corpus is as broad as the issue asks.
#[test]
fn manifest_lists_every_file_once() {
    let all = cases();
    assert!(all.len() >= 30, "only {} cases", all.len());
    let mut listed: Vec<&str> = all.iter().filter_map(|c| c.file.as_deref()).collect();
    listed.sort_unstable();
    let before = listed.len();
    listed.dedup();
    assert_eq!(before, listed.len(), "a file is listed twice");
    let mut on_disk: Vec<String> = std::fs::read_dir(corpus_dir())
        .expect("fixtures/invalid")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "cases.json")
        .collect();
    on_disk.sort();
    assert_eq!(listed, on_disk, "cases.json and the files of fixtures/invalid differ");
    for case in &all {
        assert!(!case.message.is_empty() && !case.why.is_empty(), "{}: message and why are required", case.name());
        assert!([0, 1, 2].contains(&case.exit), "{}: exit must be 0, 1 or 2", case.name());
        assert_eq!(case.line.is_some(), case.column.is_some(), "{}: give line and column together", case.name());
        if case.exit != 2 {
            let m = &case.message;
            assert!(
                m.starts_with("VPCR") || m == "READY",
                "{}: a tolerated case names its diagnostic code (or READY when none is expected)",
                case.name()
            );
        }
        if let Some(kind) = &case.generated {
            assert!(GENERATED.contains(&kind.as_str()), "{kind}: no generator");
        }
    }
}

const GENERATED: &[&str] = &[
    "deep-nesting-top-level",
    "deep-nesting-unknown-key",
    "deep-nesting-objects",
    "deep-nesting-regions",
    "large-many-items",
    "large-string",
    "large-truncated",
    "many-problems",
    "long-line-many-problems",
    "long-line-valid",
    "long-line-error",
];

fn nat_gateway() -> String {
    std::fs::read_to_string(root().join("fixtures/nat-gateway/snapshot.json")).expect("fixtures/nat-gateway/snapshot.json")
}

/// `text` split right after the first `after`.
fn split_after<'a>(text: &'a str, after: &str) -> (&'a str, &'a str) {
    let at = text.find(after).map(|i| i + after.len()).unwrap_or_else(|| panic!("{after:?} not in the base snapshot"));
    text.split_at(at)
}

fn repeat(out: &mut impl Write, piece: &[u8], times: usize) -> std::io::Result<()> {
    for _ in 0..times {
        out.write_all(piece)?;
    }
    Ok(())
}

/// One VPC line of the large cases: 116 bytes.
fn vpc_line(index: usize) -> String {
    format!(
        "    {{\"VpcId\": \"vpc-{index:017x}\", \"CidrBlock\": \"10.1.0.0/16\", \"DhcpOptionsId\": \"default\", \"IsDefault\": false}},\n"
    )
}

/// Writes the generated case `kind` to `path`. The locations in cases.json follow from these
/// shapes; change both together.
fn generate(kind: &str, path: &Path) -> std::io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    match kind {
        "deep-nesting-top-level" => {
            repeat(&mut out, b"[", DEPTH)?;
            repeat(&mut out, b"]", DEPTH)?;
        }
        "deep-nesting-unknown-key" => {
            // `{"Reservations": ` is 17 bytes: the value starts at 1:18.
            let base = nat_gateway();
            let (_, rest) = split_after(&base, "{");
            out.write_all(b"{\"Reservations\": ")?;
            repeat(&mut out, b"[", DEPTH)?;
            repeat(&mut out, b"]", DEPTH)?;
            out.write_all(b",")?;
            out.write_all(rest.as_bytes())?;
        }
        "deep-nesting-objects" => {
            // One VPC made of nested objects, wrapped every 100 bytes: its closing brace is at
            // 6001:11.
            let mut text = String::from("{\"Vpcs\": [");
            text.push_str(&"{\"a\":".repeat(DEPTH));
            text.push('1');
            text.push_str(&"}".repeat(DEPTH));
            text.push_str("]}");
            for (i, chunk) in text.as_bytes().chunks(100).enumerate() {
                if i > 0 {
                    out.write_all(b"\n")?;
                }
                out.write_all(chunk)?;
            }
        }
        "deep-nesting-regions" => {
            out.write_all(b"{\"Regions\": [")?;
            repeat(&mut out, b"{\"Regions\": [", DEPTH)?;
            repeat(&mut out, b"]}", DEPTH)?;
            out.write_all(b"]}")?;
        }
        "large-many-items" => {
            let base = nat_gateway();
            let (head, rest) = split_after(&base, "\"Vpcs\": [\n");
            out.write_all(head.as_bytes())?;
            for i in 1..=LARGE_ITEMS {
                out.write_all(vpc_line(i).as_bytes())?;
            }
            out.write_all(rest.as_bytes())?;
        }
        "large-string" => {
            let base = nat_gateway();
            let (head, rest) = split_after(&base, "\"Vpcs\": [\n    {");
            out.write_all(head.as_bytes())?;
            out.write_all(b"\"Description\": \"")?;
            let chunk = vec![b'x'; 1 << 20];
            let mut left = LARGE_STRING;
            while left > 0 {
                let n = left.min(chunk.len());
                out.write_all(&chunk[..n])?;
                left -= n;
            }
            out.write_all(b"\", ")?;
            out.write_all(rest.as_bytes())?;
        }
        "large-truncated" => {
            // Two header lines, then the VPC lines; the end of input is at LARGE_ITEMS + 3, column 1.
            out.write_all(b"{\n  \"Vpcs\": [\n")?;
            for i in 1..=LARGE_ITEMS {
                out.write_all(vpc_line(i).as_bytes())?;
            }
        }
        "many-problems" => {
            // Three header lines: the first subnet is at 4:5.
            out.write_all(b"{\n  \"Vpcs\": [],\n  \"Subnets\": [\n")?;
            for i in 0..10_000 {
                let sep = if i == 0 { "" } else { ",\n" };
                write!(
                    out,
                    "{sep}    {{\"SubnetId\": \"subnet-{i:017x}\", \"VpcId\": \"vpc-0badc0ffee0000001\", \"CidrBlock\": \"10.0.0.0/24\"}}"
                )?;
            }
            out.write_all(b"\n  ]\n}\n")?;
        }
        "long-line-many-problems" => {
            // `{"Vpcs":[],"Subnets":[` is 22 bytes: the first subnet is at 1:23.
            out.write_all(b"{\"Vpcs\":[],\"Subnets\":[")?;
            for i in 0..300 {
                let sep = if i == 0 { "" } else { "," };
                write!(out, "{sep}{{\"SubnetId\":\"subnet-{i:017x}\",\"VpcId\":\"vpc-0badc0ffee0000001\",\"CidrBlock\":\"10.0.0.0/24\"}}")?;
            }
            out.write_all(b"],\"Reservations\":[{\"Description\":\"")?;
            repeat(&mut out, b"x", 2_000_000)?;
            out.write_all(b"\"}]}")?;
        }
        "long-line-valid" => {
            let mut value: serde_json::Value = serde_json::from_str(&nat_gateway()).expect("nat-gateway is JSON");
            let vpc = value["Vpcs"][0].as_object_mut().expect("a VPC");
            vpc.insert("Description".to_owned(), serde_json::Value::String("x".repeat(LONG_PAD)));
            out.write_all(serde_json::to_string(&value).expect("JSON").as_bytes())?;
        }
        "long-line-error" => {
            // 33 + LONG_PAD + 21 bytes before the `5`: column 70055.
            out.write_all(b"{\"Reservations\":[{\"Description\":\"")?;
            repeat(&mut out, b"x", LONG_PAD)?;
            out.write_all(b"\"}],\"Vpcs\":[{\"VpcId\":5}]}")?;
        }
        other => return Err(std::io::Error::other(format!("unknown generated case `{other}`"))),
    }
    out.flush()
}

#[test]
fn locations_are_found_in_the_error_header() {
    let text = "error: /x/a.json is not a valid snapshot\n\n/x/a.json:12:5\n  × …\n   ╭─[/x/a.json:12:5]";
    assert_eq!(first_location(text, "/x/a.json"), Some((12, 5)));
    assert_eq!(first_location("no location", "/x/a.json"), None);
    assert!(squash("has an active route to `nat-1`, which is not in\n  │ `NatGateways`").contains(&squash("which is not in `NatGateways`")));
}
