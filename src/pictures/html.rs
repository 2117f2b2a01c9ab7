//! `analyze --format html`: one self-contained page for a design review. The workload subnet ×
//! service matrix coloured by verdict, each cell opening its path (hop by hop, with where each
//! hop is in the snapshot) and its diagnostics; the run's own diagnostics; the topology drawn
//! as inline SVG.
//!
//! Nothing is loaded from elsewhere: inline CSS, a small inline script that only shows and
//! hides pre-rendered sections, no fonts, images or links out. Every string from the snapshot
//! (names, tags, ids, messages, file names) goes through [`escape`]; the script reads no data,
//! so there is no second (JavaScript) escaping context.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::{kind_label, name_of, verdict_str, Picture};
use crate::model::{Snapshot, VpcId};
use crate::reachability::{Analysis, Hop, Verdict};
use crate::report::{self, JsonDiagnostic, JsonReport, JsonResult};
use crate::rules::Severity;

/// Text for HTML element content and (quoted) attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// At most `max` characters, with `…` when cut (for the fixed-size boxes of the SVG).
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

pub(super) fn mark(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Reachable => "✔",
        Verdict::Unreachable => "✘",
        Verdict::Unknown => "?",
    }
}

pub(super) fn snake<T: serde::Serialize>(value: Option<T>) -> String {
    value.and_then(|v| serde_json::to_value(v).ok()).and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_else(|| "-".to_owned())
}

const STYLE: &str = r#"
:root { --ok:#2e7d32; --ok-bg:#c8e6c9; --bad:#c62828; --bad-bg:#ffcdd2; --unk:#f9a825; --unk-bg:#fff3c4; --line:#90a4ae; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1c2833; background: #fafafa; }
header { padding: 16px 24px; background: #263238; color: #eceff1; }
header h1 { margin: 0 0 4px; font-size: 20px; }
header p { margin: 0; }
.status-ready { color: #a5d6a7; font-weight: bold; }
.status-degraded { color: #ef9a9a; font-weight: bold; }
main { padding: 8px 24px 32px; }
h2 { font-size: 17px; margin: 24px 0 8px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
table#matrix { border-collapse: collapse; background: #fff; }
#matrix th, #matrix td { border: 1px solid #cfd8dc; padding: 6px 10px; text-align: left; font-size: 13px; }
#matrix thead th { background: #eceff1; }
#matrix td.cell { text-align: center; cursor: pointer; min-width: 84px; font-weight: bold; }
#matrix td.cell:focus, #matrix td.cell.selected { outline: 3px solid #1565c0; outline-offset: -3px; }
td.v-reachable { background: var(--ok-bg); color: var(--ok); }
td.v-unreachable { background: var(--bad-bg); color: var(--bad); }
td.v-unknown { background: var(--unk-bg); color: #6d4c41; }
td.no-result { color: #90a4ae; }
.warn-mark { color: #e65100; margin-left: 4px; }
.legend span { display: inline-block; margin-right: 14px; font-size: 13px; }
.legend i { display: inline-block; width: 12px; height: 12px; vertical-align: middle; margin-right: 4px; border: 1px solid #90a4ae; }
.detail { background: #fff; border: 1px solid #cfd8dc; border-radius: 6px; padding: 12px 16px; margin: 8px 0; }
.detail h3 { margin: 0 0 8px; font-size: 15px; }
.verdict-reachable { color: var(--ok); font-weight: bold; }
.verdict-unreachable { color: var(--bad); font-weight: bold; }
.verdict-unknown { color: #ef6c00; font-weight: bold; }
ol.path { margin: 4px 0 8px; padding-left: 24px; }
ol.path li { margin: 2px 0; font-size: 13px; }
ol.path .kind { display: inline-block; min-width: 140px; color: #455a64; }
ol.path li.blocked-hop { color: var(--bad); font-weight: bold; }
.loc { color: #78909c; font-size: 12px; margin-left: 6px; }
ul.diagnostics { list-style: none; padding: 0; margin: 4px 0; }
ul.diagnostics li { border-left: 4px solid #90a4ae; padding: 4px 10px; margin: 6px 0; background: #f5f7f8; font-size: 13px; }
ul.diagnostics li.sev-error { border-color: var(--bad); }
ul.diagnostics li.sev-warning { border-color: #ef6c00; }
ul.diagnostics li.sev-info { border-color: #1565c0; }
.help { color: #37474f; margin-top: 2px; }
.muted { color: #78909c; }
#topology svg { background: #fff; border: 1px solid #cfd8dc; max-width: 100%; height: auto; }
svg text { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 11px; fill: #263238; }
svg .vpc > rect { fill: #f3f6f8; stroke: #607d8b; stroke-width: 1.5; }
svg .vpc > text.title { font-size: 13px; font-weight: bold; }
svg text.col { fill: #78909c; font-size: 10px; }
svg .item rect { fill: #fff; stroke: #90a4ae; }
svg .item.v-reachable rect { fill: var(--ok-bg); stroke: var(--ok); }
svg .item.v-unreachable rect { fill: var(--bad-bg); stroke: var(--bad); }
svg .item.v-unknown rect { fill: var(--unk-bg); stroke: var(--unk); }
svg .item.blocked rect { stroke: var(--bad); stroke-width: 3; stroke-dasharray: 5 3; }
svg .conn rect { fill: #e3f2fd; stroke: #1565c0; }
svg .conn.v-reachable rect { fill: var(--ok-bg); }
svg .conn.v-unreachable rect { fill: var(--bad-bg); }
svg .conn.v-unknown rect { fill: var(--unk-bg); }
svg line.assoc { stroke: #78909c; stroke-width: 1.2; opacity: 0.8; }
svg line.attach { stroke: #1565c0; stroke-width: 1.5; }
svg text.name { fill: #546e7a; font-size: 10px; }
"#;

const SCRIPT: &str = r#"
(function () {
  var current = null, selected = null;
  function show(id, cell) {
    var detail = document.getElementById(id);
    if (!detail || !detail.classList.contains('detail')) { return; }
    if (current) { current.hidden = true; }
    if (selected) { selected.classList.remove('selected'); selected.setAttribute('aria-pressed', 'false'); }
    detail.hidden = false;
    current = detail;
    var empty = document.getElementById('details-empty');
    if (empty) { empty.hidden = true; }
    if (cell) { cell.classList.add('selected'); cell.setAttribute('aria-pressed', 'true'); selected = cell; }
  }
  var cells = document.querySelectorAll('#matrix td.cell[data-result]');
  for (var i = 0; i < cells.length; i++) {
    (function (cell) {
      cell.addEventListener('click', function () { show(cell.getAttribute('data-result'), cell); });
      cell.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); show(cell.getAttribute('data-result'), cell); }
      });
    })(cells[i]);
  }
  if (location.hash.length > 1) {
    var wanted = location.hash.slice(1);
    var cell = document.querySelector('#matrix td.cell[data-result="' + wanted.replace(/[^A-Za-z0-9_-]/g, '') + '"]');
    show(wanted, cell);
  }
})();
"#;

pub(super) fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "sev-error",
        Severity::Warning => "sev-warning",
        Severity::Info => "sev-info",
    }
}

pub(super) fn diagnostic_item(out: &mut String, d: &JsonDiagnostic) {
    let _ = write!(
        out,
        "<li class=\"diag {}\" data-code=\"{}\"><code class=\"code\">{}</code> <span class=\"severity\">{}</span>: <span class=\"message\">{}</span>",
        severity_class(d.severity),
        escape(d.code),
        escape(d.code),
        escape(d.severity.as_str()),
        escape(&d.message)
    );
    if let Some(help) = &d.help {
        let _ = write!(out, "<div class=\"help\">help: {}</div>", escape(help));
    }
    for l in &d.locations {
        let _ = write!(out, "<div class=\"loc\">{}:{}:{}: {}</div>", escape(&l.file), l.line, l.column, escape(&l.label));
    }
    if !d.resource_ids.is_empty() {
        let _ = write!(out, "<div class=\"muted\">resources: {}</div>", escape(&d.resource_ids.join(", ")));
    }
    if !d.docs.is_empty() {
        let _ = write!(out, "<div class=\"muted\">docs: {} · <code>vpcreach explain {}</code></div>", escape(&d.docs), escape(d.code));
    }
    out.push_str("</li>\n");
}

fn hop_location(snapshot: &Snapshot, hop: &Hop) -> Option<String> {
    let span = hop.span?;
    let source = snapshot.source(span.source)?;
    let (line, column) = source.line_col(span.offset);
    Some(format!("{}:{line}:{column}", source.name))
}

fn detail(out: &mut String, snapshot: &Snapshot, id: &str, r: &JsonResult) {
    let _ = writeln!(
        out,
        "<article class=\"detail\" id=\"{id}\" data-verdict=\"{}\" hidden>\n<h3>{} · {} → {} <span class=\"muted\">({}:{})</span></h3>",
        verdict_str(r.verdict),
        escape(&r.workload),
        escape(&r.subnet_id),
        escape(r.service),
        escape(&r.hostname),
        r.port
    );
    let _ = writeln!(
        out,
        "<p>verdict <span class=\"verdict-{v}\">{v}</span> · access type {} · egress {} · VPC {} · {}</p>",
        escape(&snake(r.access_type)),
        escape(&snake(r.egress)),
        escape(r.vpc_id.as_deref().unwrap_or("?")),
        escape(r.availability_zone.as_deref().unwrap_or("?")),
        v = verdict_str(r.verdict)
    );
    out.push_str("<h4>Path</h4>\n");
    path_list(out, snapshot, r);
    out.push_str("<h4>Diagnostics</h4>\n");
    if r.diagnostics.is_empty() {
        out.push_str("<p class=\"muted no-diagnostics\">none</p>\n");
    } else {
        out.push_str("<ul class=\"diagnostics\">\n");
        for d in &r.diagnostics {
            diagnostic_item(out, d);
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</article>\n");
}

/// The hops of a result in order, each with its name and where it is in the snapshot; the hop
/// where a path that is not reachable stops is marked `blocked-hop`.
pub(super) fn path_list(out: &mut String, snapshot: &Snapshot, r: &JsonResult) {
    out.push_str("<ol class=\"path\">\n");
    // The hop where a path that is not reachable stops (the last request hop).
    let stop =
        (r.verdict != Verdict::Reachable).then(|| r.path.iter().rposition(|h| h.kind != "dns" && !h.kind.starts_with("return_"))).flatten();
    for (i, hop) in r.path.iter().enumerate() {
        let is_reply = hop.kind.starts_with("return_");
        let class = if Some(i) == stop { " class=\"hop blocked-hop\"" } else { " class=\"hop\"" };
        let _ = write!(
            out,
            "<li{class} data-kind=\"{}\"><span class=\"kind\">{}{}</span> <code class=\"hop-id\">{}</code>",
            escape(hop.kind),
            if is_reply { "reply: " } else { "" },
            escape(kind_label(hop.kind)),
            escape(&hop.resource_id)
        );
        if let Some(name) = name_of(snapshot, hop.kind, &hop.resource_id) {
            let _ = write!(out, " <span class=\"muted\">({})</span>", escape(name));
        }
        let _ = write!(out, " {}", escape(&hop.detail));
        if let Some(loc) = hop_location(snapshot, hop) {
            let _ = write!(out, "<span class=\"loc\">{}</span>", escape(&loc));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
}

/// Rows `(workload, subnet)` and columns (services), in the order of the results.
fn matrix_axes(report: &JsonReport) -> (Vec<(&str, &str)>, Vec<&str>) {
    let mut rows: Vec<(&str, &str)> = Vec::new();
    let mut services: Vec<&str> = Vec::new();
    for r in &report.results {
        let row = (r.workload.as_str(), r.subnet_id.as_str());
        if !rows.contains(&row) {
            rows.push(row);
        }
        if !services.contains(&r.service) {
            services.push(r.service);
        }
    }
    (rows, services)
}

fn matrix(out: &mut String, snapshot: &Snapshot, report: &JsonReport) {
    let (rows, services) = matrix_axes(report);
    out.push_str("<section id=\"matrix-section\">\n<h2>Workload subnets × services</h2>\n");
    if rows.is_empty() {
        out.push_str("<p class=\"muted\">no workload subnets were analysed</p>\n</section>\n");
        return;
    }
    out.push_str("<table id=\"matrix\">\n<thead><tr><th>workload</th><th>subnet</th>");
    for s in &services {
        let _ = write!(out, "<th data-service=\"{0}\">{0}</th>", escape(s));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (workload, subnet) in &rows {
        let _ =
            write!(out, "<tr data-workload=\"{0}\" data-subnet=\"{1}\"><th>{0}</th><th><code>{1}</code>", escape(workload), escape(subnet));
        let sub = snapshot.subnets.get(*subnet);
        let about: Vec<String> =
            [sub.and_then(|s| s.name.clone()), sub.and_then(|s| s.availability_zone.clone())].into_iter().flatten().collect();
        if !about.is_empty() {
            let _ = write!(out, "<br><span class=\"muted\">{}</span>", escape(&about.join(" · ")));
        }
        out.push_str("</th>");
        for s in &services {
            let found = report.results.iter().position(|r| r.workload == *workload && r.subnet_id == *subnet && r.service == *s);
            match found.and_then(|i| report.results.get(i).map(|r| (i, r))) {
                Some((i, r)) => {
                    // The degraded marker: a path that works but carries warnings.
                    let has_warnings = r.verdict == Verdict::Reachable && r.diagnostics.iter().any(|d| d.severity >= Severity::Warning);
                    let warn = if has_warnings { " has-warnings" } else { "" };
                    let _ = write!(
                        out,
                        "<td class=\"cell v-{v}{warn}\" data-result=\"r{i}\" data-service=\"{svc}\" data-verdict=\"{v}\" tabindex=\"0\" role=\"button\" aria-pressed=\"false\" title=\"{svc}: {v}\">{}",
                        mark(r.verdict),
                        v = verdict_str(r.verdict),
                        svc = escape(s)
                    );
                    if has_warnings {
                        out.push_str("<span class=\"warn-mark\" title=\"has warnings\">⚠</span>");
                    }
                    out.push_str("</td>");
                }
                None => {
                    let _ = write!(out, "<td class=\"no-result\" data-service=\"{}\">–</td>", escape(s));
                }
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out.push_str(
        "<p class=\"legend\"><span><i style=\"background:#c8e6c9\"></i>✔ reachable</span><span><i style=\"background:#ffcdd2\"></i>✘ unreachable</span><span><i style=\"background:#fff3c4\"></i>? unknown</span><span><span class=\"warn-mark\">⚠</span> has warnings</span><span class=\"muted\">click a cell for its path and diagnostics</span></p>\n",
    );
    out.push_str("</section>\n");
    out.push_str("<section id=\"details\">\n<h2>Path and diagnostics</h2>\n<p id=\"details-empty\" class=\"muted\">Select a cell of the matrix.</p>\n");
    for (i, r) in report.results.iter().enumerate() {
        detail(out, snapshot, &format!("r{i}"), r);
    }
    out.push_str("</section>\n");
}

/// Layout of the topology drawing (pixels).
const ITEM_W: usize = 206;
const ITEM_H: usize = 34;
const GAP: usize = 8;
const COL_GAP: usize = 28;
const PAD: usize = 12;
const HEAD: usize = 44;
const COLUMNS: usize = 4;
const VPC_W: usize = PAD * 2 + COLUMNS * ITEM_W + (COLUMNS - 1) * COL_GAP;
const LEFT: usize = 10;
const CONN_X: usize = LEFT + VPC_W + 70;
const WIDTH: usize = CONN_X + ITEM_W + 10;

struct Item {
    id: String,
    lines: [String; 2],
    class: String,
}

fn item_svg(out: &mut String, item: &Item, x: usize, y: usize) {
    let _ = write!(
        out,
        "<g class=\"item {}\" data-id=\"{}\"><title>{}</title><rect x=\"{x}\" y=\"{y}\" width=\"{ITEM_W}\" height=\"{ITEM_H}\" rx=\"4\"/>",
        escape(&item.class),
        escape(&item.id),
        escape(&format!("{} {}", item.lines[0], item.lines[1]))
    );
    let _ = write!(out, "<text x=\"{}\" y=\"{}\">{}</text>", x + 6, y + 14, escape(&truncate(&item.lines[0], 30)));
    let _ = writeln!(out, "<text class=\"name\" x=\"{}\" y=\"{}\">{}</text></g>", x + 6, y + 28, escape(&truncate(&item.lines[1], 32)));
}

/// What the results say about resources: workload subnets by their worst verdict, the other
/// resources on a path by their best (as in the graph), and the hops where a path that is not
/// reachable stops.
struct Marks {
    subnet_verdict: BTreeMap<String, Verdict>,
    hop_verdict: BTreeMap<String, Verdict>,
    blocked: BTreeSet<String>,
}

fn marks(picture: &Picture, report: &JsonReport) -> Marks {
    let mut subnet_verdict: BTreeMap<String, Verdict> = BTreeMap::new();
    for r in &report.results {
        let v = subnet_verdict.entry(r.subnet_id.clone()).or_insert(r.verdict);
        *v = (*v).max(r.verdict);
    }
    let mut hop_verdict: BTreeMap<String, Verdict> = BTreeMap::new();
    for n in picture.workloads.iter().flat_map(|w| &w.nodes).filter(|n| n.kind != "subnet" && n.kind != "service") {
        let v = hop_verdict.entry(n.resource_id.clone()).or_insert(n.verdict);
        *v = (*v).min(n.verdict);
    }
    let blocked = picture
        .workloads
        .iter()
        .flat_map(|w| &w.nodes)
        .filter(|n| n.is_blocked && n.kind != "subnet")
        .map(|n| n.resource_id.clone())
        .collect();
    Marks { subnet_verdict, hop_verdict, blocked }
}

fn class_for(marks: &Marks, kind: &str, id: &str) -> String {
    let mut class = format!("k-{kind}");
    let verdict = if kind == "subnet" { marks.subnet_verdict.get(id) } else { marks.hop_verdict.get(id) };
    if let Some(v) = verdict {
        class.push_str(" on-path v-");
        class.push_str(verdict_str(*v));
    }
    if marks.blocked.contains(id) {
        class.push_str(" blocked");
    }
    class
}

fn topology(out: &mut String, snapshot: &Snapshot, picture: &Picture, report: &JsonReport) {
    let marks = marks(picture, report);
    out.push_str("<section id=\"topology\">\n<h2>Topology</h2>\n");
    if snapshot.vpcs.is_empty() {
        out.push_str("<p class=\"muted\">the snapshot has no VPCs</p>\n</section>\n");
        return;
    }
    let mut body = String::new();
    // Where each VPC box and each item were drawn, for the lines.
    let mut vpc_mid: BTreeMap<&VpcId, usize> = BTreeMap::new();
    let mut at: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut y = 10;
    for vpc in snapshot.vpcs.values() {
        let subnets: Vec<Item> = snapshot
            .subnets
            .values()
            .filter(|s| s.vpc_id == vpc.id)
            .map(|s| {
                let about = [s.name.clone(), s.cidr.map(|c| c.to_string()), s.availability_zone.clone()];
                Item {
                    id: s.id.to_string(),
                    lines: [s.id.to_string(), about.into_iter().flatten().collect::<Vec<_>>().join(" · ")],
                    class: class_for(&marks, "subnet", s.id.as_str()),
                }
            })
            .collect();
        let tables: Vec<Item> = snapshot
            .route_tables
            .values()
            .filter(|t| t.vpc_id == vpc.id)
            .map(|t| {
                let about = [t.name.clone(), t.is_main.then(|| "main".to_owned())];
                Item {
                    id: t.id.to_string(),
                    lines: [t.id.to_string(), about.into_iter().flatten().collect::<Vec<_>>().join(" · ")],
                    class: class_for(&marks, "route_table", t.id.as_str()),
                }
            })
            .collect();
        let mut gateways: Vec<Item> = snapshot
            .internet_gateways
            .values()
            .filter(|g| g.attached_vpcs.contains(&vpc.id))
            .map(|g| Item {
                id: g.id.to_string(),
                lines: [g.id.to_string(), "internet gateway".to_owned()],
                class: class_for(&marks, "internet_gateway", g.id.as_str()),
            })
            .collect();
        gateways.extend(snapshot.nat_gateways.values().filter(|n| n.vpc_id.as_ref() == Some(&vpc.id)).map(|n| Item {
            id: n.id.to_string(),
            lines: [
                n.id.to_string(),
                format!("{} NAT · {}", if n.is_private { "private" } else { "public" }, n.subnet_id.as_ref().map_or("?", |s| s.as_str())),
            ],
            class: class_for(&marks, "nat_gateway", n.id.as_str()),
        }));
        let endpoints: Vec<Item> = snapshot
            .vpc_endpoints
            .values()
            .filter(|e| e.vpc_id == vpc.id)
            .map(|e| {
                let service = e.service_name.rsplit('.').next().unwrap_or(&e.service_name);
                let kind = match e.endpoint_type {
                    crate::model::EndpointType::Interface => "interface",
                    crate::model::EndpointType::Gateway => "gateway",
                    crate::model::EndpointType::GatewayLoadBalancer => "GWLB",
                    crate::model::EndpointType::Other => "endpoint",
                };
                Item {
                    id: e.id.to_string(),
                    lines: [e.id.to_string(), format!("{kind} · {service}")],
                    class: class_for(&marks, "endpoint", e.id.as_str()),
                }
            })
            .collect();
        let columns = [("subnets", subnets), ("route tables", tables), ("gateways", gateways), ("endpoints", endpoints)];
        let rows = columns.iter().map(|(_, items)| items.len()).max().unwrap_or(0).max(1);
        let height = HEAD + rows * (ITEM_H + GAP) + PAD;
        let title = match &vpc.name {
            Some(name) => format!("{} ({name})", vpc.id),
            None => vpc.id.to_string(),
        };
        let cidrs: Vec<String> = vpc.cidrs.iter().map(ToString::to_string).collect();
        let _ = writeln!(
            body,
            "<g class=\"vpc\" data-id=\"{}\"><title>{}</title><rect x=\"{LEFT}\" y=\"{y}\" width=\"{VPC_W}\" height=\"{height}\" rx=\"8\"/><text class=\"title\" x=\"{}\" y=\"{}\">VPC {} {}</text>",
            escape(vpc.id.as_str()),
            escape(&title),
            LEFT + PAD,
            y + 18,
            escape(&truncate(&title, 80)),
            escape(&cidrs.join(", "))
        );
        for (c, (heading, items)) in columns.iter().enumerate() {
            let x = LEFT + PAD + c * (ITEM_W + COL_GAP);
            let _ = writeln!(body, "<text class=\"col\" x=\"{x}\" y=\"{}\">{heading}</text>", y + 36);
            for (r, item) in items.iter().enumerate() {
                let iy = y + HEAD + r * (ITEM_H + GAP);
                item_svg(&mut body, item, x, iy);
                at.insert(item.id.clone(), (x, iy));
            }
        }
        body.push_str("</g>\n");
        vpc_mid.insert(&vpc.id, y + height / 2);
        y += height + 20;
    }
    // Subnet → route table (explicit association, or the main table).
    let mut lines = String::new();
    for subnet in snapshot.subnets.values() {
        let Some((table, _)) = snapshot.effective_route_table(&subnet.id) else { continue };
        if let (Some(&(sx, sy)), Some(&(tx, ty))) = (at.get(subnet.id.as_str()), at.get(table.id.as_str())) {
            let _ = writeln!(
                lines,
                "<line class=\"assoc\" x1=\"{}\" y1=\"{}\" x2=\"{tx}\" y2=\"{}\"/>",
                sx + ITEM_W,
                sy + ITEM_H / 2,
                ty + ITEM_H / 2
            );
        }
    }
    // Transit gateways and peering connections beside the VPCs, a line to each VPC they join.
    let mut connections: Vec<(String, String, Vec<&VpcId>)> = Vec::new();
    for tgw in snapshot.transit_gateways.values() {
        let mut vpcs: Vec<&VpcId> = Vec::new();
        for a in snapshot.tgw_attachments.values().filter(|a| a.tgw == tgw.id) {
            if let Some(vpc) = snapshot.vpcs.keys().find(|v| v.as_str() == a.resource_id) {
                if !vpcs.contains(&vpc) {
                    vpcs.push(vpc);
                }
            }
        }
        let about = tgw.name.clone().map_or_else(|| "transit gateway".to_owned(), |n| format!("transit gateway · {n}"));
        connections.push((tgw.id.to_string(), about, vpcs));
    }
    for pcx in snapshot.peering_connections.values() {
        let vpcs: Vec<&VpcId> = [&pcx.requester.vpc_id, &pcx.accepter.vpc_id]
            .into_iter()
            .flatten()
            .filter_map(|id| snapshot.vpcs.get_key_value(id).map(|(k, _)| k))
            .collect();
        connections.push((pcx.id.to_string(), format!("peering · {}", pcx.status), vpcs));
    }
    let mut cy = 10;
    for (id, about, vpcs) in &connections {
        let class = format!("conn {}", class_for(&marks, "connection", id));
        for vpc in vpcs {
            if let Some(&my) = vpc_mid.get(vpc) {
                let _ = writeln!(
                    lines,
                    "<line class=\"attach\" x1=\"{}\" y1=\"{my}\" x2=\"{CONN_X}\" y2=\"{}\"/>",
                    LEFT + VPC_W,
                    cy + ITEM_H / 2
                );
            }
        }
        item_svg(&mut body, &Item { id: id.clone(), lines: [id.clone(), about.clone()], class }, CONN_X, cy);
        cy += ITEM_H + GAP * 2;
    }
    let height = y.max(cy) + 10;
    let _ = writeln!(
        out,
        "<svg id=\"topology-svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-label=\"topology\">"
    );
    // Lines last: on top of the VPC boxes they cross.
    out.push_str(&body);
    out.push_str(&lines);
    out.push_str("</svg>\n");
    out.push_str("<p class=\"legend\"><span class=\"muted\">coloured: on an analysed path (workload subnets by their worst verdict, other resources by their best); grey lines: subnet → route table; blue lines: transit gateway attachments and peering connections; dashed red outline: a path that is not reachable stops there</span></p>\n");
    out.push_str("</section>\n");
}

/// The whole page for a JSON report.
pub fn render_report(snapshot: &Snapshot, report: &JsonReport, picture: &Picture) -> String {
    let mut out = page_start(&picture.title, "");
    let _ = writeln!(
        out,
        "<header><h1>vpcreach: {}</h1><p>{} checks · {} reachable · {} unreachable · {} unknown · <span id=\"status\" class=\"status-{s}\">{}</span></p></header>\n<main>",
        escape(&picture.title),
        report.results.len(),
        report.summary.reachable,
        report.summary.unreachable,
        report.summary.unknown,
        report.status.to_uppercase(),
        s = report.status
    );
    matrix(&mut out, snapshot, report);
    out.push_str("<section id=\"run-diagnostics\">\n<h2>Diagnostics of the run</h2>\n");
    if report.diagnostics.is_empty() {
        out.push_str("<p class=\"muted\">none</p>\n");
    } else {
        out.push_str("<ul class=\"diagnostics\">\n");
        for d in &report.diagnostics {
            diagnostic_item(&mut out, d);
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
    topology(&mut out, snapshot, picture, report);
    page_end(&mut out);
    out
}

/// The start of a page up to `<body>`: title (escaped here), the shared style and `extra_style`
/// (a constant of the caller, not snapshot text).
pub(super) fn page_start(title: &str, extra_style: &str) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>vpcreach: {}</title>", escape(title));
    let _ = writeln!(out, "<style>{STYLE}{extra_style}</style>\n</head>\n<body>");
    out
}

/// The end of a page: closes `<main>` and adds the script that opens the detail of a clicked
/// `#matrix td.cell[data-result]` (the `article.detail` with that id).
pub(super) fn page_end(out: &mut String) {
    let _ = writeln!(out, "</main>\n<script>{SCRIPT}</script>\n</body>\n</html>");
}

/// The page for a run, with `ignore`d codes left out as in the JSON report.
pub fn render(snapshot: &Snapshot, analysis: &Analysis, ignore: &[String]) -> String {
    let report = report::json_report(snapshot, analysis, ignore);
    let picture = super::picture_of(snapshot, &report);
    render_report(snapshot, &report, &picture)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reachability::{self, services};

    const EVIL: &str = "<script>alert(1)</script>\"&'";

    fn run(text: &str) -> String {
        let snapshot = crate::model::load_str("evil/snapshot.json", text).unwrap();
        let (workloads, assumption) = reachability::default_workloads(&snapshot);
        let services: Vec<_> = services::RUNNER_PROFILE.iter().filter_map(|id| services::lookup(id)).collect();
        let mut analysis = reachability::analyze(&snapshot, &workloads, &services);
        analysis.facts.extend(assumption);
        render(&snapshot, &analysis, &[])
    }

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!("{}/fixtures/{name}/snapshot.json", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    /// Names, tags and the workload name are user-controlled: they reach the page escaped.
    #[test]
    fn snapshot_strings_are_escaped() {
        let evil_json = serde_json::to_string(EVIL).unwrap();
        let text = fixture("igw-route-no-public-ip")
            .replace("\"igw-route-no-public-ip-vpc\"", &evil_json)
            .replace("\"igw-route-no-public-ip-public-a\"", &evil_json)
            .replace("\"igw-route-no-public-ip-public\"", &evil_json)
            .replace("\"serviceName\": \"runner\"", &format!("\"serviceName\": {evil_json}"));
        assert!(text.matches("alert(1)").count() >= 4, "the fixture changed: the test no longer injects anything");
        let html = run(&text);
        // The only script element is the page's own.
        assert_eq!(html.matches("<script").count(), 1, "{html}");
        assert!(!html.contains("alert(1)</script>"));
        assert!(!html.contains("\"&'"));
        let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;&#39;";
        // Workload name (matrix, details), subnet name (matrix, SVG), VPC name, table name.
        assert!(html.matches(escaped).count() >= 8, "{}", html.matches(escaped).count());
        assert!(html.contains(&format!("<th>{escaped}</th>")));
    }

    #[test]
    fn page_is_self_contained() {
        for name in ["hub-egress", "igw-route-no-public-ip", "peering-hub-endpoints"] {
            let html = run(&fixture(name));
            let lower = html.to_ascii_lowercase();
            for needle in ["src=\"http", "href=\"http", "src='http", "href='http", "@import", "url(", "<link", "<iframe", "<img"] {
                assert!(!lower.contains(needle), "{name}: {needle}");
            }
            assert!(!lower.contains("http"), "{name}: no URL at all");
            assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"));
        }
    }

    #[test]
    fn matrix_has_one_cell_per_result_with_its_verdict() {
        let text = fixture("igw-route-no-public-ip");
        let html = run(&text);
        assert_eq!(html.matches("<td class=\"cell v-unreachable").count(), 10);
        assert_eq!(html.matches("<tr data-workload=").count(), 2);
        assert_eq!(html.matches("<article class=\"detail\"").count(), 10);
        assert!(html.contains("<code class=\"code\">VPCR103</code>"));
        assert!(html.contains("<li class=\"hop blocked-hop\" data-kind=\"internet_gateway\">"));
        assert_eq!(html, run(&text), "output is deterministic");
    }

    #[test]
    fn truncate_counts_characters() {
        assert_eq!(truncate("αβγδε", 3), "αβ…");
        assert_eq!(truncate("abc", 3), "abc");
    }
}
