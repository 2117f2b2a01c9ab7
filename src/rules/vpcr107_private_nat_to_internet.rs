//! VPCR107 private-nat-to-internet: a private NAT gateway is routed to an internet gateway.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// A NAT gateway with `ConnectivityType: private` whose subnet routes the service's addresses
    /// to an internet gateway.
    ///
    /// ## Why it matters
    /// A private NAT gateway has no Elastic IP; the internet gateway drops its traffic (NAT-1).
    ///
    /// ## Example
    /// ```json
    /// { "NatGatewayId": "nat-…", "ConnectivityType": "private" }
    /// ```
    ///
    /// ## How to fix
    /// Use a public NAT gateway for internet egress (`aws ec2 create-nat-gateway --connectivity-
    /// type public --allocation-id <eipalloc> --subnet-id <public subnet>`), or interface
    /// endpoints.
    code: "VPCR107", name: "private-nat-to-internet", severity: Error, summary: "a private NAT gateway is routed to an internet gateway",
}

pub(crate) fn finding(cx: &Cx<'_>, nat: &NatGatewayId, route_table: &RouteTableId, route: Span) -> Finding {
    Finding::new(&RULE, format!("private NAT gateway {nat} cannot reach the internet through an internet gateway"))
        .id(nat)
        .id(route_table)
        .label(cx.span_of(nat.as_str()), "ConnectivityType private")
        .label(Some(route), "route to the internet gateway")
        .help("route the tasks to a public NAT gateway (with an Elastic IP) in a public subnet, or use VPC endpoints")
}
