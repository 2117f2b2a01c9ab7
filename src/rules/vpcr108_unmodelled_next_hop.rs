//! VPCR108 unmodelled-next-hop: the path continues through a hop the analyzer does not model.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The best route leads to a next hop whose far side is not in the snapshot or that vpcreach
    /// does not follow: a virtual private gateway, a transit gateway VPN, Direct Connect gateway
    /// or Connect attachment (on-premises networks), an appliance ENI or instance, a Gateway Load
    /// Balancer endpoint, a regional NAT gateway, Cloud WAN, equal-cost transit gateway routes,
    /// or overlapping prefix-list routes with different targets. Transit gateway VPC and peering
    /// attachments and VPC peering connections are followed (VPCR401-VPCR410). Replies count
    /// too: an internet gateway's gateway route table (edge association, RT-9) that sends the
    /// replies for the task's or the NAT gateway's subnet to an appliance ENI or a Gateway Load
    /// Balancer endpoint (ingress inspection).
    ///
    /// ## Why it matters
    /// Saying "reachable" or "unreachable" would be a guess (RT-14). The verdict is `unknown`
    /// with the hop named, so you know exactly where to look.
    ///
    /// ## Example
    /// ```json
    /// { "DestinationCidrBlock": "172.16.0.0/12", "TransitGatewayAttachmentId": "tgw-attach-…", "ResourceType": "vpn" }
    /// ```
    ///
    /// ## How to fix
    /// Check the far side by hand or include it in the snapshot once vpcreach models it; for a
    /// direct answer, give the subnet a local path (interface endpoints, NAT gateway).
    code: "VPCR108", name: "unmodelled-next-hop", severity: Warning, summary: "the path continues through a hop the analyzer does not model",
}

pub(crate) fn finding(cx: &Cx<'_>, route_table: &RouteTableId, route: Span, target_kind: &str, target: &str) -> Finding {
    Finding::new(&RULE, format!("path to {} continues through {target_kind} {target}, which is not modelled", cx.hostname()))
        .id(route_table)
        .id(target)
        .label(Some(route), "analysis stops at this hop")
        .help("the verdict is unknown: verify the far side of this hop, or give the subnet a path inside the VPC")
}
