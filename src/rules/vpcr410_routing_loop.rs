//! VPCR410 routing-loop: route tables send the traffic around in a loop.

use super::declare::declare_rule;
use super::route_fix::{destination_args, route_at, target_flag};
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// Following the routes revisits a route table the path already used: for example the egress
    /// VPC's attachment subnets send `0.0.0.0/0` back to the transit gateway, whose table sends it
    /// to the egress VPC again, or a NAT gateway's subnet routes `0.0.0.0/0` to the transit gateway
    /// instead of the internet gateway (RT-5, TGW-3, NAT-8).
    ///
    /// ## Why it matters
    /// The packet circles until its TTL runs out and is dropped. Nothing on the loop is broken on
    /// its own: each route is valid, together they never reach an exit.
    ///
    /// ## Example
    /// ```json
    /// { "RouteTableId": "rtb-egress-attachment", "Routes": [ { "DestinationCidrBlock": "0.0.0.0/0", "TransitGatewayId": "tgw-…" } ] }
    /// ```
    ///
    /// ## How to fix
    /// Point the route that closes the loop at an exit: in an egress VPC's attachment subnets,
    /// `aws ec2 replace-route --route-table-id <rtb> --destination-cidr-block 0.0.0.0/0
    /// --nat-gateway-id <nat-…>`; in a NAT gateway's subnet, `--gateway-id <igw-…>`.
    code: "VPCR410", name: "routing-loop", severity: Error, summary: "route tables send the traffic around in a loop",
}

pub(crate) fn finding(cx: &Cx<'_>, cycle: &[String], route_table: &str, route: Option<Span>) -> Finding {
    let mut hops: Vec<&str> = cycle.iter().map(String::as_str).collect();
    if hops.len() > 1 && hops.first() != hops.last() {
        hops.extend(hops.first().copied());
    }
    // `route_table` is the table visited twice. The route to change is the one that sent the
    // packet back: the fact's route (in whichever table holds it), else the matching route of
    // the table visited just before (an egress VPC's `0.0.0.0/0 → tgw`, for instance).
    let (closing, route) = match (route, table_holding(cx, route)) {
        (Some(span), Some(table)) => (table, Some(span)),
        (Some(span), None) => (route_table.to_owned(), Some(span)),
        (None, _) => match hops.as_slice() {
            [.., before, again] => ((*before).to_owned(), closing_route(cx, before, again).map(|r| r.span)),
            _ => (route_table.to_owned(), None),
        },
    };
    let closing = closing.as_str();
    let what = if cx.hostname().is_empty() { "traffic".to_owned() } else { format!("traffic for {}", cx.hostname()) };
    let mut f = Finding::new(&RULE, format!("{what} loops until its TTL runs out: {}", hops.join(" → "))).id(closing).id(route_table);
    for hop in cycle {
        f = f.id(hop);
    }
    let f = f.label(route.or_else(|| cx.span_of(closing)), "this route sends the traffic back into the loop");
    let f = if closing == route_table { f } else { f.label(cx.span_of(route_table), "visited a second time") };
    f.help(help(cx, closing, route))
}

/// The ID of the VPC or transit gateway route table holding the route at `span`.
fn table_holding(cx: &Cx<'_>, span: Option<Span>) -> Option<String> {
    let span = span?;
    let s = cx.snapshot;
    s.route_tables
        .values()
        .find(|t| t.routes.iter().any(|r| r.span == span))
        .map(|t| t.id.to_string())
        .or_else(|| s.tgw_route_tables.values().find(|t| t.routes.iter().any(|r| r.span == span)).map(|t| t.id.to_string()))
}

/// The route of `table` that leads to `next` on the cycle: a VPC route to the transit gateway
/// of the `next` transit gateway table, or a transit gateway route to the attachment whose
/// subnets use the `next` VPC table. `0.0.0.0/0` first when several do.
fn closing_route<'a>(cx: &Cx<'a>, table: &str, next: &str) -> Option<&'a Route> {
    let s = cx.snapshot;
    let leads_to_next = |r: &&Route| match &r.target {
        RouteTarget::TransitGateway(tgw) => s.tgw_route_tables.get(next).is_some_and(|t| &t.tgw == tgw),
        RouteTarget::TgwAttachment(id) => s.tgw_attachments.values().any(|a| {
            &a.id == id && a.subnet_ids.iter().any(|sub| s.effective_route_table(sub).is_some_and(|(t, _)| t.id.as_str() == next))
        }),
        _ => false,
    };
    let routes: Vec<&Route> = match s.route_tables.get(table) {
        Some(t) => t.routes.iter().filter(leads_to_next).collect(),
        None => s.tgw_route_tables.get(table).map(|t| t.routes.iter().filter(leads_to_next).collect()).unwrap_or_default(),
    };
    routes.iter().find(|r| r.destination.to_string() == "0.0.0.0/0").or(routes.first()).copied()
}

fn help(cx: &Cx<'_>, route_table: &str, route: Option<Span>) -> String {
    let s = cx.snapshot;
    let found = route_at(cx, route);
    let destination = found.map_or("--destination-cidr-block <cidr>".to_owned(), |r| destination_args(&r.destination));
    if route_table.starts_with("tgw-rtb-") {
        return format!(
            "send the route to an attachment that leaves the loop: `aws ec2 replace-transit-gateway-route --transit-gateway-route-table-id {route_table} {destination} --transit-gateway-attachment-id <tgw-attach-…>`"
        );
    }
    let Some(table) = s.route_tables.get(route_table) else {
        return format!("point the route in {route_table} that closes the loop at a next hop outside it");
    };
    let vpc = &table.vpc_id;
    // NAT-8: a NAT gateway's own subnet needs the internet gateway, not another hop.
    let hosts_nat = s.nat_gateways.values().any(|n| n.subnet_id.as_ref().is_some_and(|sub| table.subnet_ids.contains(sub)));
    let igw = s.internet_gateways.values().find(|g| g.attached_vpcs.contains(vpc));
    let is_default = found.is_some_and(|r| r.destination.to_string() == "0.0.0.0/0");
    let (target, before) = match igw {
        Some(igw) if hosts_nat => {
            let igw = igw.id.to_string();
            (format!("{} {igw}", target_flag(&igw)), None)
        }
        _ if is_default => {
            let (nat, create) = super::route_fix::nat_next_hop_for(cx, vpc, Some(&table.id));
            (format!("{} {nat}", target_flag(&nat)), create)
        }
        _ => ("<target flag and next hop outside the loop>".to_owned(), None),
    };
    let command = format!("`aws ec2 replace-route --route-table-id {route_table} {destination} {target}`");
    match before {
        Some(create) => {
            format!("create a NAT gateway in a public subnet of {vpc} ({create}), then point the looping route at it: {command}")
        }
        None => format!("point the route that closes the loop at an exit: {command}"),
    }
}
