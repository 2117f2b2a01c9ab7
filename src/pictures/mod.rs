//! Pictures of a run for design review: the paths per workload as a graph ([`Picture`]),
//! drawn as Mermaid ([`mermaid`]) or Graphviz DOT ([`dot`]), and the self-contained HTML report
//! ([`html`]: matrix, paths, diagnostics and the topology as SVG), and the page of a
//! `vpcreach diff` ([`diff_html`]).
//!
//! Everything is built from the JSON report's data model ([`crate::report::JsonReport`]), so
//! `--ignore` and the verdicts mean the same in every format. Strings from the snapshot (names,
//! tags, ids, messages) are user-controlled: each renderer escapes them for its own syntax.

pub mod diff_html;
pub mod dot;
pub mod html;
pub mod mermaid;

use std::collections::BTreeMap;

use crate::model::{Snapshot, TransitGatewayAttachmentId};
use crate::reachability::{Analysis, Verdict};
use crate::report::{self, JsonReport, JsonResult};
use crate::rules::Severity;

/// The paths of a run as one graph per workload.
#[derive(Debug, Clone)]
pub struct Picture {
    /// What the user named (the snapshot file or folder).
    pub title: String,
    /// `ready` or `degraded`, as in the JSON report.
    pub status: &'static str,
    pub reachable: usize,
    pub unreachable: usize,
    pub unknown: usize,
    pub workloads: Vec<WorkloadGraph>,
}

/// One workload: its subnets, the hops their requests cross and the services they reach.
#[derive(Debug, Clone)]
pub struct WorkloadGraph {
    pub name: String,
    /// Identifier for the drawing, `[A-Za-z0-9_]` only.
    pub id: String,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

#[derive(Debug, Clone)]
pub struct Node {
    /// Identifier for the drawing, `[A-Za-z0-9_]` only, unique in the picture.
    pub id: String,
    /// The hop kind (`route_table`, `nat_gateway`, …), `subnet` or `service`.
    pub kind: &'static str,
    pub resource_id: String,
    /// Lines of the label, unescaped: what it is, its id, then its name or details.
    pub lines: Vec<String>,
    /// Hops and subnets: the best verdict of the results crossing the node (it carries some
    /// working traffic when any is reachable). Services: the worst verdict of the workload's
    /// results for it (what the reviewer needs to see).
    pub verdict: Verdict,
    /// Some result that is not reachable stops here.
    pub is_blocked: bool,
}

#[derive(Debug, Clone)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub verdict: Verdict,
    /// The last edge of a result, into the service node.
    pub is_final: bool,
    /// Final edges of results that are not reachable: the codes of their error and warning
    /// diagnostics (all codes when there are none of those), sorted.
    pub codes: Vec<&'static str>,
}

/// Turns anything into an identifier made of `[A-Za-z0-9_]`.
pub fn sanitize_id(text: &str) -> String {
    let id: String = text.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    if id.is_empty() {
        "_".to_owned()
    } else {
        id
    }
}

/// Hands out identifiers: the same key always gets the same id, and two keys that sanitize
/// to the same text get distinct ids (`_2`, `_3`, … in order of first use).
#[derive(Debug, Default)]
struct Ids {
    by_key: BTreeMap<String, String>,
    used: std::collections::BTreeSet<String>,
}

impl Ids {
    /// The id of `key`, made from `readable` the first time.
    fn get(&mut self, key: &str, readable: &str) -> String {
        if let Some(id) = self.by_key.get(key) {
            return id.clone();
        }
        let base = sanitize_id(readable);
        let mut id = base.clone();
        let mut n = 2;
        while self.used.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        self.used.insert(id.clone());
        self.by_key.insert(key.to_owned(), id.clone());
        id
    }
}

/// How a hop kind reads in a picture.
pub fn kind_label(kind: &str) -> &str {
    match kind.trim_start_matches("return_") {
        "subnet" => "subnet",
        "route_table" => "route table",
        "transit_gateway" => "transit gateway",
        "transit_gateway_attachment" => "TGW attachment",
        "transit_gateway_route_table" => "TGW route table",
        "peering_connection" => "peering connection",
        "nat_gateway" => "NAT gateway",
        "internet_gateway" => "internet gateway",
        "interface_endpoint" => "interface endpoint",
        "gateway_endpoint" => "gateway endpoint",
        "network_interface" => "network interface",
        "dns" => "DNS",
        "service" => "service",
        other => other,
    }
}

/// The `Name` tag of a resource the snapshot names, by hop kind.
pub fn name_of<'a>(snapshot: &'a Snapshot, kind: &str, id: &str) -> Option<&'a str> {
    let name = match kind.trim_start_matches("return_") {
        "subnet" => snapshot.subnets.get(id).and_then(|s| s.name.as_ref()),
        "vpc" => snapshot.vpcs.get(id).and_then(|v| v.name.as_ref()),
        "route_table" => snapshot.route_tables.get(id).and_then(|t| t.name.as_ref()),
        "transit_gateway" => snapshot.transit_gateways.get(id).and_then(|t| t.name.as_ref()),
        "transit_gateway_route_table" => snapshot.tgw_route_tables.get(id).and_then(|t| t.name.as_ref()),
        "transit_gateway_attachment" => {
            let id = TransitGatewayAttachmentId::from(id);
            snapshot.tgw_attachments.values().find(|a| a.id == id).and_then(|a| a.name.as_ref())
        }
        "interface_endpoint" | "gateway_endpoint" => snapshot.vpc_endpoints.get(id).and_then(|e| e.name.as_ref()),
        _ => None,
    };
    name.map(String::as_str)
}

/// What a hop node says below its id: its name, and where a NAT gateway sits.
fn hop_details(snapshot: &Snapshot, kind: &str, id: &str) -> Vec<String> {
    let mut lines: Vec<String> = name_of(snapshot, kind, id).map(str::to_owned).into_iter().collect();
    if kind == "nat_gateway" {
        if let Some(nat) = snapshot.nat_gateways.get(id) {
            lines.push(format!(
                "{} in {}",
                if nat.is_private { "private" } else { "public" },
                nat.subnet_id.as_ref().map_or("?", |s| s.as_str())
            ));
        }
    }
    lines
}

fn subnet_details(snapshot: &Snapshot, result: &JsonResult) -> Vec<String> {
    let subnet = snapshot.subnets.get(result.subnet_id.as_str());
    let mut lines: Vec<String> = subnet.and_then(|s| s.name.clone()).into_iter().collect();
    let mut place = Vec::new();
    if let Some(cidr) = subnet.and_then(|s| s.cidr) {
        place.push(cidr.to_string());
    }
    if let Some(az) = &result.availability_zone {
        place.push(az.clone());
    }
    if !place.is_empty() {
        lines.push(place.join(" · "));
    }
    lines
}

/// The codes that explain a result that is not reachable.
pub fn blocking_codes(result: &JsonResult) -> Vec<&'static str> {
    let serious: Vec<&'static str> = result.diagnostics.iter().filter(|d| d.severity >= Severity::Warning).map(|d| d.code).collect();
    let mut codes = if serious.is_empty() { result.diagnostics.iter().map(|d| d.code).collect() } else { serious };
    codes.sort_unstable();
    codes.dedup();
    codes
}

/// The request's hops that are drawn: not the subnet (its own node), not name resolution and
/// not the reply's route lookups.
fn request_hops(result: &JsonResult) -> impl Iterator<Item = &crate::reachability::Hop> {
    result.path.iter().filter(|h| h.kind != "subnet" && h.kind != "dns" && !h.kind.starts_with("return_"))
}

struct Builder<'a> {
    snapshot: &'a Snapshot,
    ids: Ids,
}

impl Builder<'_> {
    fn workload(&mut self, index: usize, name: &str, results: &[&JsonResult]) -> WorkloadGraph {
        let prefix = format!("w{index}");
        let mut nodes: Vec<Node> = Vec::new();
        let mut node_at: BTreeMap<String, usize> = BTreeMap::new();
        let mut edges: Vec<Edge> = Vec::new();
        let mut edge_at: BTreeMap<(String, String, Option<Verdict>), usize> = BTreeMap::new();
        for result in results {
            let verdict = result.verdict;
            // The chain of node ids this result crosses: subnet, request hops, service.
            let mut chain: Vec<String> = Vec::new();
            let mut add = |kind: &'static str, resource_id: &str, lines: Vec<String>, ids: &mut Ids, is_service: bool| {
                // Resource ids carry their kind (`rtb-…`); services get `svc_`.
                let readable = if is_service { format!("{prefix}_svc_{resource_id}") } else { format!("{prefix}_{resource_id}") };
                let id = ids.get(&format!("{prefix}\u{0}{kind}\u{0}{resource_id}"), &readable);
                match node_at.get(&id).and_then(|&i| nodes.get_mut(i)) {
                    Some(node) => node.verdict = if is_service { node.verdict.max(verdict) } else { node.verdict.min(verdict) },
                    None => {
                        node_at.insert(id.clone(), nodes.len());
                        nodes.push(Node { id: id.clone(), kind, resource_id: resource_id.to_owned(), lines, verdict, is_blocked: false });
                    }
                }
                id
            };
            let mut lines = vec![kind_label("subnet").to_owned(), result.subnet_id.clone()];
            lines.extend(subnet_details(self.snapshot, result));
            chain.push(add("subnet", &result.subnet_id, lines, &mut self.ids, false));
            for hop in request_hops(result) {
                let mut lines = vec![kind_label(hop.kind).to_owned(), hop.resource_id.to_string()];
                lines.extend(hop_details(self.snapshot, hop.kind, &hop.resource_id));
                let id = add(hop.kind, &hop.resource_id, lines, &mut self.ids, false);
                // A loop revisits a node: draw each step once.
                if chain.last() != Some(&id) {
                    chain.push(id);
                }
            }
            let last = chain.last().cloned();
            let lines = vec![format!("service {}", result.service), format!("{}:{}", result.hostname, result.port)];
            let service = add("service", result.service, lines, &mut self.ids, true);
            if verdict != Verdict::Reachable {
                if let Some(node) = last.as_ref().and_then(|l| node_at.get(l)).and_then(|&i| nodes.get_mut(i)) {
                    node.is_blocked = true;
                }
            }
            let codes = if verdict == Verdict::Reachable { Vec::new() } else { blocking_codes(result) };
            for pair in chain.windows(2) {
                if let [from, to] = pair {
                    let key = (from.clone(), to.clone(), None);
                    match edge_at.get(&key).and_then(|&i| edges.get_mut(i)) {
                        Some(edge) => edge.verdict = edge.verdict.min(verdict),
                        None => {
                            edge_at.insert(key, edges.len());
                            edges.push(Edge { from: from.clone(), to: to.clone(), verdict, is_final: false, codes: Vec::new() });
                        }
                    }
                }
            }
            if let Some(from) = last {
                let key = (from.clone(), service.clone(), Some(verdict));
                match edge_at.get(&key).and_then(|&i| edges.get_mut(i)) {
                    Some(edge) => {
                        edge.codes.extend(codes);
                        edge.codes.sort_unstable();
                        edge.codes.dedup();
                    }
                    None => {
                        edge_at.insert(key, edges.len());
                        edges.push(Edge { from, to: service, verdict, is_final: true, codes });
                    }
                }
            }
        }
        // Subnets first, then the hops, then the services (the drawing's reading order).
        let rank = |n: &Node| match n.kind {
            "subnet" => 0,
            "service" => 2,
            _ => 1,
        };
        nodes.sort_by_key(rank);
        let id = format!("workload_{index}");
        WorkloadGraph { name: name.to_owned(), id: self.ids.get(&id, &id), nodes, edges }
    }
}

/// The picture of a JSON report.
pub fn picture_of(snapshot: &Snapshot, report: &JsonReport) -> Picture {
    // Workloads in the order of the results (the analysis keeps the snapshot's order).
    let mut names: Vec<&str> = Vec::new();
    for r in &report.results {
        if !names.contains(&r.workload.as_str()) {
            names.push(&r.workload);
        }
    }
    let mut builder = Builder { snapshot, ids: Ids::default() };
    let workloads = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let results: Vec<&JsonResult> = report.results.iter().filter(|r| r.workload == *name).collect();
            builder.workload(i, name, &results)
        })
        .collect();
    Picture {
        title: if snapshot.path.is_empty() { "snapshot".to_owned() } else { snapshot.path.clone() },
        status: report.status,
        reachable: report.summary.reachable,
        unreachable: report.summary.unreachable,
        unknown: report.summary.unknown,
        workloads,
    }
}

/// The picture of a run, with `ignore`d codes left out as in the JSON report.
pub fn picture(snapshot: &Snapshot, analysis: &Analysis, ignore: &[String]) -> Picture {
    picture_of(snapshot, &report::json_report(snapshot, analysis, ignore))
}

pub fn verdict_str(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Reachable => "reachable",
        Verdict::Unreachable => "unreachable",
        Verdict::Unknown => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_sanitized_and_distinct() {
        let mut ids = Ids::default();
        assert_eq!(ids.get("a", "w0_svc_ecr.api"), "w0_svc_ecr_api");
        assert_eq!(ids.get("b", "w0_svc_ecr_api"), "w0_svc_ecr_api_2");
        assert_eq!(ids.get("a", "w0_svc_ecr.api"), "w0_svc_ecr_api");
        assert_eq!(sanitize_id("a\"b<c> d#é"), "a_b_c__d__");
        assert_eq!(sanitize_id(""), "_");
    }
}
