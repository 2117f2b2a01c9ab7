//! VPCR413 local-route-shadows-destination: the destination in another VPC is inside the task
//! VPC's own CIDR, so the local route keeps the packet at home.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The service's address (an interface endpoint's ENI in a hub, for instance) belongs to
    /// another VPC, but lies inside the task VPC's own CIDR: the table's `local` route matches
    /// it (RT-5, the longest prefix, over `0.0.0.0/0` to the transit gateway), and `local`
    /// cannot send it anywhere else (RT-3).
    ///
    /// ## Why it matters
    /// The packet never leaves the task's VPC, where the endpoint is not: the two VPCs' CIDRs
    /// overlap (a spoke built from the hub's template), which no route can fix.
    ///
    /// ## Example
    /// A spoke and a hub both on `10.0.0.0/16`, the spoke's tasks resolving the service to the
    /// hub endpoint's `10.0.10.10`.
    ///
    /// ## How to fix
    /// Re-address one of the VPCs so that their CIDRs do not overlap, or create the interface
    /// endpoint in the task VPC itself.
    code: "VPCR413", name: "local-route-shadows-destination", severity: Error, summary: "the destination in another VPC lies inside the task VPC's own CIDR",
}

pub(crate) fn finding(
    cx: &Cx<'_>,
    route_table: &RouteTableId,
    route: Span,
    destination: &str,
    own_vpc: &VpcId,
    other_vpc: &VpcId,
) -> Finding {
    let cidr = |vpc: &VpcId| cx.snapshot.vpcs.get(vpc).and_then(|v| v.primary_cidr).map_or_else(String::new, |c| format!(" ({c})"));
    Finding::new(
        &RULE,
        format!(
            "{destination} is an address of {other_vpc}{}, inside {own_vpc}{}: the local route of {route_table} keeps the packet in {own_vpc}",
            cidr(other_vpc),
            cidr(own_vpc)
        ),
    )
    .id(route_table)
    .id(own_vpc)
    .id(other_vpc)
    .label(Some(route), "local: the packet stays in this VPC")
    .help(format!(
        "the CIDRs of {own_vpc} and {other_vpc} overlap, which no route can fix: re-address one of them, or create the endpoint in {own_vpc}"
    ))
}
