//! VPCR408 tgw-destination-subnet-route-missing: a subnet behind the transit gateway has no route onward or back.

use super::declare::declare_rule;
use super::route_fix::{cidr_of, return_cidr_of, tgw_named, vpc_holding, vpc_route_command};
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// In the VPC behind the transit gateway (an egress or shared-services VPC), one of the VPC
    /// route tables the path needs lacks its route (TGW_DEST_SUBNET_ROUTE_MISSING):
    ///
    /// - the table of the attachment subnets, which routes everything that enters the VPC from
    ///   the transit gateway (TGW-3), has no next hop for the destination, e.g. no `0.0.0.0/0 →
    ///   nat-…` for centralized egress;
    /// - the NAT gateway's subnet has no route for the spoke CIDRs back to the transit gateway
    ///   (NAT-9);
    /// - the interface endpoint's subnet has no route for the spoke CIDRs back to the transit
    ///   gateway.
    ///
    /// ## Why it matters
    /// The transit gateway delivers the request, but the VPC drops it, or the reply finds no
    /// way back to the spoke: the task sees a timeout.
    ///
    /// ## Example
    /// ```json
    /// { "RouteTableId": "rtb-egress-nat-subnet", "Routes": [ { "DestinationCidrBlock": "10.100.0.0/16", "GatewayId": "local" }, { "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-…" } ] }
    /// ```
    ///
    /// ## How to fix
    /// - Attachment subnets: `aws ec2 create-route --route-table-id <attachment subnet rtb>
    ///   --destination-cidr-block 0.0.0.0/0 --nat-gateway-id <nat-…>`.
    /// - NAT or endpoint subnet: `aws ec2 create-route --route-table-id <rtb>
    ///   --destination-cidr-block <spoke CIDR> --transit-gateway-id <tgw>`.
    code: "VPCR408", name: "tgw-destination-subnet-route-missing", severity: Error, summary: "a subnet behind the transit gateway has no route onward or back",
}

/// Traffic entering `vpc` from the transit gateway finds no route in the attachment subnets' table.
pub(crate) fn finding(
    cx: &Cx<'_>,
    route_table: &RouteTableId,
    vpc: &VpcId,
    destination: &str,
    attachment: &TransitGatewayAttachmentId,
) -> Finding {
    let cidr = cidr_of(cx, destination);
    let tgw = tgw_named(cx, attachment.as_str());
    // A destination in another VPC goes back through the transit gateway (an inspection hop);
    // anything else is egress, through a NAT gateway of this VPC (TGW-EGRESS).
    let help = match (&tgw, vpc_holding(cx, &cidr)) {
        (Some(tgw), Some(other)) if &other.id != vpc => {
            format!("route {cidr} on through the transit gateway: {}", vpc_route_command(cx, route_table, &cidr, tgw.as_str()))
        }
        _ => {
            let (nat, create) = super::route_fix::nat_next_hop_for(cx, vpc, Some(route_table));
            let command = vpc_route_command(cx, route_table, &cidr, &nat);
            match create {
                Some(create) => format!(
                    "create a NAT gateway in a public subnet of {vpc} ({create}), then route the attachment subnets through it: {command}"
                ),
                None => format!("route the attachment subnets through the NAT gateway: {command}"),
            }
        }
    };
    Finding::new(
        &RULE,
        format!("traffic from transit gateway attachment {attachment} enters {vpc} through route table {route_table}, which has no route for {destination}"),
    )
    .id(route_table)
    .id(attachment)
    .id(vpc)
    .label(cx.span_of(route_table.as_str()), format!("attachment subnets' table: no route for {destination}"))
    .label(cx.span_of(attachment.as_str()), format!("enters {vpc} here"))
    .help(help)
}

/// The NAT gateway's or endpoint's subnet has no route back to the spoke through the transit gateway.
pub(crate) fn return_finding(
    cx: &Cx<'_>,
    route_table: &RouteTableId,
    vpc: &VpcId,
    destination: &str,
    via: &str,
    route: Option<Span>,
) -> Finding {
    let cidr = return_cidr_of(cx, cx.snapshot.route_tables.get(route_table).map_or(&[][..], |t| &t.routes[..]), destination);
    let tgw = tgw_named(cx, via).map_or_else(|| via.to_owned(), |t| t.to_string());
    let label = if route.is_some() {
        format!("best match for {destination}, not through {tgw}")
    } else {
        format!("no route for {destination} through {tgw}")
    };
    Finding::new(&RULE, format!("route table {route_table} in {vpc} has no route back to {destination} through transit gateway {tgw}"))
        .id(route_table)
        .id(&tgw)
        .id(vpc)
        .label(route.or_else(|| cx.span_of(route_table.as_str())), label)
        .label(cx.span_of(&tgw), "the request arrived through this transit gateway")
        .help(format!("add the return route: {}", vpc_route_command(cx, route_table, &cidr, &tgw)))
}
