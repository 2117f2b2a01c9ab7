//! VPCR407 tgw-no-return-route: the transit gateway route table of the destination side has no route back to the task VPC.

use super::declare::declare_rule;
use super::vpcr406_tgw_no_route_or_blackhole::tgw_route_finding;
use super::{Cx, Finding};
use crate::reachability::Fact;

declare_rule! {
    /// ## What it checks
    /// The request crossed the transit gateway, but the reply cannot: it is looked up in the
    /// transit gateway route table associated with the *destination-side* attachment (the egress
    /// or shared-services VPC), and that table has no route (or a blackhole) for the task VPC's
    /// CIDR (TGW-5, TGW-9, NAT-9, TGW_NO_RETURN_ROUTE).
    ///
    /// ## Why it matters
    /// With separate spoke and hub tables, the hub table typically holds only `0.0.0.0/0` or the
    /// hub's own routes: the request arrives, the reply is dropped, and the task sees a timeout.
    ///
    /// ## Example
    /// ```json
    /// { "TransitGatewayRouteTableId": "tgw-rtb-egress", "Routes": [ { "DestinationCidrBlock": "10.100.0.0/16", "Type": "propagated" } ] }
    /// ```
    ///
    /// ## How to fix
    /// Propagate the spoke attachment into the hub's table: `aws ec2
    /// enable-transit-gateway-route-table-propagation --transit-gateway-route-table-id <hub tgw-rtb>
    /// --transit-gateway-attachment-id <spoke tgw-attach>`, or add a static route: `aws ec2
    /// create-transit-gateway-route --transit-gateway-route-table-id <hub tgw-rtb>
    /// --destination-cidr-block <spoke CIDR> --transit-gateway-attachment-id <spoke tgw-attach>`.
    code: "VPCR407", name: "tgw-no-return-route", severity: Error, summary: "the transit gateway route table of the destination side has no route back to the task VPC",
}

pub(crate) fn finding(cx: &Cx<'_>, fact: &Fact) -> Finding {
    tgw_route_finding(&RULE, cx, fact)
}
