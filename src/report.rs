//! Rendering: findings and results to the stable JSON report (`vpcreach/report/v1`) and to
//! the human report (a table, then miette diagnostics pointing into the snapshot).

use std::fmt::Write as _;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, Report};
use serde::Serialize;

use crate::excerpt::Excerpt;
use crate::model::{LoadError, Problem, Snapshot, SourceFile, Span, VpcId};
use crate::reachability::{AccessType, Analysis, Egress, Hop, PairResult, Verdict};
use crate::rules::{self, Cx, Finding, Severity};

pub const SCHEMA: &str = "vpcreach/report/v1";

#[derive(Debug, Serialize)]
pub struct JsonReport {
    pub schema: &'static str,
    pub status: &'static str,
    pub summary: Summary,
    pub results: Vec<JsonResult>,
    pub diagnostics: Vec<JsonDiagnostic>,
}

#[derive(Debug, Serialize, Default)]
pub struct Summary {
    pub reachable: usize,
    pub unreachable: usize,
    pub unknown: usize,
}

#[derive(Debug, Serialize)]
pub struct JsonResult {
    pub workload: String,
    pub vpc_id: Option<String>,
    pub subnet_id: String,
    pub availability_zone: Option<String>,
    pub service: &'static str,
    pub hostname: String,
    pub port: u16,
    pub verdict: Verdict,
    pub access_type: Option<AccessType>,
    pub egress: Option<Egress>,
    pub path: Vec<Hop>,
    pub diagnostics: Vec<JsonDiagnostic>,
}

#[derive(Debug, Serialize, Clone, PartialEq, Eq)]
pub struct JsonDiagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub resource_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    pub locations: Vec<JsonLocation>,
    /// The rule's documentation: `docs/rules.md#…`, or `vpcreach explain CODE`.
    pub docs: String,
}

#[derive(Debug, Serialize, Clone, PartialEq, Eq)]
pub struct JsonLocation {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub label: String,
}

/// Every distinct finding of a run (the snapshot's, then each result's), without the ignored
/// codes, most severe first: what the human report and SARIF list once each.
pub fn all_findings(snapshot: &Snapshot, analysis: &Analysis, ignore: &[String]) -> Vec<Finding> {
    let mut findings: Vec<Finding> = global_findings(snapshot, analysis);
    for r in &analysis.results {
        for f in findings_of(snapshot, r) {
            if !findings.contains(&f) {
                findings.push(f);
            }
        }
    }
    findings.retain(|f| !ignore.iter().any(|c| c.eq_ignore_ascii_case(f.code)));
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    findings
}

/// Findings of one result, most severe first, then in fact order.
pub fn findings_of(snapshot: &Snapshot, result: &PairResult) -> Vec<Finding> {
    let cx = Cx { snapshot, pair: Some(result) };
    let mut findings: Vec<Finding> = result.facts.iter().map(|f| rules::finding_for(&cx, f)).collect();
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    findings
}

/// Findings about the whole run: the loader's warnings and the analysis-wide facts.
pub fn global_findings(snapshot: &Snapshot, analysis: &Analysis) -> Vec<Finding> {
    let cx = Cx { snapshot, pair: None };
    let mut findings = rules::load_findings(snapshot);
    findings.extend(analysis.facts.iter().map(|f| rules::finding_for(&cx, f)));
    findings
}

fn json_diagnostic(snapshot: &Snapshot, f: &Finding) -> JsonDiagnostic {
    JsonDiagnostic {
        code: f.code,
        severity: f.severity,
        message: f.message.clone(),
        resource_ids: f.resource_ids.clone(),
        help: f.help.clone(),
        docs: rules::lookup(f.code).map_or_else(String::new, |r| r.docs_path()),
        locations: f
            .labels
            .iter()
            .filter_map(|l| {
                let source = snapshot.source(l.span.source)?;
                let (line, column) = source.line_col(l.span.offset);
                Some(JsonLocation { file: source.name.clone(), line, column, label: l.text.clone() })
            })
            .collect(),
    }
}

pub fn is_ready(analysis: &Analysis) -> bool {
    analysis.results.iter().all(|r| r.verdict == Verdict::Reachable)
}

pub fn json_report(snapshot: &Snapshot, analysis: &Analysis, ignore: &[String]) -> JsonReport {
    let keep = |f: &Finding| !ignore.iter().any(|c| c.eq_ignore_ascii_case(f.code));
    let mut summary = Summary::default();
    let results = analysis
        .results
        .iter()
        .map(|r| {
            match r.verdict {
                Verdict::Reachable => summary.reachable += 1,
                Verdict::Unreachable => summary.unreachable += 1,
                Verdict::Unknown => summary.unknown += 1,
            }
            JsonResult {
                workload: r.workload.to_string(),
                vpc_id: r.vpc_id.as_ref().map(ToString::to_string),
                subnet_id: r.subnet_id.to_string(),
                availability_zone: r.availability_zone.as_deref().map(str::to_owned),
                service: r.service.id,
                hostname: r.hostname.to_string(),
                port: r.port,
                verdict: r.verdict,
                access_type: r.access_type,
                egress: r.egress,
                path: r.path.clone(),
                diagnostics: findings_of(snapshot, r).iter().filter(|f| keep(f)).map(|f| json_diagnostic(snapshot, f)).collect(),
            }
        })
        .collect();
    JsonReport {
        schema: SCHEMA,
        status: if is_ready(analysis) { "ready" } else { "degraded" },
        summary,
        results,
        diagnostics: global_findings(snapshot, analysis).iter().filter(|f| keep(f)).map(|f| json_diagnostic(snapshot, f)).collect(),
    }
}

/// Writes the same bytes as `serde_json::to_writer_pretty(out, &json_report(…))`, results in
/// batches: no owned copy of every result's path is built first (issue 7: at 190,000 results
/// that copy was as large as the analysis itself), and the batches are rendered by two threads
/// in turn, then written in order.
///
/// # Errors
/// What writing to `out` returns.
pub fn write_json_report(snapshot: &Snapshot, analysis: &Analysis, ignore: &[String], out: impl std::io::Write) -> serde_json::Result<()> {
    use std::io::Write as _;
    let mut summary = Summary::default();
    for r in &analysis.results {
        match r.verdict {
            Verdict::Reachable => summary.reachable += 1,
            Verdict::Unreachable => summary.unreachable += 1,
            Verdict::Unknown => summary.unknown += 1,
        }
    }
    let keep = |f: &Finding| !ignore.iter().any(|c| c.eq_ignore_ascii_case(f.code));
    let status = if is_ready(analysis) { "ready" } else { "degraded" };
    let diagnostics: Vec<JsonDiagnostic> =
        global_findings(snapshot, analysis).iter().filter(|f| keep(f)).map(|f| json_diagnostic(snapshot, f)).collect();
    // The pretty printer makes many small writes: into a concrete buffer, not through `out`
    // (often a `dyn Write`) one by one.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    let io = serde_json::Error::io;
    // What `to_writer_pretty` writes for `JsonReport`, its fields in order.
    out.write_all(b"{\n  \"schema\": ").map_err(io)?;
    serde_json::to_writer(&mut out, SCHEMA)?;
    out.write_all(b",\n  \"status\": ").map_err(io)?;
    serde_json::to_writer(&mut out, status)?;
    out.write_all(b",\n  \"summary\": ").map_err(io)?;
    write_pretty_at(&mut out, 1, &summary)?;
    out.write_all(b",\n  \"results\": [").map_err(io)?;
    let batches: Vec<&[PairResult]> = analysis.results.chunks(REPORT_BATCH).collect();
    let mut is_first = true;
    let mut write_part = |out: &mut std::io::BufWriter<_>, part: &[u8]| -> serde_json::Result<()> {
        // Each element was written as `\n    {…},`: the separator goes before it.
        let Some(body) = part.strip_suffix(b",") else { return Ok(()) };
        if !is_first {
            out.write_all(b",").map_err(io)?;
        }
        is_first = false;
        out.write_all(body).map_err(io)
    };
    // This thread's hop texts and buffer, kept from batch to batch.
    let mut mine = (Texts::default(), Vec::new());
    if batches.len() < 2 {
        for batch in &batches {
            render_results(snapshot, batch, ignore, &mut mine)?;
            write_part(&mut out, &mine.1)?;
        }
    } else {
        // Another thread renders the odd batches, two queued ahead of what is written, while
        // this one renders the even ones and writes them all in order: neither waits for the
        // other to start a batch (issue 7).
        std::thread::scope(|scope| -> serde_json::Result<()> {
            let (jobs, queued) = std::sync::mpsc::channel::<(usize, Vec<u8>)>();
            let (rendered, done) = std::sync::mpsc::channel::<(serde_json::Result<()>, Vec<u8>)>();
            let batches = &batches;
            let worker = scope.spawn(move || {
                let mut texts = Texts::default();
                for (index, buffer) in queued {
                    let mut own = (std::mem::take(&mut texts), buffer);
                    let outcome = batches.get(index).map_or(Ok(()), |batch| render_results(snapshot, batch, ignore, &mut own));
                    texts = own.0;
                    if rendered.send((outcome, own.1)).is_err() {
                        break;
                    }
                }
            });
            let queue = |index: usize, buffer: Vec<u8>| {
                if index < batches.len() {
                    // The worker only stops when this sender is dropped.
                    let _ = jobs.send((index, buffer));
                }
            };
            queue(1, Vec::new());
            queue(3, Vec::new());
            for (index, batch) in batches.iter().enumerate().step_by(2) {
                render_results(snapshot, batch, ignore, &mut mine)?;
                write_part(&mut out, &mine.1)?;
                if index + 1 < batches.len() {
                    // An error here is the worker's panic, raised by the join below.
                    let Ok((outcome, buffer)) = done.recv() else { break };
                    outcome?;
                    write_part(&mut out, &buffer)?;
                    queue(index + 5, buffer);
                }
            }
            drop(jobs);
            worker.join().unwrap_or_else(|payload| std::panic::resume_unwind(payload));
            Ok(())
        })?;
    }
    out.write_all(if analysis.results.is_empty() { b"]" } else { b"\n  ]" }).map_err(io)?;
    out.write_all(b",\n  \"diagnostics\": ").map_err(io)?;
    write_pretty_at(&mut out, 1, &diagnostics)?;
    out.write_all(b"\n}").map_err(io)?;
    out.flush().map_err(io)
}

/// Results rendered per batch of the JSON report (alternate batches on each of two threads):
/// a batch's text is about 4.5 KB per result, and three batches are held at a time.
const REPORT_BATCH: usize = 512;

/// The pretty JSON of `results` into a thread's buffer, each as an element of the report's
/// `results` (a line break and indent before it, a comma after it), with that thread's hop
/// texts.
fn render_results(snapshot: &Snapshot, results: &[PairResult], ignore: &[String], thread: &mut (Texts, Vec<u8>)) -> serde_json::Result<()> {
    let (texts, buffer) = thread;
    buffer.clear();
    for r in results {
        write_result(buffer, snapshot, r, ignore, texts)?;
        buffer.push(b',');
    }
    Ok(())
}

/// One result as `to_writer_pretty` writes a [`JsonResult`] two levels deep, after a line
/// break and its indent: written field by field (issue 7: 190,000 results at 1,000 VPCs), its
/// path's hops copied from their texts, made once per shared hop. The order of the fields is
/// [`JsonResult`]'s, which `streamed_json_report_equals_the_built_one` holds it to.
fn write_result(buffer: &mut Vec<u8>, snapshot: &Snapshot, r: &PairResult, ignore: &[String], texts: &mut Texts) -> serde_json::Result<()> {
    let keep = |f: &Finding| !ignore.iter().any(|c| c.eq_ignore_ascii_case(f.code));
    /// A field whose value is written on one line, as the pretty printer writes it.
    fn field<T: Serialize + ?Sized>(buffer: &mut Vec<u8>, name: &[u8], value: &T) -> serde_json::Result<()> {
        buffer.extend_from_slice(name);
        serde_json::to_writer(buffer, value)
    }
    // A subnet's results come one after the other: its fields are written once for them.
    let unit_key = [
        at(&r.workload),
        r.vpc_id.as_ref().map_or((0, 0), |v| at(v.as_str())),
        at(r.subnet_id.as_str()),
        r.availability_zone.as_deref().map_or((0, 0), at),
    ];
    if texts.unit.as_ref().is_none_or(|(key, _)| *key != unit_key) {
        let mut text = Vec::new();
        field(&mut text, b"\n    {\n      \"workload\": ", &*r.workload)?;
        field(&mut text, b",\n      \"vpc_id\": ", &r.vpc_id.as_ref().map(VpcId::as_str))?;
        field(&mut text, b",\n      \"subnet_id\": ", &r.subnet_id.as_str())?;
        field(&mut text, b",\n      \"availability_zone\": ", &r.availability_zone.as_deref())?;
        texts.unit = Some((unit_key, text));
    }
    if let Some((_, text)) = &texts.unit {
        buffer.extend_from_slice(text);
    }
    let service_key = (at(r.service.id), at(&r.hostname), r.port, r.verdict, r.access_type, r.egress);
    let text = match texts.services.entry(service_key) {
        std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
        std::collections::hash_map::Entry::Vacant(slot) => {
            let mut text = Vec::new();
            field(&mut text, b",\n      \"service\": ", &r.service.id)?;
            field(&mut text, b",\n      \"hostname\": ", &*r.hostname)?;
            field(&mut text, b",\n      \"port\": ", &r.port)?;
            field(&mut text, b",\n      \"verdict\": ", &r.verdict)?;
            field(&mut text, b",\n      \"access_type\": ", &r.access_type)?;
            field(&mut text, b",\n      \"egress\": ", &r.egress)?;
            slot.insert(text.into_boxed_slice())
        }
    };
    buffer.extend_from_slice(text);
    buffer.extend_from_slice(b",\n      \"path\": [");
    for (index, hop) in r.path.iter().enumerate() {
        buffer.extend_from_slice(if index == 0 { b"\n" } else { b",\n" });
        let key = std::ptr::from_ref::<crate::reachability::HopData>(hop) as usize;
        let text = match texts.hops.entry(key) {
            std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::hash_map::Entry::Vacant(slot) => {
                let text = serde_json::to_string_pretty(&**hop)?;
                // A JSON string holds no raw line break: each one is the printer's.
                slot.insert(format!("{HOP_INDENT}{}", text.replace('\n', &format!("\n{HOP_INDENT}"))).into_bytes().into_boxed_slice())
            }
        };
        buffer.extend_from_slice(text);
    }
    buffer.extend_from_slice(if r.path.is_empty() { b"]" } else { b"\n      ]" });
    buffer.extend_from_slice(b",\n      \"diagnostics\": ");
    let diagnostics: Vec<JsonDiagnostic> =
        findings_of(snapshot, r).iter().filter(|f| keep(f)).map(|f| json_diagnostic(snapshot, f)).collect();
    write_pretty_at(buffer, 3, &diagnostics)?;
    buffer.extend_from_slice(b"\n    }");
    Ok(())
}

/// Writes `value` as `to_writer_pretty` does when it is nested `level` deep.
fn write_pretty_at(out: &mut impl std::io::Write, level: usize, value: &impl Serialize) -> serde_json::Result<()> {
    value.serialize(&mut serde_json::Serializer::with_formatter(out, PrettyAt { level, has_value: false }))
}

/// serde_json's `PrettyFormatter` (two spaces) starting `level` deep.
struct PrettyAt {
    level: usize,
    has_value: bool,
}

impl PrettyAt {
    /// `[` or `{`: one level deeper, nothing in it yet.
    fn open<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    /// `]` or `}`, on a line of its own when something was written in between.
    fn close<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            writer.write_all(b"\n")?;
            self.indent(writer)?;
        }
        writer.write_all(bracket)
    }

    /// Before an element or a key: a comma after the previous one, a new line, the indent.
    fn next_line<W: ?Sized + std::io::Write>(&self, writer: &mut W, first: bool) -> std::io::Result<()> {
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(writer)
    }

    fn indent<W: ?Sized + std::io::Write>(&self, writer: &mut W) -> std::io::Result<()> {
        for _ in 0..self.level {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for PrettyAt {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        self.next_line(writer, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _writer: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        self.next_line(writer, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _writer: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// What a render thread writes once and then copies (issue 7), keyed by the addresses of what
/// it is made from (the analysis, and so every hop and ID, outlives the report): the
/// pretty-printed JSON of each shared hop, indented as a path element of the report is, its
/// indent included; a result's fields from `workload` to `availability_zone`, the same for a
/// subnet's consecutive results; and its fields from `service` to `egress`.
#[derive(Default)]
struct Texts {
    hops: crate::reachability::fxhash::FastMap<usize, Box<[u8]>>,
    unit: Option<(UnitKey, Vec<u8>)>,
    services: crate::reachability::fxhash::FastMap<ServiceKey, Box<[u8]>>,
}

/// A result's workload, VPC, subnet and AZ (address and length of each text, zeros for none).
type UnitKey = [(usize, usize); 4];

/// A service's ID and hostname (address and length), port and outcome.
type ServiceKey = ((usize, usize), (usize, usize), u16, Verdict, Option<AccessType>, Option<Egress>);

/// Where a text is, and how long: what a shared text is known by.
fn at(text: &str) -> (usize, usize) {
    (text.as_ptr() as usize, text.len())
}

/// The indentation of a path's hops in the pretty-printed report: report, results, result,
/// path, two spaces each.
const HOP_INDENT: &str = "        ";

/// Options of the human renderer.
#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    pub color: bool,
    pub width: usize,
}

fn handler(options: HumanOptions) -> GraphicalReportHandler {
    let theme = if options.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    GraphicalReportHandler::new_themed(theme).with_width(options.width).with_links(false)
}

fn miette_severity(severity: Severity) -> miette::Severity {
    match severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

fn render_diagnostic(out: &mut String, snapshot: &Snapshot, finding: &Finding, options: HumanOptions) {
    let mut diag = MietteDiagnostic::new(finding.message.clone())
        .with_code(finding.code)
        .with_severity(miette_severity(finding.severity))
        .with_url(format!("vpcreach explain {}", finding.code));
    if let Some(help) = &finding.help {
        diag = diag.with_help(help.clone());
    }
    let source = finding.labels.first().map(|l| l.span.source);
    let labels: Vec<&crate::rules::Label> = finding.labels.iter().filter(|l| Some(l.span.source) == source).collect();
    let file = source.and_then(|s| snapshot.source(s));
    let mut excerpt = None;
    if let Some(file) = file {
        let spans: Vec<(usize, usize)> = labels.iter().map(|l| (l.span.offset, l.span.len.max(1))).collect();
        let (text, mapped) = Excerpt::new(file, &spans);
        let labeled = labels.iter().zip(mapped).enumerate().map(|(i, (l, (offset, len)))| {
            let span = (offset, len.max(1));
            if i == 0 {
                LabeledSpan::new_primary_with_span(Some(l.text.clone()), span)
            } else {
                LabeledSpan::new_with_span(Some(l.text.clone()), span)
            }
        });
        diag = diag.with_labels(labeled.collect::<Vec<_>>());
        excerpt = Some(text);
    }
    let mut report = Report::new(diag);
    if let Some(excerpt) = excerpt {
        report = report.with_source_code(excerpt);
    }
    let _ = handler(options).render_report(out, report.as_ref());
    if !finding.resource_ids.is_empty() {
        let _ = writeln!(out, "  resources: {}", finding.resource_ids.join(", "));
    }
    out.push('\n');
}

fn verdict_mark(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Reachable => "✔ reachable",
        Verdict::Unreachable => "✘ unreachable",
        Verdict::Unknown => "? unknown",
    }
}

fn snake<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_else(|| "-".to_owned())
}

/// The request's hops, then the reply's route lookups (PCX-3, TGW-5) after `⇠ reply:`.
fn path_text(path: &[Hop]) -> String {
    let join = |is_return: bool| {
        path.iter()
            .filter(|h| h.kind != "subnet" && h.kind != "dns" && h.kind.starts_with("return_") == is_return)
            .map(|h| &*h.resource_id)
            .collect::<Vec<_>>()
            .join(" → ")
    };
    let (request, reply) = (join(false), join(true));
    if request.is_empty() && reply.is_empty() {
        // Stopped at name resolution: say how.
        return path.iter().find(|h| h.kind == "dns").map_or_else(String::new, |h| format!("DNS: {}", h.detail));
    }
    if reply.is_empty() {
        request
    } else {
        format!("{request}  ⇠ reply: {reply}")
    }
}

/// Whether a path crosses a transit gateway or a peering connection.
fn crosses_vpcs(path: &[Hop]) -> bool {
    path.iter().any(|h| h.kind.starts_with("transit_gateway") || h.kind == "peering_connection")
}

/// Where a hop sits, for the headings of a drawn path: the VPC of a route table, NAT gateway,
/// endpoint or ENI, the transit gateway of a TGW route table; `None` keeps the current place
/// (attachments and peering connections are the boundaries between places).
fn place_of(snapshot: &Snapshot, hop: &Hop) -> Option<String> {
    let named = |id: &str, name: Option<&String>| name.map_or(id.to_owned(), |n| format!("{id} ({n})"));
    let vpc = |id: &VpcId| named(id.as_str(), snapshot.vpcs.get(id).and_then(|v| v.name.as_ref()));
    let id = &*hop.resource_id;
    match hop.kind.trim_start_matches("return_") {
        "route_table" => snapshot.route_tables.get(id).map(|t| vpc(&t.vpc_id)),
        "transit_gateway" => Some(named(id, snapshot.transit_gateways.get(id).and_then(|t| t.name.as_ref()))),
        "transit_gateway_route_table" => snapshot
            .tgw_route_tables
            .get(id)
            .map(|t| named(t.tgw.as_str(), snapshot.transit_gateways.get(&t.tgw).and_then(|g| g.name.as_ref()))),
        "nat_gateway" => snapshot.nat_gateways.get(id).and_then(|n| n.vpc_id.as_ref()).map(vpc),
        "interface_endpoint" | "gateway_endpoint" => snapshot.vpc_endpoints.get(id).map(|e| vpc(&e.vpc_id)),
        "network_interface" => snapshot.network_interfaces.get(id).and_then(|n| n.vpc_id.as_ref()).map(vpc),
        _ => None,
    }
}

fn hop_label(kind: &str) -> &str {
    match kind.trim_start_matches("return_") {
        "route_table" => "route table",
        "transit_gateway" => "transit gateway",
        "transit_gateway_attachment" => "TGW attachment",
        "transit_gateway_route_table" => "TGW route table",
        "peering_connection" => "peering",
        "nat_gateway" => "NAT gateway",
        "internet_gateway" => "internet gateway",
        "interface_endpoint" => "interface endpoint",
        "gateway_endpoint" => "gateway endpoint",
        "network_interface" => "network interface",
        other => other,
    }
}

/// A cross-VPC path, hop by hop under the VPC or transit gateway each hop belongs to; the
/// reply's lookups follow under `reply`.
fn draw_path(out: &mut String, snapshot: &Snapshot, dns: &[&Hop], hops: &[&Hop]) {
    let mut place: Option<String> = None;
    let mut in_reply = false;
    let mut dns_pending = true;
    for hop in hops {
        let is_reply = hop.kind.starts_with("return_");
        let here = place_of(snapshot, hop);
        if is_reply && !in_reply {
            in_reply = true;
            let _ = writeln!(out, "    ⇠ reply");
            place = None;
        }
        if let Some(here) = here.filter(|h| place.as_ref() != Some(h)) {
            let _ = writeln!(out, "    {}{here}", if in_reply { "  " } else { "" });
            place = Some(here);
        }
        // Name resolution as seen from the task's VPC, before its first route lookup.
        if dns_pending {
            dns_pending = false;
            // Public answers are the default; only private and failed answers are drawn.
            for d in dns.iter().filter(|d| !d.detail.starts_with("public ") && d.resource_id.parse::<std::net::IpAddr>().is_err()) {
                let _ = writeln!(out, "      {:<19} {}: {}", "DNS", d.resource_id, d.detail);
            }
        }
        let indent = if in_reply { "        " } else { "      " };
        let _ = writeln!(out, "{indent}{:<19} {:<29} {}", hop_label(hop.kind), hop.resource_id, hop.detail);
    }
}

pub fn human_report(snapshot: &Snapshot, analysis: &Analysis, ignore: &[String], options: HumanOptions) -> String {
    let mut out = String::new();
    let name = if snapshot.path.is_empty() { "snapshot" } else { snapshot.path.as_str() };
    let count = |v: Verdict| analysis.results.iter().filter(|r| r.verdict == v).count();
    let _ = writeln!(
        out,
        "vpcreach: {name}: {} checks, {} reachable, {} unreachable, {} unknown: {}",
        analysis.results.len(),
        count(Verdict::Reachable),
        count(Verdict::Unreachable),
        count(Verdict::Unknown),
        if is_ready(analysis) { "READY" } else { "DEGRADED" }
    );

    let mut notes = Vec::new();
    let mut start = 0;
    while start < analysis.results.len() {
        let Some(first) = analysis.results.get(start) else { break };
        let same = |r: &&PairResult| r.workload == first.workload && r.subnet_id == first.subnet_id;
        let group: Vec<&PairResult> = analysis.results.get(start..).unwrap_or_default().iter().take_while(same).collect();
        start += group.len().max(1);
        // An audited subnet is its own workload: named once.
        let workload = if *first.workload == *first.subnet_id.as_str() { String::new() } else { format!("{} · ", first.workload) };
        let _ = writeln!(
            out,
            "\n{workload}{} ({}) · {}",
            first.subnet_id,
            first.availability_zone.as_deref().unwrap_or("?"),
            first.vpc_id.as_ref().map_or("?".to_owned(), ToString::to_string)
        );
        let width = group.iter().map(|r| r.service.id.chars().count()).max().unwrap_or(0).max(16);
        let _ = writeln!(out, "  {:<width$} {:<14} {:<17} {:<19} path", "service", "verdict", "access type", "egress");
        // Paths that leave the VPC are drawn hop by hop below the table, once per distinct path.
        let mut drawn: Vec<(Vec<&Hop>, Vec<&PairResult>)> = Vec::new();
        for r in &group {
            let path_column = if crosses_vpcs(&r.path) {
                let hops: Vec<&Hop> = r.path.iter().filter(|h| h.kind != "subnet" && h.kind != "dns").collect();
                let index = match drawn.iter().position(|(h, _)| *h == hops) {
                    Some(i) => i,
                    None => {
                        drawn.push((hops, Vec::new()));
                        drawn.len() - 1
                    }
                };
                if let Some((_, users)) = drawn.get_mut(index) {
                    users.push(r);
                }
                format!("cross-VPC path [{}], below", index + 1)
            } else {
                path_text(&r.path)
            };
            let _ = writeln!(
                out,
                "  {:<width$} {:<14} {:<17} {:<19} {}",
                r.service.id,
                verdict_mark(r.verdict),
                r.access_type.map_or("-".to_owned(), |a| snake(&a)),
                r.egress.map_or("-".to_owned(), |e| snake(&e)),
                path_column
            );
            if r.access_type == Some(AccessType::NatGateway) && r.egress == Some(Egress::GatewayEndpoint) {
                let note = format!(
                    "note: {} resolves to public addresses, so the runner dashboard shows `nat_gateway`, but the traffic is carried by the gateway endpoint on the route table (EP-13)",
                    r.hostname
                );
                if !notes.contains(&note) {
                    notes.push(note);
                }
            }
        }
        for (i, (hops, users)) in drawn.iter().enumerate() {
            let services: Vec<&str> = users.iter().map(|r| r.service.id).collect();
            let _ = writeln!(out, "\n  [{}] {}", i + 1, services.join(", "));
            let dns: Vec<&Hop> = users.iter().flat_map(|r| r.path.iter().filter(|h| h.kind == "dns")).collect();
            draw_path(&mut out, snapshot, &dns, hops);
        }
    }
    if !notes.is_empty() {
        out.push('\n');
        for note in &notes {
            let _ = writeln!(out, "{note}");
        }
    }

    // Each distinct finding once, most severe first.
    let findings = all_findings(snapshot, analysis, ignore);
    if !findings.is_empty() {
        let _ = writeln!(out, "\n{} diagnostic{}:\n", findings.len(), if findings.len() == 1 { "" } else { "s" });
    }
    for f in &findings {
        render_diagnostic(&mut out, snapshot, f, options);
    }
    out
}

/// A load failure as miette diagnostics, one per problem.
pub fn render_load_error(err: &LoadError, options: HumanOptions) -> String {
    let mut out = String::new();
    match err {
        LoadError::Io { .. } => {
            let _ = writeln!(out, "error: {err}");
        }
        LoadError::Invalid { problems, sources, .. } => {
            let _ = writeln!(out, "error: {err}\n");
            for p in problems {
                render_problem(&mut out, p, sources, "vpcreach::invalid_snapshot", options);
            }
        }
    }
    out
}

/// One line for a load error, for places that cannot hold the whole report (a JUnit file):
/// the first problem's `file:line:column` and message, and how many more there are.
pub fn load_error_summary(err: &LoadError) -> String {
    match err {
        LoadError::Io { .. } => err.to_string(),
        LoadError::Invalid { problems, sources, .. } => {
            let Some(first) = problems.first() else { return err.to_string() };
            let location = first
                .span
                .and_then(|span| {
                    sources.get(span.source.0 as usize).map(|file| {
                        let (line, col) = file.line_col(span.offset);
                        format!("{}:{line}:{col}: ", file.name)
                    })
                })
                .unwrap_or_default();
            let more = match problems.len() {
                1 => String::new(),
                n => format!(" (and {} more problem{})", n - 1, if n == 2 { "" } else { "s" }),
            };
            format!("{location}{}{more}", first.message)
        }
    }
}

/// Problems of an input file that is not a snapshot (`expect.json`, `args.json`), rendered as
/// load errors are, under `header` and with diagnostic `code`.
pub fn render_input_problems(header: &str, code: &str, problems: &[Problem], sources: &[SourceFile], options: HumanOptions) -> String {
    let mut out = format!("error: {header}\n\n");
    for p in problems {
        render_problem(&mut out, p, sources, code, options);
    }
    out
}

fn render_problem(out: &mut String, problem: &Problem, sources: &[SourceFile], code: &str, options: HumanOptions) {
    let mut diag = MietteDiagnostic::new(problem.message.clone()).with_code(code.to_owned()).with_severity(miette::Severity::Error);
    if let Some(help) = &problem.help {
        diag = diag.with_help(help.clone());
    }
    let mut location = String::new();
    let mut excerpt = None;
    if let Some(span) = problem.span {
        if let Some(file) = sources.get(span.source.0 as usize) {
            let (line, col) = file.line_col(span.offset);
            location = format!("{}:{line}:{col}", file.name);
            let (text, mapped) = Excerpt::new(file, &[(span.offset, span.len)]);
            if let Some(&(offset, len)) = mapped.first() {
                diag = diag.with_label(LabeledSpan::new_primary_with_span(Some(problem.label.clone()), (offset, len)));
            }
            excerpt = Some(text);
        }
    }
    let mut report = Report::new(diag);
    if let Some(excerpt) = excerpt {
        report = report.with_source_code(excerpt);
    }
    if !location.is_empty() {
        let _ = writeln!(out, "{location}");
    }
    let _ = handler(options).render_report(out, report.as_ref());
    out.push('\n');
}

/// The `file:line:column` of a span, for messages and tests.
pub fn location(snapshot: &Snapshot, span: Span) -> Option<(String, usize, usize)> {
    let file = snapshot.source(span.source)?;
    let (line, col) = file.line_col(span.offset);
    Some((file.name.clone(), line, col))
}
