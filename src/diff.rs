//! `vpcreach diff OLD NEW`: what a change does to every (workload subnet, service): what
//! became unreachable or reachable, what changed path or egress, and which diagnostics appeared
//! or vanished. Each side is analysed as `vpcreach analyze` would (same selection options), and
//! either side may take overlays, so one snapshot can be compared with itself plus a what-if
//! change. Exit 1 when something regressed: a reachable result that no longer is, or a new
//! error diagnostic.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use clap::ValueEnum;
use serde::Serialize;
use serde_json::Value;

use crate::cli::{ExitStatus, Selection};
use crate::expect::{parse_analyze_args, run_analysis, AnalysisError};
use crate::report::{self, HumanOptions};

pub const SCHEMA: &str = "vpcreach/diff/v1";

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum DiffFormat {
    Human,
    Json,
    /// A table and details, for a pull-request comment.
    Markdown,
    /// One self-contained page: the change of every cell, before and after side by side.
    Html,
}

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The snapshot before the change (file or Batfish-layout folder).
    pub old: PathBuf,
    /// The snapshot after the change; default: OLD again (with `--overlay`, a what-if).
    pub new: Option<PathBuf>,
    /// Overlay merged into NEW (repeatable, in order).
    #[arg(long = "overlay", value_name = "FILE")]
    pub overlays: Vec<PathBuf>,
    /// Overlay merged into OLD (repeatable, in order).
    #[arg(long = "old-overlay", value_name = "FILE")]
    pub old_overlays: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Colour of the diagnostics on standard error, as `analyze`.
    #[arg(long, value_enum, default_value_t = crate::cli::Color::Auto)]
    pub color: crate::cli::Color,
    /// Which services and workloads, as `analyze` (diagnostics left out of both sides too).
    #[command(flatten)]
    pub selection: Selection,
}

/// One side of the comparison as it is named in the output.
fn side_name(snapshot: &std::path::Path, overlays: &[PathBuf]) -> String {
    std::iter::once(snapshot).chain(overlays.iter().map(PathBuf::as_path)).map(|p| p.display().to_string()).collect::<Vec<_>>().join(" + ")
}

/// The state of one (workload, subnet, service) on one side.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SideResult {
    pub verdict: String,
    pub access_type: Option<String>,
    pub egress: Option<String>,
    /// Resource IDs of the hops, in order.
    pub path: Vec<String>,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    BecameUnreachable,
    BecameReachable,
    VerdictChanged,
    EgressChanged,
    PathChanged,
    Removed,
    Added,
}

impl ChangeKind {
    fn label(self) -> &'static str {
        match self {
            ChangeKind::BecameUnreachable => "became unreachable or unknown",
            ChangeKind::BecameReachable => "became reachable",
            ChangeKind::VerdictChanged => "changed verdict",
            ChangeKind::EgressChanged => "changed egress or access type",
            ChangeKind::PathChanged => "changed path",
            ChangeKind::Removed => "only in old",
            ChangeKind::Added => "only in new",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub is_regression: bool,
    pub workload: String,
    pub subnet_id: String,
    pub service: String,
    pub old: Option<SideResult>,
    pub new: Option<SideResult>,
}

/// Where a diagnostic was reported: a result, or the snapshot as a whole.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct ResultKey {
    pub workload: String,
    pub subnet_id: String,
    pub service: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DiagnosticChange {
    pub code: String,
    pub severity: String,
    pub message: String,
    /// The results that carry it; empty for a diagnostic about the snapshot as a whole.
    pub results: Vec<ResultKey>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct DiffSummary {
    pub compared: usize,
    pub became_unreachable: usize,
    pub became_reachable: usize,
    pub verdict_changed: usize,
    pub egress_changed: usize,
    pub path_changed: usize,
    pub removed: usize,
    pub added: usize,
    pub diagnostics_appeared: usize,
    pub diagnostics_vanished: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diagnostics {
    pub appeared: Vec<DiagnosticChange>,
    pub vanished: Vec<DiagnosticChange>,
}

/// The JSON form (`vpcreach/diff/v1`).
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub schema: &'static str,
    pub old: String,
    pub new: String,
    /// `regressed`, `changed` or `unchanged`.
    pub status: &'static str,
    pub summary: DiffSummary,
    pub changes: Vec<Change>,
    pub diagnostics: Diagnostics,
}

impl Diff {
    pub fn is_regression(&self) -> bool {
        self.status == "regressed"
    }
}

fn side_result(r: &Value) -> SideResult {
    let text = |v: &Value| v.as_str().map(str::to_owned);
    SideResult {
        verdict: r["verdict"].as_str().unwrap_or_default().to_owned(),
        access_type: text(&r["access_type"]),
        egress: text(&r["egress"]),
        // The subnet is the result's own and the DNS hop names the service: what can change
        // is the rest.
        path: r["path"]
            .as_array()
            .map(|p| p.iter().filter(|h| h["kind"] != "subnet" && h["kind"] != "dns").filter_map(|h| text(&h["resource_id"])).collect())
            .unwrap_or_default(),
    }
}

fn key_of(r: &Value) -> ResultKey {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    ResultKey { workload: text(&r["workload"]), subnet_id: text(&r["subnet_id"]), service: text(&r["service"]) }
}

/// (code, severity, message) → the results that carry it (none: about the snapshot).
type DiagnosticIndex = BTreeMap<(String, String, String), BTreeSet<Option<ResultKey>>>;

fn diagnostics_of(report: &Value) -> DiagnosticIndex {
    let mut index = DiagnosticIndex::new();
    let identity = |d: &Value| {
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        (text(&d["code"]), text(&d["severity"]), text(&d["message"]))
    };
    for d in report["diagnostics"].as_array().into_iter().flatten() {
        index.entry(identity(d)).or_default().insert(None);
    }
    for r in report["results"].as_array().into_iter().flatten() {
        for d in r["diagnostics"].as_array().into_iter().flatten() {
            index.entry(identity(d)).or_default().insert(Some(key_of(r)));
        }
    }
    index
}

fn diagnostic_changes(from: &DiagnosticIndex, to: &DiagnosticIndex) -> Vec<DiagnosticChange> {
    let mut out = Vec::new();
    for ((code, severity, message), places) in to {
        let before = from.get(&(code.clone(), severity.clone(), message.clone()));
        let new: Vec<&Option<ResultKey>> = places.iter().filter(|p| before.is_none_or(|b| !b.contains(*p))).collect();
        if new.is_empty() {
            continue;
        }
        out.push(DiagnosticChange {
            code: code.clone(),
            severity: severity.clone(),
            message: message.clone(),
            results: new.into_iter().flatten().cloned().collect(),
        });
    }
    let rank = |s: &str| match s {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    };
    out.sort_by(|a, b| (rank(&a.severity), &a.code, &a.message).cmp(&(rank(&b.severity), &b.code, &b.message)));
    out
}

/// Compares two JSON reports (`vpcreach/report/v1`).
pub fn compare(old_name: String, new_name: String, old: &Value, new: &Value) -> Diff {
    let index = |report: &Value| -> BTreeMap<ResultKey, SideResult> {
        report["results"].as_array().into_iter().flatten().map(|r| (key_of(r), side_result(r))).collect()
    };
    let (before, after) = (index(old), index(new));
    let keys: BTreeSet<&ResultKey> = before.keys().chain(after.keys()).collect();
    // Changes are listed in the reports' own order (workload, subnet, then the profile's
    // service order), NEW's first, then what only OLD has.
    let mut order: BTreeMap<ResultKey, usize> = BTreeMap::new();
    for r in new["results"].as_array().into_iter().flatten().chain(old["results"].as_array().into_iter().flatten()) {
        let next = order.len();
        order.entry(key_of(r)).or_insert(next);
    }
    let mut summary = DiffSummary { compared: keys.len(), ..DiffSummary::default() };
    let mut changes = Vec::new();
    for key in keys {
        let (o, n) = (before.get(key), after.get(key));
        let kind = match (o, n) {
            (Some(o), Some(n)) if o.verdict == "reachable" && n.verdict != "reachable" => ChangeKind::BecameUnreachable,
            (Some(o), Some(n)) if o.verdict != "reachable" && n.verdict == "reachable" => ChangeKind::BecameReachable,
            (Some(o), Some(n)) if o.verdict != n.verdict => ChangeKind::VerdictChanged,
            (Some(o), Some(n)) if o.egress != n.egress || o.access_type != n.access_type => ChangeKind::EgressChanged,
            (Some(o), Some(n)) if o.path != n.path => ChangeKind::PathChanged,
            (Some(_), Some(_)) => continue,
            (Some(_), None) => ChangeKind::Removed,
            (None, _) => ChangeKind::Added,
        };
        match kind {
            ChangeKind::BecameUnreachable => summary.became_unreachable += 1,
            ChangeKind::BecameReachable => summary.became_reachable += 1,
            ChangeKind::VerdictChanged => summary.verdict_changed += 1,
            ChangeKind::EgressChanged => summary.egress_changed += 1,
            ChangeKind::PathChanged => summary.path_changed += 1,
            ChangeKind::Removed => summary.removed += 1,
            ChangeKind::Added => summary.added += 1,
        }
        changes.push(Change {
            kind,
            // A result only NEW has and that is not reachable (a subnet or service added, or
            // renamed, that fails) breaks connectivity as much as one that stopped working.
            is_regression: kind == ChangeKind::BecameUnreachable
                || (kind == ChangeKind::Added && n.is_some_and(|n| n.verdict != "reachable")),
            workload: key.workload.clone(),
            subnet_id: key.subnet_id.clone(),
            service: key.service.clone(),
            old: o.cloned(),
            new: n.cloned(),
        });
    }
    let position = |c: &Change| {
        let key = ResultKey { workload: c.workload.clone(), subnet_id: c.subnet_id.clone(), service: c.service.clone() };
        order.get(&key).copied().unwrap_or(usize::MAX)
    };
    changes.sort_by_key(|c| (c.kind, position(c)));
    let (old_diagnostics, new_diagnostics) = (diagnostics_of(old), diagnostics_of(new));
    let appeared = diagnostic_changes(&old_diagnostics, &new_diagnostics);
    let vanished = diagnostic_changes(&new_diagnostics, &old_diagnostics);
    summary.diagnostics_appeared = appeared.len();
    summary.diagnostics_vanished = vanished.len();
    let regressed = changes.iter().any(|c| c.is_regression) || appeared.iter().any(|d| d.severity == "error");
    let status = if regressed {
        "regressed"
    } else if changes.is_empty() && appeared.is_empty() && vanished.is_empty() {
        "unchanged"
    } else {
        "changed"
    };
    Diff { schema: SCHEMA, old: old_name, new: new_name, status, summary, changes, diagnostics: Diagnostics { appeared, vanished } }
}

/// Runs `vpcreach diff`.
pub fn run(args: &DiffArgs, out: &mut dyn Write, err: &mut dyn Write) -> ExitStatus {
    let options = HumanOptions { color: args.color.on_stderr(), width: 110 };
    let new_path = args.new.clone().unwrap_or_else(|| args.old.clone());
    let mut reports = Vec::new();
    // The typed side of each report too: the HTML page shows hop locations and full diagnostics.
    let mut sides = Vec::new();
    for (path, overlays) in [(&args.old, &args.old_overlays), (&new_path, &args.overlays)] {
        let mut analyze = match parse_analyze_args(path, &[]) {
            Ok(a) => a,
            Err(message) => {
                let _ = writeln!(err, "error: {message}");
                return ExitStatus::Error;
            }
        };
        analyze.overlays.clone_from(overlays);
        analyze.selection = args.selection.clone();
        match run_analysis(&analyze, &[]) {
            Ok((snapshot, analysis)) => {
                let typed = report::json_report(&snapshot, &analysis, &args.selection.ignore);
                reports.push(serde_json::to_value(&typed).unwrap_or_default());
                sides.push((snapshot, typed));
            }
            Err(AnalysisError::Load(e)) => {
                let _ = write!(err, "{}", report::render_load_error(&e, options));
                return ExitStatus::Error;
            }
            Err(AnalysisError::Usage(message)) => {
                let _ = writeln!(err, "error: {}: {message}", path.display());
                return ExitStatus::Error;
            }
        }
    }
    let (Some(old), Some(new)) = (reports.first(), reports.get(1)) else { return ExitStatus::Error };
    let diff = compare(side_name(&args.old, &args.old_overlays), side_name(&new_path, &args.overlays), old, new);
    let text = match args.format {
        DiffFormat::Human => human(&diff),
        DiffFormat::Json => serde_json::to_string_pretty(&diff).unwrap_or_default() + "\n",
        DiffFormat::Markdown => markdown(&diff),
        DiffFormat::Html => {
            let (Some((old_snapshot, old_report)), Some((new_snapshot, new_report))) = (sides.first(), sides.get(1)) else {
                return ExitStatus::Error;
            };
            crate::pictures::diff_html::render(
                &diff,
                crate::pictures::diff_html::Side { snapshot: old_snapshot, report: old_report },
                crate::pictures::diff_html::Side { snapshot: new_snapshot, report: new_report },
            )
        }
    };
    let _ = out.write_all(text.as_bytes());
    if diff.is_regression() {
        ExitStatus::Degraded
    } else {
        ExitStatus::Ready
    }
}

fn outcome(side: Option<&SideResult>) -> String {
    match side {
        None => "absent".to_owned(),
        Some(s) => match &s.egress {
            Some(egress) => format!("{} via {egress}", s.verdict),
            None => s.verdict.clone(),
        },
    }
}

fn path_text(side: Option<&SideResult>) -> String {
    match side {
        Some(s) if !s.path.is_empty() => s.path.join(" → "),
        Some(_) => "no path".to_owned(),
        None => "absent".to_owned(),
    }
}

fn counts(diff: &Diff) -> String {
    let s = &diff.summary;
    let parts: Vec<String> = [
        (s.became_unreachable, "became unreachable or unknown"),
        (s.became_reachable, "became reachable"),
        (s.verdict_changed, "changed verdict"),
        (s.egress_changed, "changed egress or access type"),
        (s.path_changed, "changed path"),
        (s.removed, "only in old"),
        (s.added, "only in new"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    let results = if parts.is_empty() { "no result changed".to_owned() } else { parts.join(", ") };
    format!(
        "{} results compared: {results}; diagnostics: {} appeared, {} vanished",
        s.compared, s.diagnostics_appeared, s.diagnostics_vanished
    )
}

/// The verdict of a comparison in words (the human, Markdown and HTML headers).
pub(crate) fn status_word(diff: &Diff) -> &'static str {
    match diff.status {
        "regressed" => "REGRESSED",
        "changed" => "CHANGED, no regression",
        _ => "UNCHANGED",
    }
}

fn result_name(key: &ResultKey) -> String {
    format!("{} · {} · {}", key.workload, key.subnet_id, key.service)
}

/// The terminal form.
pub fn human(diff: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "vpcreach diff: {} → {}", diff.old, diff.new);
    let _ = writeln!(out, "{}: {}", counts(diff), status_word(diff));
    let mut kinds: Vec<ChangeKind> = diff.changes.iter().map(|c| c.kind).collect();
    kinds.dedup();
    for kind in kinds {
        let _ = writeln!(out, "\n{}", kind.label());
        for c in diff.changes.iter().filter(|c| c.kind == kind) {
            let mark = if c.is_regression { "✘" } else { " " };
            let _ = writeln!(
                out,
                "  {mark} {} · {} · {}: {} → {}",
                c.workload,
                c.subnet_id,
                c.service,
                outcome(c.old.as_ref()),
                outcome(c.new.as_ref())
            );
            let _ = writeln!(out, "      before: {}", path_text(c.old.as_ref()));
            let _ = writeln!(out, "      after:  {}", path_text(c.new.as_ref()));
        }
    }
    for (title, sign, list) in
        [("diagnostics that appeared", "+", &diff.diagnostics.appeared), ("diagnostics that vanished", "-", &diff.diagnostics.vanished)]
    {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}");
        for d in list {
            let _ = writeln!(out, "  {sign} {} {}: {}", d.code, d.severity, d.message);
            if d.results.is_empty() {
                let _ = writeln!(out, "      about the snapshot");
            }
            for r in &d.results {
                let _ = writeln!(out, "      {}", result_name(r));
            }
        }
    }
    out
}

/// Escapes text for a Markdown table cell or line: markup characters and HTML are inert.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            // `$` too: GitHub renders `$…$` as math.
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The pull-request comment form: a table of the changed results, then details.
pub fn markdown(diff: &Diff) -> String {
    let mut out = String::new();
    let icon = match diff.status {
        "regressed" => "❌",
        "changed" => "⚠️",
        _ => "✅",
    };
    let _ = writeln!(out, "### {icon} vpcreach diff: {}\n", status_word(diff));
    let _ = writeln!(out, "{} → {}\n", md(&diff.old), md(&diff.new));
    let _ = writeln!(out, "{}.\n", md(&counts(diff)));
    if !diff.changes.is_empty() {
        out.push_str("| change | workload | subnet | service | before | after |\n|---|---|---|---|---|---|\n");
        for c in &diff.changes {
            let mark = if c.is_regression { "❌ " } else { "" };
            let _ = writeln!(
                out,
                "| {mark}{} | {} | {} | {} | {} | {} |",
                c.kind.label(),
                md(&c.workload),
                md(&c.subnet_id),
                md(&c.service),
                md(&outcome(c.old.as_ref())),
                md(&outcome(c.new.as_ref()))
            );
        }
        out.push_str("\n<details><summary>Paths</summary>\n\n");
        for c in &diff.changes {
            let _ = writeln!(out, "- **{} · {} · {}**", md(&c.workload), md(&c.subnet_id), md(&c.service));
            let _ = writeln!(out, "  - before: {}", md(&path_text(c.old.as_ref())));
            let _ = writeln!(out, "  - after: {}", md(&path_text(c.new.as_ref())));
        }
        out.push_str("\n</details>\n");
    }
    for (title, list) in
        [("Diagnostics that appeared", &diff.diagnostics.appeared), ("Diagnostics that vanished", &diff.diagnostics.vanished)]
    {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n<details><summary>{title} ({})</summary>\n", list.len());
        out.push_str("| code | severity | message | results |\n|---|---|---|---|\n");
        for d in list {
            let places = if d.results.is_empty() {
                "the snapshot".to_owned()
            } else {
                d.results.iter().map(result_name).collect::<Vec<_>>().join("; ")
            };
            let _ = writeln!(out, "| {} | {} | {} | {} |", md(&d.code), md(&d.severity), md(&d.message), md(&places));
        }
        out.push_str("\n</details>\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_cells_are_inert() {
        assert_eq!(md("a|b <script>`x`\n*y* $1"), "a\\|b &lt;script&gt;\\`x\\` \\*y\\* \\$1");
    }

    #[test]
    fn a_reachable_result_that_becomes_unknown_is_a_regression() {
        let report = |verdict: &str| {
            serde_json::json!({"results": [{"workload": "w", "subnet_id": "s", "service": "s3", "verdict": verdict,
                "egress": null, "access_type": null, "path": [], "diagnostics": []}], "diagnostics": []})
        };
        let diff = compare("a".into(), "b".into(), &report("reachable"), &report("unknown"));
        assert_eq!(diff.status, "regressed");
        assert_eq!(diff.summary.became_unreachable, 1);
        let back = compare("b".into(), "a".into(), &report("unknown"), &report("reachable"));
        assert_eq!(back.status, "changed");
        assert_eq!(back.summary.became_reachable, 1);
        assert_eq!(compare("a".into(), "a".into(), &report("unreachable"), &report("unreachable")).status, "unchanged");
    }
}
