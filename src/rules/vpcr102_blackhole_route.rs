//! VPCR102 blackhole-route: the best route for the service is a blackhole.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The longest-prefix match for the service's addresses is a route in state `blackhole`: its
    /// target (a NAT gateway, ENI, peering connection, egress-only IGW) was deleted or is not
    /// usable. The same for the replies, in the gateway route table of the internet gateway the
    /// traffic leaves by (edge association, RT-9) for the task's or the NAT gateway's subnet.
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

pub(crate) fn finding(cx: &Cx<'_>, route_table: &RouteTableId, route: Span, destination: &str, target: &str, is_reply: bool) -> Finding {
    let known = cx.span_of(target).is_some();
    // A target missing from a list that was captured was deleted; from one that was not,
    // only the route's state is known.
    let key = match target.split('-').next() {
        Some("nat") => Some("NatGateways"),
        Some("igw") => Some("InternetGateways"),
        Some("eigw") => Some("EgressOnlyInternetGateways"),
        Some("vpce") => Some("VpcEndpoints"),
        Some("pcx") => Some("VpcPeeringConnections"),
        Some("tgw") => Some("TransitGateways"),
        Some("eni") => Some("NetworkInterfaces"),
        _ => None,
    };
    let why = match key {
        _ if known => "target unusable",
        Some(key) if cx.snapshot.is_captured_anywhere(key) => "target no longer exists",
        _ => "target not in the snapshot",
    };
    let flag = super::route_fix::target_flag(target);
    // A live NAT gateway or internet gateway of the table's VPC when there is one; else, for a
    // NAT gateway, how to make one (NAT-1).
    let vpc = cx.snapshot.route_tables.get(route_table.as_str()).map(|t| t.vpc_id.clone());
    let (placeholder, create) = match (target.split('-').next(), &vpc) {
        (Some("nat"), Some(vpc)) => super::route_fix::nat_next_hop_for(cx, vpc, Some(route_table)),
        (Some("igw"), Some(vpc)) => match cx.snapshot.internet_gateways.values().find(|g| g.attached_vpcs.contains(vpc)) {
            Some(igw) => (igw.id.to_string(), None),
            None => ("<igw-…>".to_owned(), Some(format!("`aws ec2 create-internet-gateway`, then `aws ec2 attach-internet-gateway --vpc-id {vpc} --internet-gateway-id <igw-…>`"))),
        },
        _ if flag == "--gateway-id" => ("<live target>".to_owned(), None),
        _ => (format!("<live {}-…>", target.split('-').next().unwrap_or("target")), None),
    };
    let first = create.map(|c| format!("first {c}; then ")).unwrap_or_default();
    let destination_args = super::route_fix::route_at(cx, Some(route))
        .map_or_else(|| format!("--destination-cidr-block {destination}"), |r| super::route_fix::destination_args(&r.destination));
    // A gateway route table's (RT-9) drops the replies coming in from the service.
    let traffic = if is_reply { format!("the replies from {}", cx.hostname()) } else { cx.hostname().to_string() };
    Finding::new(&RULE, format!("best route for {traffic} in {route_table} is a blackhole ({destination} → {target}, {why})"))
        .id(route_table)
        .id(target)
        .label(Some(route), "state blackhole: traffic dropped, no fallback")
        .help(if destination == "0.0.0.0/0" {
            format!("{first}point the route at a live target: `aws ec2 replace-route --route-table-id {route_table} {destination_args} {flag} {placeholder}`")
        } else {
            format!(
                "{first}point the route at a live target: `aws ec2 replace-route --route-table-id {route_table} {destination_args} {flag} {placeholder}`, or delete the route (`aws ec2 delete-route --route-table-id {route_table} {destination_args}`) so a less specific one applies"
            )
        })
}
