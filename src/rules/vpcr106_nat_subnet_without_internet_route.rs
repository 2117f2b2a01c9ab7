//! VPCR106 nat-subnet-without-igw-route: the NAT gateway's own subnet does not route the traffic to an internet gateway.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// After the NAT gateway, routing continues in the route table of the NAT's own subnet (NAT-8).
    /// That table has no route for the service's addresses to an attached internet gateway: no
    /// route at all, only `local`, or a route back to a NAT gateway (a loop).
    ///
    /// ## Why it matters
    /// A public NAT gateway only reaches the internet through its subnet's internet gateway route
    /// (NAT-1). The guide's "NAT gateway in a public subnet" is exactly this requirement.
    ///
    /// ## Example
    /// ```json
    /// { "RouteTableId": "rtb-nat-subnet", "Routes": [ { "DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local" } ] }
    /// ```
    ///
    /// ## How to fix
    /// Add the internet route to the NAT subnet's table: `aws ec2 create-route --route-table-id
    /// <nat subnet rtb> --destination-cidr-block 0.0.0.0/0 --gateway-id <igw-…>`, or move the NAT
    /// gateway to a public subnet.
    code: "VPCR106", name: "nat-subnet-without-igw-route", severity: Error, summary: "the NAT gateway's own subnet does not route the traffic to an internet gateway",
}

pub(crate) fn finding(cx: &Cx<'_>, nat: &NatGatewayId, route_table: &RouteTableId, route: Option<Span>, reason: &str) -> Finding {
    // The NAT's VPC (a hub's, for centralized egress), not the task's.
    let igw = cx
        .snapshot
        .route_tables
        .get(route_table.as_str())
        .map(|t| &t.vpc_id)
        .and_then(|vpc| cx.snapshot.internet_gateways.values().find(|g| g.attached_vpcs.contains(vpc)))
        .map_or("<igw-…>".to_owned(), |g| g.id.to_string());
    Finding::new(&RULE, format!("NAT gateway {nat} subnet route table {route_table} {reason}"))
        .id(route_table)
        .id(nat)
        .label(route.or_else(|| cx.span_of(route_table.as_str())), "no route to an internet gateway")
        .label(cx.span_of(nat.as_str()), "NAT gateway forwards by its subnet's table")
        .help(format!("`aws ec2 create-route --route-table-id {route_table} --destination-cidr-block 0.0.0.0/0 --gateway-id {igw}`"))
}
