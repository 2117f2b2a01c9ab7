//! VPCR007 destination-outside-snapshot: the path leads to a network the snapshot does not hold.

use super::declare::declare_rule;
use super::{Cx, Finding};

declare_rule! {
    /// ## What it checks
    /// The path leaves the captured network: a peering connection to a VPC of another account or
    /// region, a transit gateway attachment whose VPC, VPN or peer gateway was not exported, an
    /// address that no captured VPC holds.
    ///
    /// ## Why it matters
    /// What routes, filters or answers beyond that point is not known, so vpcreach gives the
    /// verdict `unknown` instead of guessing either way (PCX-3 and TGW-5 need the far side's route
    /// tables, NACL-4 its NACLs).
    ///
    /// ## Example
    /// ```json
    /// { "VpcPeeringConnectionId": "pcx-…", "AccepterVpcInfo": { "VpcId": "vpc-other", "OwnerId": "444455556666" } }   // no vpc-other in "Vpcs"
    /// ```
    ///
    /// ## How to fix
    /// Capture the account and region that hold the destination too (another entry of `Regions`,
    /// or `aws_configs/accounts/<id>/<region>/` in the Batfish layout) and run again.
    code: "VPCR007", name: "destination-outside-snapshot", severity: Warning, summary: "the path leads to a network the snapshot does not hold",
}

pub(crate) fn finding(cx: &Cx<'_>, destination: &str, reason: &str) -> Finding {
    // The fact names no resource: point at the last hop with a location, where the path left.
    let last_hop = cx.pair.and_then(|p| p.path.iter().rev().find(|h| h.span.is_some()));
    let token = destination.split_whitespace().next().unwrap_or_default();
    let is_id = token.parse::<ipnet::Ipv4Net>().is_ok()
        || token.parse::<std::net::Ipv4Addr>().is_ok()
        || token.split_once('-').is_some_and(|(kind, rest)| kind.chars().all(|c| c.is_ascii_lowercase()) && !rest.is_empty());
    let mut f = Finding::new(&RULE, format!("{destination} is outside the snapshot: {reason}"));
    if is_id {
        f = f.id(token).label(cx.span_of(token), "the destination is not captured");
    }
    if let Some(hop) = last_hop {
        f = f.id(&hop.resource_id).label(hop.span, "the path leaves the snapshot after this hop");
    } else {
        f = f.label(cx.workload_span(), "the path of this workload leaves the snapshot");
    }
    f.help(format!(
        "capture the account and region holding {destination} as well (another entry of `Regions`, or `aws_configs/accounts/<id>/<region>/`) and run again"
    ))
}
