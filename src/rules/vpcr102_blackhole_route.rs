//! VPCR102 blackhole-route: the best route for the service is a blackhole.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The longest-prefix match for the service's addresses is a route in state `blackhole`: its
    /// target (a NAT gateway, ENI, peering connection, egress-only IGW) was deleted or is not
    /// usable.
    ///
    /// ## Why it matters
    /// A blackholed best match drops the traffic; VPC routing does not fall back to a shorter route
    /// (RT-6, TGW-9).
    ///
    /// ## Example
    /// ```json
    /// { "DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-0deleted", "State": "blackhole" }
    /// ```
    ///
    /// ## How to fix
    /// Point the route at a live target: `aws ec2 replace-route --route-table-id <rtb>
    /// --destination-cidr-block <cidr> --nat-gateway-id <nat-…>`, or delete it.
    code: "VPCR102", name: "blackhole-route", severity: Error, summary: "the best route for the service is a blackhole",
}

pub(crate) fn finding(cx: &Cx<'_>, route_table: &RouteTableId, route: Span, destination: &str, target: &str) -> Finding {
    Finding::new(&RULE, format!("best route for {} in {route_table} is a blackhole ({destination} → {target}, target missing)", cx.hostname()))
        .id(route_table)
        .id(target)
        .label(Some(route), "state blackhole: traffic dropped, no fallback")
        .help(format!("`aws ec2 replace-route --route-table-id {route_table} --destination-cidr-block {destination} --nat-gateway-id <live nat-…>` (or another live target), or delete the route"))
}
