//! VPCR406 tgw-no-route-or-blackhole: the transit gateway route table has no route for the destination, or a blackhole.

use super::declare::declare_rule;
use super::route_fix::{attachment_towards, cidr_of, nat_in_vpc, return_cidr_of, route_at, tgw_route_command, vpc_holding};
use super::{Cx, Finding, RuleInfo};
use crate::model::*;
use crate::reachability::Fact;

declare_rule! {
    /// ## What it checks
    /// The packet arrives at the transit gateway from the task VPC's attachment, and the transit
    /// gateway route table associated with that attachment (TGW-5) has no route for the
    /// destination, or its best route is a blackhole: a static blackhole route, or a route whose
    /// attachment is gone (TGW-8, TGW-9, TGW_NO_ROUTE_OR_BLACKHOLE).
    ///
    /// ## Why it matters
    /// The transit gateway drops the packet. A common cause is a propagation that never
    /// happened: a VPC attachment propagates only its VPC CIDRs, not a default route, and a VPC
    /// whose CIDR overlaps an already attached VPC is not propagated at all (TGW-7). Centralized
    /// egress therefore always needs a static `0.0.0.0/0` route to the egress VPC's attachment.
    ///
    /// ## Example
    /// ```json
    /// { "TransitGatewayRouteTableId": "tgw-rtb-spokes", "Routes": [ { "DestinationCidrBlock": "0.0.0.0/0", "Type": "static", "State": "blackhole" } ] }
    /// ```
    ///
    /// ## How to fix
    /// Add a static route: `aws ec2 create-transit-gateway-route --transit-gateway-route-table-id
    /// <tgw-rtb> --destination-cidr-block <cidr> --transit-gateway-attachment-id <tgw-attach>`
    /// (`replace-transit-gateway-route` for a blackhole), or, for a VPC's own CIDR, propagate the
    /// attachment into the table: `aws ec2 enable-transit-gateway-route-table-propagation
    /// --transit-gateway-route-table-id <tgw-rtb> --transit-gateway-attachment-id <tgw-attach>`.
    code: "VPCR406", name: "tgw-no-route-or-blackhole", severity: Error, summary: "the transit gateway route table has no route for the destination, or a blackhole",
}

pub(crate) fn finding(cx: &Cx<'_>, fact: &Fact) -> Finding {
    tgw_route_finding(&RULE, cx, fact)
}

/// Shared by VPCR406 and VPCR407: the wording differs only in the direction.
pub(super) fn tgw_route_finding(info: &RuleInfo, cx: &Cx<'_>, fact: &Fact) -> Finding {
    let Fact::TgwNoRoute { table, destination, from, route, is_blackhole, is_return } = fact else {
        return Finding::new(info, "transit gateway route table decision");
    };
    let (route, is_blackhole, is_return) = (*route, *is_blackhole, *is_return);
    let message = match (is_return, is_blackhole) {
        (false, false) => format!("transit gateway route table {table} has no route for {destination} from attachment {from}"),
        (false, true) => format!("transit gateway route table {table} drops {destination} from attachment {from} with a blackhole route"),
        (true, false) => {
            format!("transit gateway route table {table}, associated with destination-side attachment {from}, has no route back to {destination}")
        }
        (true, true) => format!(
            "transit gateway route table {table}, associated with destination-side attachment {from}, has only a blackhole route back to {destination}"
        ),
    };
    let cidr = route_at(cx, route).filter(|r| is_blackhole && matches!(r.destination, RouteDestination::Ipv4(_))).map_or_else(
        || {
            if is_return {
                return_cidr_of(cx, cx.snapshot.tgw_route_tables.get(table).map_or(&[][..], |t| &t.routes[..]), destination)
            } else {
                cidr_of(cx, destination)
            }
        },
        |r| r.destination.to_string(),
    );
    let target = target_attachment(cx, table, from, &cidr, is_return);
    let attachment = target.as_ref().map_or(format!("<tgw-attach-… toward {destination}>"), ToString::to_string);
    let command = tgw_route_command(cx, table, &cidr, &attachment);
    let help = if is_blackhole {
        format!("send {cidr} to a live attachment instead of the blackhole: {command}")
    } else if target.as_ref().is_some_and(|a| propagates(cx, table, a, &cidr)) {
        format!(
            "add a static route: {command}, or propagate the attachment's VPC CIDRs into the table: `aws ec2 enable-transit-gateway-route-table-propagation --transit-gateway-route-table-id {table} --transit-gateway-attachment-id {attachment}`"
        )
    } else {
        format!("add a static route: {command}")
    };
    let what = if is_blackhole { "blackhole route: traffic dropped".to_owned() } else { format!("no route for {destination}") };
    let mut f = Finding::new(info, message).id(table).id(from);
    if let Some(a) = &target {
        f = f.id(a);
    }
    f.label(route.or_else(|| cx.span_of(table.as_str())), what)
        .label(cx.span_of(from.as_str()), format!("associated with {table}: packets arriving from it are routed by it"))
        .help(help)
}

/// The attachment the route should send `cidr` to: the VPC attachment of the VPC holding it,
/// the source VPC's for a reply, else (public addresses) the one VPC attachment with a NAT
/// gateway behind it (centralized egress) or the only other VPC attachment.
fn target_attachment(
    cx: &Cx<'_>,
    table: &TransitGatewayRouteTableId,
    from: &TransitGatewayAttachmentId,
    cidr: &str,
    is_return: bool,
) -> Option<TransitGatewayAttachmentId> {
    let s = cx.snapshot;
    let tgw = s
        .tgw_route_tables
        .get(table)
        .map(|t| t.tgw.clone())
        .or_else(|| s.tgw_attachments.values().find(|a| &a.id == from).map(|a| a.tgw.clone()))?;
    if let Some(a) = attachment_towards(cx, &tgw, cidr) {
        return Some(a);
    }
    if is_return {
        let vpc = cx.pair.and_then(|p| p.vpc_id.as_ref())?;
        return s.tgw_attachment_of_vpc(&tgw, vpc).map(|a| a.id.clone());
    }
    let others: Vec<&TgwAttachment> =
        s.tgw_attachments.values().filter(|a| a.tgw == tgw && &a.id != from && a.vpc_id().is_some()).collect();
    let with_nat: Vec<&&TgwAttachment> = others.iter().filter(|a| a.vpc_id().is_some_and(|v| nat_in_vpc(cx, &v).is_some())).collect();
    match (with_nat.as_slice(), others.as_slice()) {
        ([one], _) => Some(one.id.clone()),
        (_, [one]) => Some(one.id.clone()),
        _ => None,
    }
}

/// Whether propagation would give `table` a route for `cidr`: the attachment is a VPC
/// attachment and `cidr` lies in that VPC (TGW-7 propagates VPC CIDRs only).
fn propagates(cx: &Cx<'_>, table: &TransitGatewayRouteTableId, attachment: &TransitGatewayAttachmentId, cidr: &str) -> bool {
    let Some(tgw) = cx.snapshot.tgw_route_tables.get(table).map(|t| &t.tgw) else { return false };
    let vpc = cx.snapshot.tgw_attachment(tgw, attachment).and_then(TgwAttachment::vpc_id);
    vpc.is_some() && vpc_holding(cx, cidr).map(|v| &v.id) == vpc.as_ref()
}
