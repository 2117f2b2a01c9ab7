//! `diff --format html`: the browser view of a comparison. One self-contained page (the style,
//! escaping and show/hide script of [`super::html`]): the verdict and the count of each change
//! kind; the workload subnet × service matrix of the NEW side (plus what only OLD had), each
//! cell coloured by its change; a click opens OLD and NEW side by side (verdict, access type,
//! egress, path hop by hop with where each hop is in its snapshot) with the diagnostics of that
//! result that appeared or vanished; then the diagnostics that appeared or vanished overall.
//!
//! The change of each cell is the one of [`Diff::changes`], so the page and `--format json`
//! agree; the typed reports of both sides only add what the JSON diff leaves out (hop kinds,
//! names, locations, full diagnostics). Every string from a snapshot goes through [`escape`].

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::html::{diagnostic_item, escape, mark, page_end, page_start, path_list, snake};
use super::verdict_str;
use crate::diff::{status_word, Change, ChangeKind, DiagnosticChange, Diff, ResultKey};
use crate::model::Snapshot;
use crate::report::{JsonDiagnostic, JsonReport, JsonResult};

/// One side of the comparison as analysed: its snapshot (for hop locations) and its report.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    pub snapshot: &'a Snapshot,
    pub report: &'a JsonReport,
}

impl<'a> Side<'a> {
    fn result(&self, key: &ResultKey) -> Option<&'a JsonResult> {
        self.report.results.iter().find(|r| r.workload == key.workload && r.subnet_id == key.subnet_id && r.service == key.service)
    }
}

const STYLE: &str = r#"
.status-regressed { color: #ef9a9a; font-weight: bold; }
.status-changed { color: #ffe082; font-weight: bold; }
.status-unchanged { color: #a5d6a7; font-weight: bold; }
header .sides-names { color: #b0bec5; font-size: 13px; margin-bottom: 4px; }
ul#counts { list-style: none; padding: 0; margin: 8px 0 0; }
ul#counts li { display: inline-block; margin: 2px 6px 2px 0; padding: 2px 8px; border-radius: 4px; font-size: 13px; }
ul#counts li.zero { opacity: 0.55; }
.ch-became_unreachable { background: var(--bad-bg); color: var(--bad); }
.ch-became_reachable { background: var(--ok-bg); color: var(--ok); }
.ch-verdict_changed { background: #ffe0b2; color: #e65100; }
.ch-egress_changed { background: #bbdefb; color: #0d47a1; }
.ch-path_changed { background: #e1bee7; color: #6a1b9a; }
.ch-added { background: #b2ebf2; color: #006064; }
.ch-removed { background: #d7ccc8; color: #4e342e; }
.ch-unchanged { background: #ffffff; color: #78909c; }
.ch-diagnostics { background: #eceff1; color: #37474f; }
#matrix td.cell.regression { box-shadow: inset 0 0 0 2px var(--bad); }
#matrix td.cell small { display: block; font-weight: normal; font-size: 11px; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
.side { border: 1px solid #cfd8dc; border-radius: 4px; padding: 8px 12px; background: #fbfcfc; min-width: 0; }
.side h4 { margin: 4px 0; }
.side.absent { color: #90a4ae; }
ul.diagnostics.appeared li { background: #fff5f5; }
ul.diagnostics.vanished li { background: #f4fbf4; text-decoration: line-through; text-decoration-color: #90a4ae; }
ul.places { margin: 2px 0 0; padding-left: 18px; color: #546e7a; }
ul.diagnostics ul.places li { border: 0; padding: 0; margin: 1px 0; background: none; list-style: disc; }
"#;

/// Every kind a cell can show, in the order of the header and the legend.
const KINDS: [(&str, &str); 8] = [
    ("became_unreachable", "became unreachable or unknown"),
    ("became_reachable", "became reachable"),
    ("verdict_changed", "verdict changed"),
    ("egress_changed", "egress or access type changed"),
    ("path_changed", "path changed"),
    ("added", "only in new"),
    ("removed", "only in old"),
    ("unchanged", "unchanged"),
];

/// The change of a cell as `--format json` names it, or `unchanged`.
fn kind_name(change: Option<&Change>) -> &'static str {
    match change.map(|c| c.kind) {
        None => "unchanged",
        Some(ChangeKind::BecameUnreachable) => "became_unreachable",
        Some(ChangeKind::BecameReachable) => "became_reachable",
        Some(ChangeKind::VerdictChanged) => "verdict_changed",
        Some(ChangeKind::EgressChanged) => "egress_changed",
        Some(ChangeKind::PathChanged) => "path_changed",
        Some(ChangeKind::Removed) => "removed",
        Some(ChangeKind::Added) => "added",
    }
}

fn kind_label(name: &str) -> &'static str {
    KINDS.iter().find(|(n, _)| *n == name).map_or("", |(_, label)| label)
}

/// The text of a cell: the verdict marks of both sides and a short word.
fn cell_text(name: &str, old: Option<&JsonResult>, new: Option<&JsonResult>) -> String {
    let m = |r: Option<&JsonResult>| r.map_or("–", |r| mark(r.verdict));
    let word = match name {
        "became_unreachable" => "lost",
        "became_reachable" => "fixed",
        "verdict_changed" => "verdict",
        "egress_changed" => "egress",
        "path_changed" => "path",
        "added" => "new",
        "removed" => "gone",
        _ => "same",
    };
    match name {
        "unchanged" | "added" => format!("{}<small>{word}</small>", m(new)),
        "removed" => format!("{}<small>{word}</small>", m(old)),
        _ => format!("{}→{}<small>{word}</small>", m(old), m(new)),
    }
}

type Identity = (&'static str, &'static str, String);

fn identity(d: &JsonDiagnostic) -> Identity {
    (d.code, d.severity.as_str(), d.message.clone())
}

/// The diagnostics of `to` that `from` does not carry (by code, severity and message, as the
/// JSON diff compares them), each once.
fn new_diagnostics<'a>(from: Option<&JsonResult>, to: Option<&'a JsonResult>) -> Vec<&'a JsonDiagnostic> {
    let before: BTreeSet<Identity> = from.map(|r| r.diagnostics.iter().map(identity).collect()).unwrap_or_default();
    let mut seen = BTreeSet::new();
    to.map(|r| r.diagnostics.iter().filter(|d| !before.contains(&identity(d)) && seen.insert(identity(d))).collect()).unwrap_or_default()
}

fn side_html(out: &mut String, class: &str, title: &str, name: &str, side: Side<'_>, r: Option<&JsonResult>) {
    let Some(r) = r else {
        let _ = writeln!(
            out,
            "<div class=\"side {class} absent\"><h4>{title} <span class=\"muted\">{}</span></h4><p>not analysed on this side</p></div>",
            escape(name)
        );
        return;
    };
    let _ = writeln!(
        out,
        "<div class=\"side {class}\" data-verdict=\"{v}\"><h4>{title} <span class=\"muted\">{}</span></h4>\n<p>verdict <span class=\"verdict-{v}\">{v}</span> · access type <span class=\"access-type\">{}</span> · egress <span class=\"egress\">{}</span></p>",
        escape(name),
        escape(&snake(r.access_type)),
        escape(&snake(r.egress)),
        v = verdict_str(r.verdict)
    );
    path_list(out, side.snapshot, r);
    let codes: Vec<&str> = r.diagnostics.iter().map(|d| d.code).collect();
    let _ = writeln!(
        out,
        "<p class=\"muted\">diagnostics: {}</p>\n</div>",
        if codes.is_empty() { "none".to_owned() } else { escape(&codes.join(", ")) }
    );
}

fn diagnostic_list(out: &mut String, class: &str, title: &str, list: &[&JsonDiagnostic]) {
    let _ = writeln!(out, "<h4>{title}</h4>");
    if list.is_empty() {
        let _ = writeln!(out, "<p class=\"muted {class}-none\">none</p>");
        return;
    }
    let _ = writeln!(out, "<ul class=\"diagnostics {class}\">");
    for d in list {
        diagnostic_item(out, d);
    }
    out.push_str("</ul>\n");
}

fn detail(out: &mut String, id: &str, key: &ResultKey, change: Option<&Change>, diff: &Diff, old: Side<'_>, new: Side<'_>) {
    let name = kind_name(change);
    let (o, n) = (old.result(key), new.result(key));
    let is_regression = change.is_some_and(|c| c.is_regression);
    let _ = writeln!(
        out,
        "<article class=\"detail\" id=\"{id}\" data-change=\"{name}\" hidden>\n<h3>{} · {} → {} <span class=\"change ch-{name}\">{}{}</span></h3>",
        escape(&key.workload),
        escape(&key.subnet_id),
        escape(&key.service),
        kind_label(name),
        if is_regression { " (regression)" } else { "" }
    );
    out.push_str("<div class=\"sides\">\n");
    side_html(out, "old", "before", &diff.old, old, o);
    side_html(out, "new", "after", &diff.new, new, n);
    out.push_str("</div>\n");
    diagnostic_list(out, "appeared", "Diagnostics that appeared", &new_diagnostics(o, n));
    diagnostic_list(out, "vanished", "Diagnostics that vanished", &new_diagnostics(n, o));
    out.push_str("</article>\n");
}

/// Rows `(workload, subnet)` and columns (services): NEW's results in order, then OLD's.
fn axes(old: &JsonReport, new: &JsonReport) -> (Vec<(String, String)>, Vec<&'static str>) {
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut services: Vec<&'static str> = Vec::new();
    for r in new.results.iter().chain(&old.results) {
        let row = (r.workload.clone(), r.subnet_id.clone());
        if !rows.contains(&row) {
            rows.push(row);
        }
        if !services.contains(&r.service) {
            services.push(r.service);
        }
    }
    (rows, services)
}

fn header(out: &mut String, diff: &Diff, unchanged: usize) {
    let status = status_word(diff);
    let _ = writeln!(
        out,
        "<header><h1>vpcreach diff: <span id=\"status\" class=\"status-{}\" data-status=\"{}\">{status}</span></h1>\n<p class=\"sides-names\">{} → {}</p>",
        diff.status,
        diff.status,
        escape(&diff.old),
        escape(&diff.new)
    );
    let s = &diff.summary;
    let count = |name: &str| match name {
        "became_unreachable" => s.became_unreachable,
        "became_reachable" => s.became_reachable,
        "verdict_changed" => s.verdict_changed,
        "egress_changed" => s.egress_changed,
        "path_changed" => s.path_changed,
        "added" => s.added,
        "removed" => s.removed,
        _ => unchanged,
    };
    let _ = write!(out, "<ul id=\"counts\"><li class=\"ch-unchanged\">{} results compared</li>", s.compared);
    for (name, label) in KINDS {
        let n = count(name);
        let zero = if n == 0 { " zero" } else { "" };
        let _ = write!(out, "<li class=\"ch-{name}{zero}\" data-kind=\"{name}\" data-count=\"{n}\">{n} {label}</li>");
    }
    let _ = writeln!(
        out,
        "<li class=\"ch-diagnostics\" data-kind=\"diagnostics_appeared\" data-count=\"{0}\">{0} diagnostics appeared</li><li class=\"ch-diagnostics\" data-kind=\"diagnostics_vanished\" data-count=\"{1}\">{1} diagnostics vanished</li></ul></header>\n<main>",
        s.diagnostics_appeared, s.diagnostics_vanished
    );
}

fn place_list(out: &mut String, d: &DiagnosticChange) {
    if d.results.is_empty() {
        out.push_str("<div class=\"muted\">about the snapshot</div>");
        return;
    }
    out.push_str("<ul class=\"places\">");
    for r in &d.results {
        let _ = write!(out, "<li>{} · {} · {}</li>", escape(&r.workload), escape(&r.subnet_id), escape(&r.service));
    }
    out.push_str("</ul>");
}

/// The diagnostics that appeared or vanished anywhere: snapshot-wide ones in full (from the
/// report of the side that has them), the others with the results that carry them.
fn overall(out: &mut String, id: &str, title: &str, list: &[DiagnosticChange], side: Side<'_>) {
    let _ = writeln!(out, "<section id=\"{id}\">\n<h2>{title}</h2>");
    if list.is_empty() {
        out.push_str("<p class=\"muted\">none</p>\n</section>\n");
        return;
    }
    out.push_str("<ul class=\"diagnostics\">\n");
    for d in list {
        let full = side
            .report
            .diagnostics
            .iter()
            .chain(side.report.results.iter().flat_map(|r| &r.diagnostics))
            .find(|j| j.code == d.code && j.severity.as_str() == d.severity && j.message == d.message);
        match full {
            Some(j) if d.results.is_empty() => {
                diagnostic_item(out, j);
                continue;
            }
            _ => {}
        }
        let _ = write!(
            out,
            "<li class=\"diag sev-{}\" data-code=\"{}\"><code class=\"code\">{}</code> <span class=\"severity\">{}</span>: <span class=\"message\">{}</span>",
            escape(&d.severity),
            escape(&d.code),
            escape(&d.code),
            escape(&d.severity),
            escape(&d.message)
        );
        if let Some(help) = full.and_then(|j| j.help.as_ref()) {
            let _ = write!(out, "<div class=\"help\">help: {}</div>", escape(help));
        }
        place_list(out, d);
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n</section>\n");
}

/// The whole page of a comparison.
pub fn render(diff: &Diff, old: Side<'_>, new: Side<'_>) -> String {
    let mut out = page_start(&format!("diff {} → {}", diff.old, diff.new), STYLE);
    let (rows, services) = axes(old.report, new.report);
    let change_of = |key: &ResultKey| {
        diff.changes.iter().find(|c| c.workload == key.workload && c.subnet_id == key.subnet_id && c.service == key.service)
    };
    let mut cells = String::new();
    let mut details = String::new();
    let mut unchanged = 0;
    let mut n = 0;
    for (workload, subnet) in &rows {
        let _ = write!(
            cells,
            "<tr data-workload=\"{0}\" data-subnet=\"{1}\"><th>{0}</th><th><code>{1}</code></th>",
            escape(workload),
            escape(subnet)
        );
        for s in &services {
            let key = ResultKey { workload: workload.clone(), subnet_id: subnet.clone(), service: (*s).to_owned() };
            let (o, nw) = (old.result(&key), new.result(&key));
            if o.is_none() && nw.is_none() {
                let _ = write!(cells, "<td class=\"no-result\" data-service=\"{}\">–</td>", escape(s));
                continue;
            }
            let change = change_of(&key);
            let name = kind_name(change);
            if change.is_none() {
                unchanged += 1;
            }
            let regression = if change.is_some_and(|c| c.is_regression) { " regression" } else { "" };
            let id = format!("d{n}");
            n += 1;
            let _ = write!(
                cells,
                "<td class=\"cell ch-{name}{regression}\" data-result=\"{id}\" data-service=\"{svc}\" data-change=\"{name}\" tabindex=\"0\" role=\"button\" aria-pressed=\"false\" title=\"{svc}: {}\">{}</td>",
                kind_label(name),
                cell_text(name, o, nw),
                svc = escape(s)
            );
            detail(&mut details, &id, &key, change, diff, old, new);
        }
        cells.push_str("</tr>\n");
    }
    header(&mut out, diff, unchanged);
    out.push_str("<section id=\"matrix-section\">\n<h2>Workload subnets × services (new side)</h2>\n");
    if rows.is_empty() {
        out.push_str("<p class=\"muted\">no workload subnets were analysed</p>\n");
    } else {
        out.push_str("<table id=\"matrix\">\n<thead><tr><th>workload</th><th>subnet</th>");
        for s in &services {
            let _ = write!(out, "<th data-service=\"{0}\">{0}</th>", escape(s));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        out.push_str(&cells);
        out.push_str("</tbody>\n</table>\n<p class=\"legend\">");
        for (name, label) in KINDS {
            let _ = write!(out, "<span><i class=\"ch-{name}\"></i>{label}</span>");
        }
        out.push_str("<span class=\"muted\">outlined: a regression · rows and columns only the old side has come last · click a cell for before and after</span></p>\n");
    }
    out.push_str("</section>\n");
    out.push_str(
        "<section id=\"details\">\n<h2>Before and after</h2>\n<p id=\"details-empty\" class=\"muted\">Select a cell of the matrix.</p>\n",
    );
    out.push_str(&details);
    out.push_str("</section>\n");
    overall(&mut out, "appeared", "Diagnostics that appeared", &diff.diagnostics.appeared, new);
    overall(&mut out, "vanished", "Diagnostics that vanished", &diff.diagnostics.vanished, old);
    page_end(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::expect::{parse_analyze_args, run_analysis};
    use crate::report::json_report;

    const EVIL: &str = "<script>alert(1)</script><img src=x onerror=alert(2)>\"&'";

    fn fixture(path: &str) -> String {
        format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))
    }

    fn side(path: &str, overlays: &[&str]) -> (Snapshot, JsonReport) {
        let mut args = parse_analyze_args(Path::new(path), &[]).unwrap();
        args.overlays = overlays.iter().map(PathBuf::from).collect();
        let (snapshot, analysis) = run_analysis(&args, &[]).map_err(|e| format!("{e:?}")).unwrap();
        let report = json_report(&snapshot, &analysis, &[]);
        (snapshot, report)
    }

    fn page(old: &(Snapshot, JsonReport), new: &(Snapshot, JsonReport)) -> (Diff, String) {
        let value = |r: &JsonReport| serde_json::to_value(r).unwrap();
        let diff = crate::diff::compare("old <a>".into(), "new <b>".into(), &value(&old.1), &value(&new.1));
        let html = render(&diff, Side { snapshot: &old.0, report: &old.1 }, Side { snapshot: &new.0, report: &new.1 });
        (diff, html)
    }

    fn delete_nat() -> (Diff, String) {
        let base = fixture("fixtures/what-if/delete-nat/snapshot.json");
        let overlay = fixture("fixtures/what-if/delete-nat/overlay.json");
        page(&side(&base, &[]), &side(&base, &[&overlay]))
    }

    #[test]
    fn deleting_the_nat_turns_every_cell_red_with_before_and_after() {
        let (diff, html) = delete_nat();
        assert!(diff.is_regression());
        assert_eq!(html.matches("<td class=\"cell ch-became_unreachable regression\"").count(), 10);
        assert_eq!(html.matches("<td class=\"cell ").count(), 10);
        assert_eq!(html.matches("<article class=\"detail\"").count(), 10);
        assert!(html.contains("<span id=\"status\" class=\"status-regressed\" data-status=\"regressed\">REGRESSED</span>"));
        assert!(html.contains("data-kind=\"became_unreachable\" data-count=\"10\""));
        assert!(html.contains("data-kind=\"unchanged\" data-count=\"0\""));
        // The first detail: the old path through the NAT, the new one stopping at the
        // blackhole route, and the VPCR102 that appeared for it.
        let start = html.find("<article class=\"detail\" id=\"d0\"").unwrap();
        let d0 = &html[start..start + html[start..].find("</article>").unwrap()];
        let (old, new) = d0.split_at(d0.find("<div class=\"side new\"").unwrap());
        assert!(old.contains("<span class=\"verdict-reachable\">reachable</span>"));
        assert!(old.contains("<code class=\"hop-id\">nat-09d86fe5cd1d54dca</code>"));
        assert!(new.contains("<span class=\"verdict-unreachable\">unreachable</span>"));
        assert!(!new.contains("<code class=\"hop-id\">nat-09d86fe5cd1d54dca</code>"));
        assert!(new.contains("<li class=\"hop blocked-hop\" data-kind=\"route_table\">"));
        assert!(new.contains("delete-nat/snapshot.json:204:9"), "{new}");
        let appeared = &new[new.find("<ul class=\"diagnostics appeared\">").unwrap()..new.find("Diagnostics that vanished").unwrap()];
        assert!(appeared.contains("<code class=\"code\">VPCR102</code>"));
        assert!(new.contains("<p class=\"muted vanished-none\">none</p>"));
        // Overall: the blackholes appeared, the NAT warnings vanished.
        let overall = &html[html.find("<section id=\"appeared\">").unwrap()..];
        assert!(overall.contains("data-code=\"VPCR102\""));
        assert!(overall[overall.find("<section id=\"vanished\">").unwrap()..].contains("data-code=\"VPCR111\""));
        assert_eq!(html, delete_nat().1, "output is deterministic");
    }

    #[test]
    fn the_way_back_is_green_and_unchanged_cells_stay_plain() {
        let base = fixture("fixtures/what-if/delete-nat/snapshot.json");
        let overlay = fixture("fixtures/what-if/delete-nat/overlay.json");
        let (diff, html) = page(&side(&base, &[&overlay]), &side(&base, &[]));
        assert_eq!(diff.status, "changed");
        assert_eq!(html.matches("<td class=\"cell ch-became_reachable\"").count(), 10);
        assert!(!html.contains(" regression\""));
        assert!(html.contains("class=\"status-changed\""));

        let s3 = fixture("fixtures/what-if/add-s3-gateway-endpoint/snapshot.json");
        let endpoint = fixture("fixtures/what-if/add-s3-gateway-endpoint/overlay.json");
        let (_, html) = page(&side(&s3, &[]), &side(&s3, &[&endpoint]));
        assert_eq!(html.matches("<td class=\"cell ch-became_reachable\" data-result=\"d").count(), 2);
        assert_eq!(html.matches("<td class=\"cell ch-unchanged\"").count(), 8);
        assert!(html.contains("data-kind=\"unchanged\" data-count=\"8\""));
        let same = page(&side(&s3, &[]), &side(&s3, &[])).1;
        assert_eq!(same.matches("<td class=\"cell ch-unchanged\"").count(), 10);
        assert!(same.contains("class=\"status-unchanged\""));
    }

    /// Names (the ECS service, a subnet's and the VPC's Name tag) with markup: text on the page,
    /// on both sides (renamed workload: every OLD result is removed and every NEW one added).
    #[test]
    fn snapshot_strings_are_escaped_on_both_sides() {
        let original = fixture("fixtures/igw-route-no-public-ip/snapshot.json");
        let evil_json = serde_json::to_string(EVIL).unwrap();
        let text = std::fs::read_to_string(&original)
            .unwrap()
            .replace("\"igw-route-no-public-ip-vpc\"", &evil_json)
            .replace("\"igw-route-no-public-ip-public-a\"", &evil_json)
            .replace("\"serviceName\": \"runner\"", &format!("\"serviceName\": {evil_json}"));
        assert!(text.matches("alert(1)").count() >= 3, "the fixture changed: the test no longer injects anything");
        let hostile = std::env::temp_dir().join(format!("vpcreach-diff-html-{}.json", std::process::id()));
        std::fs::write(&hostile, text).unwrap();
        let (diff, html) = page(&side(&original, &[]), &side(hostile.to_str().unwrap(), &[]));
        let _ = std::fs::remove_file(&hostile);
        assert!(diff.summary.added > 0 && diff.summary.removed > 0);
        assert_eq!(html.matches("<script").count(), 1, "only the page's own script");
        assert!(!html.contains("<img"));
        assert!(!html.contains("alert(1)</script>"));
        assert!(!html.contains("\"&'"));
        assert!(html.contains("old &lt;a&gt; → new &lt;b&gt;"));
        let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&amp;&#39;";
        assert!(html.contains(&format!("<tr data-workload=\"{escaped}\"")));
        assert!(html.contains(&format!("<th>{escaped}</th>")));
        // Workload in rows, details (h3) and the places of diagnostics; the subnet's Name on hops.
        assert!(html.matches(escaped).count() >= 10, "{}", html.matches(escaped).count());
        assert!(html.contains(&format!("<span class=\"muted\">({escaped})</span>")));
        // The renamed workload's results are unreachable there: added, and so regressions.
        assert!(html.contains("<td class=\"cell ch-added regression\"") && html.contains("<td class=\"cell ch-removed\""));
    }

    /// The page names each change as `--format json` does.
    #[test]
    fn kind_names_are_the_json_names() {
        use ChangeKind::*;
        for kind in [BecameUnreachable, BecameReachable, VerdictChanged, EgressChanged, PathChanged, Removed, Added] {
            let change = Change {
                kind,
                is_regression: false,
                workload: String::new(),
                subnet_id: String::new(),
                service: String::new(),
                old: None,
                new: None,
            };
            let name = kind_name(Some(&change));
            assert_eq!(serde_json::to_value(kind).unwrap(), name);
            assert!(KINDS.iter().any(|(n, _)| *n == name) && STYLE.contains(&format!(".ch-{name} ")), "{name}");
        }
        assert_eq!(kind_name(None), "unchanged");
    }

    #[test]
    fn page_is_self_contained() {
        let (_, html) = delete_nat();
        let lower = html.to_ascii_lowercase();
        for needle in ["src=", "href=", "@import", "url(", "<link", "<iframe", "<img", "http"] {
            assert!(!lower.contains(needle), "{needle}");
        }
        assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"));
        assert_eq!(html.matches("<style>").count(), 1);
    }
}
