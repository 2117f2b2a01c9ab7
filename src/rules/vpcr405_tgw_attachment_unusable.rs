//! VPCR405 tgw-attachment-unusable: the VPC's transit gateway attachment is missing, not available or not associated with a route table.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// A route sends the service's traffic to a transit gateway, but the VPC's attachment to that
    /// gateway cannot carry it (TGW_ATTACHMENT_NOT_AVAILABLE / NOT_ASSOCIATED):
    ///
    /// - there is no VPC attachment: a transit gateway is a route target only in VPCs attached to
    ///   it (TGW-14);
    /// - the attachment is not `available` (`pendingAcceptance`, `pending`, `modifying`,
    ///   `failed`, `rejected`, `deleted`, …): only available attachments forward (TGW-10);
    /// - the attachment is not associated with a transit gateway route table, so packets arriving
    ///   from it have no table to be routed by (TGW-5).
    ///
    /// ## Why it matters
    /// The transit gateway drops the packet at the first hop: nothing behind it is reachable.
    ///
    /// ## Example
    /// ```json
    /// { "TransitGatewayAttachmentId": "tgw-attach-…", "ResourceType": "vpc", "State": "pendingAcceptance" }
    /// ```
    ///
    /// ## How to fix
    /// - No attachment: `aws ec2 create-transit-gateway-vpc-attachment --transit-gateway-id <tgw>
    ///   --vpc-id <vpc> --subnet-ids <one subnet per AZ>`.
    /// - `pendingAcceptance` (a cross-account attachment): the transit gateway owner runs `aws ec2
    ///   accept-transit-gateway-vpc-attachment --transit-gateway-attachment-id <tgw-attach>`;
    ///   `pending` / `modifying`: wait; failed, rejected or deleted: create a new attachment.
    /// - Not associated: `aws ec2 associate-transit-gateway-route-table
    ///   --transit-gateway-route-table-id <tgw-rtb> --transit-gateway-attachment-id <tgw-attach>`.
    code: "VPCR405", name: "tgw-attachment-unusable", severity: Error, summary: "the VPC's transit gateway attachment is missing, not available or not associated with a route table",
}

pub(crate) fn finding(
    cx: &Cx<'_>,
    tgw: &TransitGatewayId,
    attachment: Option<&TransitGatewayAttachmentId>,
    vpc: Option<&VpcId>,
    reason: &str,
    route_table: Option<&RouteTableId>,
    route: Option<Span>,
) -> Finding {
    // The reason names the attachment and its state; the message says which side it is on.
    let mut f = match (attachment, vpc, route_table) {
        (Some(a), Some(vpc), _) => Finding::new(&RULE, format!("transit gateway {tgw} cannot use the attachment of {vpc}: {reason}")).id(a),
        (Some(a), None, _) => Finding::new(&RULE, format!("transit gateway {tgw} cannot use attachment {a}: {reason}")).id(a),
        (None, _, Some(rt)) => Finding::new(&RULE, format!("route table {rt} sends traffic to transit gateway {tgw}, but {reason}")),
        (None, _, None) => Finding::new(&RULE, format!("transit gateway {tgw} cannot be used: {reason}")),
    }
    .id(tgw);
    if let Some(rt) = route_table {
        f = f.id(rt);
    }
    if let Some(vpc) = vpc {
        f = f.id(vpc);
    }
    let resource = attachment.map_or(tgw.as_str(), TransitGatewayAttachmentId::as_str);
    // A VPC route to the gateway, or (destination side) a transit gateway route to the attachment.
    let next = if route_table.is_some() { tgw.as_str() } else { resource };
    // The association lives on the `TransitGatewayAttachments` entry; the state and subnets on
    // the VPC attachment (what `span_of` finds).
    let found = attachment.and_then(|a| cx.snapshot.tgw_attachment(tgw, a));
    let is_association = found.is_some_and(|a| a.association.is_none() && a.is_available());
    let entry = match found {
        Some(a) if is_association => a.association_span.or(Some(a.span)),
        _ => cx.span_of(resource),
    };
    // The route that led here: the task's VPC route, else the first route to this attachment.
    let route = route.or_else(|| {
        let target = attachment.map(|a| RouteTarget::TgwAttachment(a.clone()));
        cx.snapshot.tgw_route_tables.values().flat_map(|t| &t.routes).find(|r| Some(&r.target) == target.as_ref()).map(|r| r.span)
    });
    f.label(route.or_else(|| route_table.and_then(|rt| cx.span_of(rt.as_str()))), format!("route to {next}"))
        .label(entry, if is_association { "no `Association` with a route table".to_owned() } else { reason.to_owned() })
        .help(help(cx, tgw, attachment, vpc, reason, route))
}

fn help(
    cx: &Cx<'_>,
    tgw: &TransitGatewayId,
    attachment: Option<&TransitGatewayAttachmentId>,
    vpc: Option<&VpcId>,
    reason: &str,
    route: Option<Span>,
) -> String {
    let s = cx.snapshot;
    let create = || {
        let vpc_arg = vpc.map_or("<vpc-…>".to_owned(), ToString::to_string);
        // TGW-2: one subnet per AZ.
        let mut per_az: Vec<(&str, &SubnetId)> = Vec::new();
        for subnet in s.subnets.values().filter(|sub| Some(&sub.vpc_id) == vpc) {
            if let Some(az) = subnet.availability_zone.as_deref() {
                if !per_az.iter().any(|(a, _)| *a == az) {
                    per_az.push((az, &subnet.id));
                }
            }
        }
        let subnets = if per_az.is_empty() {
            "<one subnet per AZ>".to_owned()
        } else {
            per_az.iter().map(|(_, id)| id.to_string()).collect::<Vec<_>>().join(" ")
        };
        format!("`aws ec2 create-transit-gateway-vpc-attachment --transit-gateway-id {tgw} --vpc-id {vpc_arg} --subnet-ids {subnets}`")
    };
    let Some(id) = attachment else {
        return format!("attach the VPC to the transit gateway: {}", create());
    };
    let found = s.tgw_attachment(tgw, id);
    // The state from the snapshot, else from the engine's reason text.
    let state = found.map_or(reason, |a| a.state.as_str()).to_ascii_lowercase();
    let is_unassociated = match found {
        Some(a) => a.is_available() && a.association.is_none(),
        None => state.contains("associat"),
    };
    if is_unassociated {
        let mut tables: Vec<String> = s.tgw_route_tables.values().filter(|t| &t.tgw == tgw).map(|t| t.id.to_string()).collect();
        // Of several tables, those that route the destination of the VPC route that led here
        // (TGW-5): associating one that does not would only move the failure.
        let wanted = route.and_then(|span| s.route_with_span(span)).and_then(|r| match r.destination {
            RouteDestination::Ipv4(net) => Some(net),
            _ => None,
        });
        if let (Some(net), true) = (wanted, tables.len() > 1) {
            let routing: Vec<String> = s
                .tgw_route_tables
                .values()
                .filter(|t| &t.tgw == tgw)
                .filter(|t| {
                    t.routes.iter().any(|r| {
                        !r.is_blackhole
                            && matches!(r.destination, RouteDestination::Ipv4(d) if d.contains(&net))
                            && attachment.is_none_or(|a| r.target != RouteTarget::TgwAttachment(a.clone()))
                    })
                })
                .map(|t| t.id.to_string())
                .collect();
            if !routing.is_empty() {
                tables = routing;
            }
        }
        let table = match tables.as_slice() {
            [only] => only.clone(),
            [] => "<tgw-rtb-…>".to_owned(),
            several => format!("<one of {}>", several.join(", ")),
        };
        return format!(
            "associate the attachment with a route table: `aws ec2 associate-transit-gateway-route-table --transit-gateway-route-table-id {table} --transit-gateway-attachment-id {id}`"
        );
    }
    if state.contains("pendingacceptance") {
        format!(
            "the transit gateway owner accepts it: `aws ec2 accept-transit-gateway-vpc-attachment --transit-gateway-attachment-id {id}`"
        )
    } else if ["pending", "modifying", "initiating"].iter().any(|p| state.contains(p)) {
        format!("wait until {id} is available (`aws ec2 describe-transit-gateway-attachments --transit-gateway-attachment-ids {id}`)")
    } else {
        format!("{id} will not become available: create a new attachment ({}) and delete this one", create())
    }
}
