//! VPCR412 peering-cidr-overlap: the peered VPCs have overlapping CIDR blocks.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// A route sends the service's traffic over a peering connection between two VPCs with
    /// matching or overlapping IPv4 CIDR blocks; one overlapping secondary block is enough
    /// (PCX-4).
    ///
    /// ## Why it matters
    /// AWS refuses to create such a peering connection. A snapshot that has one is a design that
    /// cannot be built (or an export that mixes two environments); even if it existed, the local
    /// route of each VPC would win for the overlapping range (RT-5), so the peer's addresses
    /// there would be unreachable.
    ///
    /// ## Example
    /// ```json
    /// { "VpcId": "vpc-spoke", "CidrBlock": "10.0.0.0/16" }   // peered with a hub that is also 10.0.0.0/16
    /// ```
    ///
    /// ## How to fix
    /// Re-address one of the VPCs (a new, non-overlapping VPC CIDR and subnets) before peering;
    /// or, when the address ranges cannot change, connect them through a transit gateway with
    /// private NAT, or expose the service with PrivateLink (an endpoint service) instead.
    code: "VPCR412", name: "peering-cidr-overlap", severity: Error, summary: "the peered VPCs have overlapping CIDR blocks",
}

pub(crate) fn finding(cx: &Cx<'_>, pcx: &PeeringConnectionId, vpcs: &(VpcId, VpcId), overlap: &(String, String)) -> Finding {
    let (ours, theirs) = vpcs;
    let (a, b) = overlap;
    Finding::new(&RULE, format!("peering connection {pcx} joins {ours} ({a}) and {theirs} ({b}), whose CIDRs overlap"))
        .id(pcx)
        .id(ours)
        .id(theirs)
        .label(cx.span_of(pcx.as_str()), "AWS cannot create this peering (PCX-4)")
        .label(cx.span_of(ours.as_str()), a.clone())
        .label(cx.span_of(theirs.as_str()), format!("{b}, overlaps {a}"))
        .help(format!(
            "re-address {theirs} or {ours} so that {a} and {b} no longer overlap; if neither can change, reach the service through PrivateLink or a transit gateway with private NAT instead"
        ))
}
