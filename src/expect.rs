//! `vpcreach test DIR`: regression tests over folders of snapshots. Each sub-folder of `DIR`
//! (or `DIR` itself when it holds an `expect.json`) is one case: a snapshot (`snapshot.json`,
//! a `snapshot/` folder, or a Batfish-layout `aws_configs/` folder), optional `args.json` (the extra `vpcreach
//! analyze` arguments the case is analysed with, overlays relative to the case folder) and
//! `expect.json`, a list of assertions about the results. One line per assertion, then
//! `N passed, N failed`; `--junit FILE` writes the same as JUnit XML for CI.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::cli::{self, AnalyzeArgs, ExitStatus};
use crate::model::load::{json_problem, span_in};
use crate::model::{self, LoadError, Problem, Snapshot, SourceFile, SourceId, Span};
use crate::reachability::{self, services, Analysis, ServiceSpec};
use crate::report::{self, HumanOptions};
use crate::rules;

#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// Folder of cases (each sub-folder: a snapshot and an expect.json), or one case folder.
    pub dir: PathBuf,
    /// Also write the results as JUnit XML to this file.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
}

/// One assertion of `expect.json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Assertion {
    workload: Option<String>,
    subnet: Option<String>,
    service: Option<String>,
    /// A `--to` destination (`ADDRESS:PORT` or `NAME:PORT`); traced even when `args.json` does
    /// not ask for it.
    to: Option<String>,
    verdict: String,
    #[serde(default, deserialize_with = "present")]
    egress: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    access_type: Option<Option<String>>,
    via: Option<Vec<String>>,
    codes: Option<Vec<String>>,
    blocked_by: Option<Vec<String>>,
    /// Free text for the reader; not checked.
    #[allow(dead_code)]
    comment: Option<String>,
}

/// A field that is present (even as `null`) is `Some`, so `"egress": null` is asserted.
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}

const VERDICTS: &[&str] = &["reachable", "unreachable", "unknown"];
const EGRESS: &[&str] = &["interface_endpoint", "gateway_endpoint", "nat_gateway", "internet_gateway", "network_interface"];
const ACCESS_TYPES: &[&str] = &["vpc_endpoint", "nat_gateway", "internet_gateway"];

/// What happened to one assertion or one case.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// What was asserted, for the `ok` line.
    Passed(String),
    Failed(String),
    /// The case's input is unusable (exit 2).
    BadInput(String),
    Skipped(String),
}

#[derive(Debug)]
struct Line {
    case: String,
    name: String,
    outcome: Outcome,
}

/// Runs every case under `args.dir`.
pub fn run(args: &TestArgs, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    let options = HumanOptions { color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(), width: 110 };
    if !args.dir.is_dir() {
        let _ = writeln!(err, "error: {} is not a folder of test cases", args.dir.display());
        return ExitStatus::Error;
    }
    let cases = match case_folders(&args.dir) {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(err, "error: cannot read {}: {e}", args.dir.display());
            return ExitStatus::Error;
        }
    };
    if cases.is_empty() {
        let _ = writeln!(err, "error: {} holds no test case (a folder with a snapshot and an expect.json)", args.dir.display());
        return ExitStatus::Error;
    }
    let mut lines = Vec::new();
    for (name, dir) in &cases {
        let before = lines.len();
        run_case(name, dir, &mut lines, err, options);
        for line in lines.iter().skip(before) {
            let _ = writeln!(out, "{}", render_line(line));
        }
    }
    let passed = lines.iter().filter(|l| matches!(l.outcome, Outcome::Passed(_))).count();
    let failed = lines.iter().filter(|l| matches!(l.outcome, Outcome::Failed(_) | Outcome::BadInput(_))).count();
    let _ = writeln!(out, "{passed} passed, {failed} failed");
    if let Some(path) = &args.junit {
        if let Err(e) = std::fs::write(path, junit_xml(&lines)) {
            let _ = writeln!(err, "error: cannot write {}: {e}", path.display());
            return ExitStatus::Error;
        }
    }
    if lines.iter().any(|l| matches!(l.outcome, Outcome::BadInput(_))) {
        ExitStatus::Error
    } else if failed > 0 {
        ExitStatus::Degraded
    } else {
        ExitStatus::Ready
    }
}

/// `dir` itself when it is a case, else its sub-folders in name order. A sub-folder that is
/// no case but holds cases (`fixtures/what-if/`) is searched in turn, its cases named
/// `what-if/<case>`.
fn case_folders(dir: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    if is_case(dir) {
        let name = dir.file_name().map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into_owned());
        let mut cases = vec![(name.clone(), dir.to_path_buf())];
        nested_cases(dir, &format!("{name}/"), 0, &mut cases)?;
        cases.sort();
        return Ok(cases);
    }
    let mut cases = Vec::new();
    collect_cases(dir, "", 0, &mut cases)?;
    cases.sort();
    Ok(cases)
}

fn is_case(dir: &Path) -> bool {
    dir.join("expect.json").is_file() || snapshot_of(dir).is_some()
}

/// How deep folders of folders of cases are searched.
const MAX_DEPTH: usize = 4;

fn collect_cases(dir: &Path, prefix: &str, depth: usize, cases: &mut Vec<(String, PathBuf)>) -> std::io::Result<bool> {
    let mut found = false;
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_dir()).collect();
    entries.sort();
    for path in entries {
        let name = format!("{prefix}{}", path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        if is_case(&path) {
            nested_cases(&path, &format!("{name}/"), depth + 1, cases)?;
            cases.push((name, path));
            found = true;
        } else if depth < MAX_DEPTH && collect_cases(&path, &format!("{name}/"), depth + 1, cases)? {
            found = true;
        } else {
            // Reported as not a test case rather than silently left out.
            cases.push((name, path));
        }
    }
    Ok(found)
}

/// Cases inside a case folder (a base case with what-if cases below it): each is run, never
/// skipped silently. The case's own snapshot folders (`snapshot/`, `aws_configs/`) and
/// folders that hold no case are left alone: they are the case's data.
fn nested_cases(dir: &Path, prefix: &str, depth: usize, cases: &mut Vec<(String, PathBuf)>) -> std::io::Result<()> {
    if depth >= MAX_DEPTH {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() && !p.file_name().is_some_and(|n| n == "snapshot" || n == "aws_configs"))
        .collect();
    entries.sort();
    for path in entries {
        let name = format!("{prefix}{}", path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        if is_case(&path) {
            cases.push((name.clone(), path.clone()));
        }
        nested_cases(&path, &format!("{name}/"), depth + 1, cases)?;
    }
    Ok(())
}

fn render_line(line: &Line) -> String {
    let subject = if line.name.is_empty() { line.case.clone() } else { format!("{}: {}", line.case, line.name) };
    match &line.outcome {
        Outcome::Passed(asserted) => format!("ok     {subject}: {asserted}"),
        Outcome::Failed(reason) | Outcome::BadInput(reason) => format!("FAILED {subject}: {reason}"),
        Outcome::Skipped(reason) => format!("skip   {subject}: {reason}"),
    }
}

/// The snapshot of a case folder: `snapshot.json`, a `snapshot/` folder (any layout `analyze`
/// reads), or an `aws_configs/` folder beside `expect.json` (the Batfish layout).
fn snapshot_of(dir: &Path) -> Option<PathBuf> {
    let file = dir.join("snapshot.json");
    let folder = dir.join("snapshot");
    if file.is_file() {
        Some(file)
    } else if folder.is_dir() {
        Some(folder)
    } else if dir.join("aws_configs").is_dir() {
        // `analyze DIR` reads DIR/aws_configs only, so expect.json and args.json stay out.
        Some(dir.to_path_buf())
    } else {
        None
    }
}

fn run_case(name: &str, dir: &Path, lines: &mut Vec<Line>, err: &mut dyn Write, options: HumanOptions) {
    let case_line = |outcome| Line { case: name.to_owned(), name: String::new(), outcome };
    let expect_path = dir.join("expect.json");
    let forms: Vec<&str> = [
        ("snapshot.json", dir.join("snapshot.json").is_file()),
        ("snapshot/", dir.join("snapshot").is_dir()),
        ("aws_configs/", dir.join("aws_configs").is_dir()),
    ]
    .into_iter()
    .filter_map(|(form, present)| present.then_some(form))
    .collect();
    if forms.len() > 1 {
        lines.push(case_line(Outcome::BadInput(format!(
            "the case holds {}: which one is its snapshot is ambiguous; keep one",
            forms.join(" and ")
        ))));
        return;
    }
    let snapshot_path = snapshot_of(dir);
    let snapshot_path = match (snapshot_path, expect_path.is_file()) {
        (None, false) => {
            lines.push(case_line(Outcome::Skipped(
                "no snapshot (snapshot.json, snapshot/ or aws_configs/) and no expect.json: not a test case".to_owned(),
            )));
            return;
        }
        (None, true) => {
            lines.push(case_line(Outcome::Failed("expect.json but no snapshot (snapshot.json, snapshot/ or aws_configs/)".to_owned())));
            return;
        }
        (Some(_), false) => {
            lines.push(case_line(Outcome::Failed("a snapshot but no expect.json".to_owned())));
            return;
        }
        (Some(path), true) => path,
    };
    let assertions = match read_expect(&expect_path) {
        Ok(a) => a,
        Err(e) => {
            let _ = write!(err, "{}", render_input_error(&e, "expect.json", options));
            lines.push(case_line(Outcome::BadInput(format!("expect.json is invalid: {}", report::load_error_summary(&e)))));
            return;
        }
    };
    if assertions.is_empty() {
        // A case that asserts nothing would pass whatever the snapshot does.
        lines.push(case_line(Outcome::Failed("expect.json holds no assertion".to_owned())));
        return;
    }
    let args = match case_args(dir, &snapshot_path) {
        Ok(a) => a,
        Err(e) => {
            let _ = write!(err, "{}", render_input_error(&e, "args.json", options));
            lines.push(case_line(Outcome::BadInput(format!("args.json is invalid: {}", report::load_error_summary(&e)))));
            return;
        }
    };
    let extra: Vec<&str> = assertions.iter().filter_map(|a| a.to.as_deref()).collect();
    let (snapshot, analysis) = match run_analysis(&args, &extra) {
        Ok(x) => x,
        Err(AnalysisError::Load(e)) => {
            let _ = write!(err, "{}", report::render_load_error(&e, options));
            lines.push(case_line(Outcome::BadInput(format!("the snapshot is invalid: {}", report::load_error_summary(&e)))));
            return;
        }
        Err(AnalysisError::Usage(message)) => {
            let _ = writeln!(err, "error: {}: {message}", dir.display());
            lines.push(case_line(Outcome::BadInput(message)));
            return;
        }
    };
    let report = serde_json::to_value(report::json_report(&snapshot, &analysis, &args.selection.ignore)).unwrap_or_default();
    for assertion in &assertions {
        check(name, assertion, &report, lines);
    }
    // A result no assertion selects, that is not reachable: a failure nobody expects (a new
    // subnet, service or workload in the snapshot), which the gate must not pass in silence.
    for r in report.get("results").and_then(Value::as_array).into_iter().flatten() {
        let verdict = r["verdict"].as_str().unwrap_or_default();
        if verdict != "reachable" && !assertions.iter().any(|a| selects(a, r)) {
            lines.push(Line {
                case: name.to_owned(),
                name: format!(
                    "{} {} → {}",
                    r["workload"].as_str().unwrap_or_default(),
                    r["subnet_id"].as_str().unwrap_or_default(),
                    r["service"].as_str().unwrap_or_default()
                ),
                outcome: Outcome::Failed(format!("{verdict}, and no assertion covers it: assert it in expect.json if it is expected")),
            });
        }
    }
}

/// Whether assertion `a` selects result `r`.
fn selects(a: &Assertion, r: &Value) -> bool {
    let service = a.service.as_deref().or(a.to.as_deref()).unwrap_or_default();
    a.workload.as_deref().is_none_or(|w| r["workload"] == w)
        && a.subnet.as_deref().is_none_or(|s| r["subnet_id"] == s)
        && r["service"] == service
}

/// An unusable `expect.json` or `args.json`, located like a snapshot error.
fn render_input_error(e: &LoadError, what: &str, options: HumanOptions) -> String {
    match e {
        LoadError::Invalid { path, problems, sources } => {
            let header = format!("{path} is not a valid {what} ({} problem{})", problems.len(), if problems.len() == 1 { "" } else { "s" });
            let code = format!("vpcreach::invalid_{}", what.trim_end_matches(".json"));
            report::render_input_problems(&header, &code, problems, sources, options)
        }
        _ => report::render_load_error(e, options),
    }
}

/// Why an analysis could not run.
#[derive(Debug)]
pub(crate) enum AnalysisError {
    Load(LoadError),
    Usage(String),
}

/// Loads `args.snapshot` with its overlays and analyses it as `vpcreach analyze` would, with
/// the `extra` destinations traced as well.
pub(crate) fn run_analysis(args: &AnalyzeArgs, extra: &[&str]) -> Result<(Snapshot, Analysis), AnalysisError> {
    let mut specs: Vec<&'static ServiceSpec> = cli::pick_services(&args.selection).map_err(AnalysisError::Usage)?;
    for target in extra {
        if !specs.iter().any(|s| s.id == *target) {
            specs.push(services::custom_target(target).map_err(AnalysisError::Usage)?);
        }
    }
    let snapshot = model::load_with_overlays(&args.snapshot, &args.overlays).map_err(AnalysisError::Load)?;
    let (workloads, assumption) = cli::pick_workloads(&args.selection, &snapshot).map_err(AnalysisError::Usage)?;
    let mut analysis = reachability::analyze(&snapshot, &workloads, &specs);
    analysis.facts.extend(assumption);
    Ok((snapshot, analysis))
}

/// `vpcreach analyze SNAPSHOT ARGS…` parsed as the command line would be.
pub(crate) fn parse_analyze_args(snapshot: &Path, extra: &[String]) -> Result<AnalyzeArgs, String> {
    use clap::Parser;
    let argv = ["vpcreach".to_owned(), "analyze".to_owned(), snapshot.display().to_string()].into_iter().chain(extra.iter().cloned());
    match cli::Cli::try_parse_from(argv) {
        Ok(cli::Cli { command: cli::Command::Analyze(args) }) => Ok(args),
        Ok(_) => Err("not an analyze command".to_owned()),
        Err(e) => Err(e.render().to_string().lines().next().unwrap_or("invalid arguments").trim_start_matches("error: ").to_owned()),
    }
}

/// The case's `analyze` arguments: `args.json` (a list of strings), overlays resolved against
/// the case folder.
fn case_args(dir: &Path, snapshot: &Path) -> Result<AnalyzeArgs, LoadError> {
    let path = dir.join("args.json");
    let extra: Vec<String> = if path.is_file() {
        let (file, text) = read_source(&path)?;
        let invalid =
            |problem: Problem| LoadError::Invalid { path: file.name.clone(), problems: vec![problem], sources: vec![file.clone()] };
        let list: Vec<String> = serde_json::from_str(&text).map_err(|e| {
            let mut p = json_problem(SourceId(0), &text, &text, &e);
            p.message = format!("args.json must be a list of `vpcreach analyze` arguments: {}", p.message);
            invalid(p)
        })?;
        match parse_analyze_args(snapshot, &list) {
            Ok(_) => list,
            Err(message) => {
                return Err(invalid(
                    Problem::new(format!("invalid `vpcreach analyze` arguments: {message}"), Some(Span::new(SourceId(0), 0, text.len())))
                        .label("these arguments"),
                ))
            }
        }
    } else {
        Vec::new()
    };
    let mut args = parse_analyze_args(snapshot, &extra)
        .map_err(|message| LoadError::Io { path: path.display().to_string(), source: std::io::Error::other(message) })?;
    for overlay in &mut args.overlays {
        if overlay.is_relative() {
            *overlay = dir.join(&*overlay);
        }
    }
    Ok(args)
}

fn read_source(path: &Path) -> Result<(SourceFile, Arc<String>), LoadError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| LoadError::Io { path: name.clone(), source })?;
    if let Err(e) = std::str::from_utf8(&bytes) {
        // Bad input, as a snapshot that is not UTF-8 is: not read with replacement characters.
        let text = Arc::new(String::from_utf8_lossy(&bytes).into_owned());
        let problem =
            Problem::new("the file is not valid UTF-8", Some(Span::new(SourceId(0), e.valid_up_to(), 1))).label("invalid byte here");
        return Err(LoadError::Invalid { path: name.clone(), problems: vec![problem], sources: vec![SourceFile::new(name, text)] });
    }
    let text: Arc<String> = Arc::new(String::from_utf8_lossy(&bytes).trim_start_matches('\u{feff}').to_owned());
    Ok((SourceFile::new(name, text.clone()), text))
}

/// Parses and checks `expect.json`; every problem is located in the file.
fn read_expect(path: &Path) -> Result<Vec<Assertion>, LoadError> {
    let (file, text) = read_source(path)?;
    let source = SourceId(0);
    let mut problems = Vec::new();
    let mut assertions = Vec::new();
    match serde_json::from_str::<Vec<&RawValue>>(&text) {
        Err(e) => {
            let mut p = json_problem(source, &text, &text, &e);
            p.message = format!("expect.json must be a list of assertions: {}", p.message);
            problems.push(p);
        }
        Ok(items) => {
            for item in items {
                let span = span_in(source, &text, item.get());
                match serde_json::from_str::<Assertion>(item.get()) {
                    Err(e) => {
                        let mut p = json_problem(source, &text, item.get(), &e);
                        p.message = format!("invalid assertion: {}", p.message);
                        p.help = Some(
                            "an assertion is {\"workload\"|\"subnet\", \"service\"|\"to\", \"verdict\", \"egress\"?, \"access_type\"?, \"via\"?, \"codes\"?, \"blocked_by\"?}"
                                .to_owned(),
                        );
                        problems.push(p);
                    }
                    Ok(assertion) => {
                        let before = problems.len();
                        check_assertion(&assertion, &text, item.get(), span, &mut problems);
                        if problems.len() == before {
                            assertions.push(assertion);
                        }
                    }
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(assertions)
    } else {
        Err(LoadError::Invalid { path: file.name.clone(), problems, sources: vec![file] })
    }
}

/// The span of `field`'s value inside one assertion, or the assertion's.
fn field_span(text: &str, item: &str, span: Span, field: &str) -> Span {
    serde_json::from_str::<BTreeMap<String, &RawValue>>(item)
        .ok()
        .and_then(|m| m.get(field).map(|v| span_in(span.source, text, v.get())))
        .unwrap_or(span)
}

fn check_assertion(a: &Assertion, text: &str, item: &str, span: Span, problems: &mut Vec<Problem>) {
    let at = |field: &str| Some(field_span(text, item, span, field));
    if a.workload.is_none() && a.subnet.is_none() {
        problems.push(Problem::new("an assertion needs `workload` or `subnet`", Some(span)).label("this assertion"));
    }
    match (&a.service, &a.to) {
        (None, None) => problems.push(Problem::new("an assertion needs `service` or `to`", Some(span)).label("this assertion")),
        (Some(_), Some(_)) => problems.push(Problem::new("an assertion has either `service` or `to`, not both", at("to")).label("here")),
        (None, Some(to)) => {
            if let Err(message) = services::custom_target(to) {
                problems.push(Problem::new(format!("invalid `to`: {message}"), at("to")).label("here"));
            }
        }
        (Some(_), None) => {}
    }
    if !VERDICTS.contains(&a.verdict.as_str()) {
        problems.push(
            Problem::new(format!("unknown verdict `{}`", a.verdict), at("verdict"))
                .label("here")
                .help(format!("one of: {}", VERDICTS.join(", "))),
        );
    }
    if let Some(Some(egress)) = &a.egress {
        if !EGRESS.contains(&egress.as_str()) {
            problems.push(
                Problem::new(format!("unknown egress `{egress}`"), at("egress"))
                    .label("here")
                    .help(format!("one of: {}, or null", EGRESS.join(", "))),
            );
        }
    }
    if let Some(Some(access)) = &a.access_type {
        if !ACCESS_TYPES.contains(&access.as_str()) {
            problems.push(
                Problem::new(format!("unknown access_type `{access}`"), at("access_type"))
                    .label("here")
                    .help(format!("one of: {}, or null", ACCESS_TYPES.join(", "))),
            );
        }
    }
    let code_spans: Vec<Span> = serde_json::from_str::<BTreeMap<String, &RawValue>>(item)
        .ok()
        .and_then(|m| m.get("codes").and_then(|c| serde_json::from_str::<Vec<&RawValue>>(c.get()).ok()))
        .map(|list| list.iter().map(|c| span_in(span.source, text, c.get())).collect())
        .unwrap_or_default();
    for (index, code) in a.codes.iter().flatten().enumerate() {
        if rules::lookup(code).is_none() {
            let at = code_spans.get(index).copied().or_else(|| at("codes"));
            problems.push(Problem::new(format!("unknown diagnostic code `{code}`"), at).label("here").help("`vpcreach rules` lists them"));
        }
    }
}

fn strings(value: &Value) -> Vec<&str> {
    value.as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

fn show(value: Option<&str>) -> String {
    value.map_or_else(|| "null".to_owned(), |v| format!("\"{v}\""))
}

/// Checks one assertion against the report; one line per assertion.
fn check(case: &str, a: &Assertion, report: &Value, lines: &mut Vec<Line>) {
    let service = a.service.as_deref().or(a.to.as_deref()).unwrap_or_default();
    let name = format!("{} {} → {service}", a.workload.as_deref().unwrap_or("*"), a.subnet.as_deref().unwrap_or("*"));
    let results: Vec<&Value> = report["results"].as_array().map(|r| r.iter().filter(|r| selects(a, r)).collect()).unwrap_or_default();
    if results.is_empty() {
        lines.push(Line { case: case.to_owned(), name, outcome: Outcome::Failed("no such result in the analysis".to_owned()) });
        return;
    }
    // Codes about the snapshot as a whole (0xx) count for every result.
    let global_codes: Vec<&str> = report["diagnostics"].as_array().into_iter().flatten().filter_map(|d| d["code"].as_str()).collect();
    let mut reasons = Vec::new();
    for r in &results {
        let mut why = Vec::new();
        let verdict = r["verdict"].as_str().unwrap_or_default();
        if verdict != a.verdict {
            why.push(format!("verdict: expected {}, actual {verdict}", a.verdict));
        }
        if let Some(expected) = &a.egress {
            let actual = r["egress"].as_str();
            if actual != expected.as_deref() {
                why.push(format!("egress: expected {}, actual {}", show(expected.as_deref()), show(actual)));
            }
        }
        if let Some(expected) = &a.access_type {
            let actual = r["access_type"].as_str();
            if actual != expected.as_deref() {
                why.push(format!("access_type: expected {}, actual {}", show(expected.as_deref()), show(actual)));
            }
        }
        let path: Vec<&str> =
            r["path"].as_array().map(|p| p.iter().filter_map(|h| h["resource_id"].as_str()).collect()).unwrap_or_default();
        let missing: Vec<&str> = a.via.iter().flatten().map(String::as_str).filter(|id| !path.contains(id)).collect();
        // `via` is the path in order: each ID is looked for after the previous one's hop.
        let mut after = path.iter();
        let in_order = a.via.iter().flatten().all(|id| after.any(|hop| hop == id));
        if !missing.is_empty() {
            why.push(format!("via: expected the path to cross {}, actual path [{}]", missing.join(", "), path.join(", ")));
        } else if !in_order {
            let via: Vec<&str> = a.via.iter().flatten().map(String::as_str).collect();
            why.push(format!("via: expected the path to cross {} in this order, actual path [{}]", via.join(", "), path.join(", ")));
        }
        let diagnostics = r["diagnostics"].as_array().cloned().unwrap_or_default();
        let codes: Vec<&str> = diagnostics.iter().filter_map(|d| d["code"].as_str()).chain(global_codes.iter().copied()).collect();
        // Codes are accepted in any case (`vpcr503`), as `--ignore` and `explain` take them.
        let missing: Vec<&str> =
            a.codes.iter().flatten().map(String::as_str).filter(|c| !codes.iter().any(|code| code.eq_ignore_ascii_case(c))).collect();
        if !missing.is_empty() {
            let mut found = codes.clone();
            found.sort_unstable();
            found.dedup();
            why.push(format!("codes: expected {}, actual [{}]", missing.join(", "), found.join(", ")));
        }
        let named: Vec<&str> = diagnostics.iter().flat_map(|d| strings(&d["resource_ids"])).collect();
        let missing: Vec<&str> = a.blocked_by.iter().flatten().map(String::as_str).filter(|id| !named.contains(id)).collect();
        if !missing.is_empty() {
            why.push(format!("blocked_by: no diagnostic names {}", missing.join(", ")));
        }
        if !why.is_empty() {
            let prefix = if a.subnet.is_none() || a.workload.is_none() {
                format!("{} {}: ", r["workload"].as_str().unwrap_or_default(), r["subnet_id"].as_str().unwrap_or_default())
            } else {
                String::new()
            };
            reasons.push(format!("{prefix}{}", why.join("; ")));
        }
    }
    // What was asserted beyond the verdict, so an `ok` line says what it checked.
    let mut asserted = match &a.egress {
        Some(Some(egress)) => format!("{} via {egress}", a.verdict),
        _ => a.verdict.clone(),
    };
    if let Some(access) = &a.access_type {
        asserted.push_str(&format!(", access type {}", access.as_deref().unwrap_or("null")));
    }
    for (label, ids) in [("crossing", &a.via), ("with", &a.codes), ("blocked by", &a.blocked_by)] {
        if let Some(ids) = ids.as_ref().filter(|ids| !ids.is_empty()) {
            asserted.push_str(&format!(", {label} {}", ids.join(", ")));
        }
    }
    let outcome = if reasons.is_empty() { Outcome::Passed(asserted) } else { Outcome::Failed(reasons.join("; ")) };
    lines.push(Line { case: case.to_owned(), name, outcome });
}

/// Text for XML attributes and content: the five special characters escaped, and characters
/// XML 1.0 cannot hold at all replaced.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

fn junit_xml(lines: &[Line]) -> String {
    let mut cases: BTreeMap<&str, Vec<&Line>> = BTreeMap::new();
    for line in lines {
        cases.entry(line.case.as_str()).or_default().push(line);
    }
    let count = |ls: &[&Line], f: fn(&Outcome) -> bool| ls.iter().filter(|l| f(&l.outcome)).count();
    let is_failure = |o: &Outcome| matches!(o, Outcome::Failed(_));
    let is_error = |o: &Outcome| matches!(o, Outcome::BadInput(_));
    let is_skipped = |o: &Outcome| matches!(o, Outcome::Skipped(_));
    let all: Vec<&Line> = lines.iter().collect();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"vpcreach\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
        all.len(),
        count(&all, is_failure),
        count(&all, is_error),
        count(&all, is_skipped)
    );
    for (case, ls) in &cases {
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
            xml_escape(case),
            ls.len(),
            count(ls, is_failure),
            count(ls, is_error),
            count(ls, is_skipped)
        );
        for line in ls {
            let name = if line.name.is_empty() { "case" } else { line.name.as_str() };
            let head = format!("    <testcase classname=\"vpcreach.{}\" name=\"{}\"", xml_escape(case), xml_escape(name));
            match &line.outcome {
                Outcome::Passed(_) => {
                    let _ = writeln!(xml, "{head}/>");
                }
                Outcome::Failed(reason) => {
                    let _ = writeln!(xml, "{head}>\n      <failure message=\"{0}\">{0}</failure>\n    </testcase>", xml_escape(reason));
                }
                Outcome::BadInput(reason) => {
                    let _ = writeln!(xml, "{head}>\n      <error message=\"{0}\">{0}</error>\n    </testcase>", xml_escape(reason));
                }
                Outcome::Skipped(reason) => {
                    let _ = writeln!(xml, "{head}>\n      <skipped message=\"{}\"/>\n    </testcase>", xml_escape(reason));
                }
            }
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escape_covers_markup_and_control_characters() {
        assert_eq!(xml_escape("a<b>&\"c'\u{1}"), "a&lt;b&gt;&amp;&quot;c&apos;\u{fffd}");
    }

    #[test]
    fn junit_counts_outcomes() {
        let lines = vec![
            Line { case: "a".into(), name: "x".into(), outcome: Outcome::Passed("reachable".into()) },
            Line { case: "a".into(), name: "y <z>".into(), outcome: Outcome::Failed("expected \"p\"".into()) },
            Line { case: "b".into(), name: String::new(), outcome: Outcome::Skipped("no".into()) },
        ];
        let xml = junit_xml(&lines);
        assert!(xml.contains("<testsuites name=\"vpcreach\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\">"), "{xml}");
        assert!(xml.contains("name=\"y &lt;z&gt;\""), "{xml}");
        assert!(xml.contains("<failure message=\"expected &quot;p&quot;\">"), "{xml}");
    }
}
