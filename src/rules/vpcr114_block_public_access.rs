//! VPCR114 block-public-access: the region's VPC Block Public Access setting drops the internet gateway traffic.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The path leaves through an internet gateway (a task with a public IP, or a NAT gateway's
    /// traffic), and the region's VPC Block Public Access setting blocks it: mode
    /// `block-bidirectional` blocks every IGW path, `block-ingress` blocks the public-IP path but
    /// not NAT gateways; an exclusion for the subnet or VPC lifts it: `allow-bidirectional`, or
    /// in `block-bidirectional` mode also `allow-egress`, which AWS ignores under
    /// `block-ingress` (IGW-8, BPA_BLOCKS_IGW).
    ///
    /// ## Why it matters
    /// The route tables look right and the IGW is attached, but the traffic is dropped by an
    /// account-level control that is easy to forget when debugging a subnet.
    ///
    /// ## Example
    /// ```json
    /// { "VpcBlockPublicAccessOptions": { "InternetGatewayBlockMode": "block-bidirectional", "State": "update-complete" } }
    /// ```
    ///
    /// ## How to fix
    /// Add an exclusion for the subnet or VPC (`aws ec2 create-vpc-block-public-access-exclusion
    /// --subnet-id <subnet> --internet-gateway-exclusion-mode allow-egress`; under
    /// `block-ingress`, `allow-bidirectional`), or use a path without the IGW (interface and
    /// gateway endpoints).
    code: "VPCR114", name: "block-public-access", severity: Error, summary: "the region's VPC Block Public Access setting drops the internet gateway traffic",
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn finding(
    _cx: &Cx<'_>,
    mode: &str,
    options: Span,
    vpc: &VpcId,
    subnet: &SubnetId,
    igw: &InternetGatewayId,
    route_table: &RouteTableId,
    route: Span,
) -> Finding {
    Finding::new(&RULE, format!("VPC Block Public Access ({mode}) drops the traffic of {subnet} through internet gateway {igw}"))
        .id(subnet)
        .id(igw)
        .id(vpc)
        .label(Some(options), format!("InternetGatewayBlockMode {mode}"))
        .label(Some(route), format!("route to {igw}"))
        .help(format!(
            "`aws ec2 create-vpc-block-public-access-exclusion --subnet-id {subnet} --internet-gateway-exclusion-mode {exclusion}` (or `--vpc-id {vpc}`{why}), or reach the services through endpoints; route table {route_table} itself is fine",
            // IGW-8: `allow-egress` does nothing under `block-ingress`.
            exclusion = if mode == "block-ingress" { "allow-bidirectional" } else { "allow-egress" },
            why = if mode == "block-ingress" { "; `allow-egress` applies only in block-bidirectional mode" } else { "" },
        ))
}
