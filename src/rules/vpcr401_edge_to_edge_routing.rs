//! VPCR401 edge-to-edge-routing: traffic that entered a VPC through a peering connection or a transit gateway is routed to a gateway it cannot use there.

use super::declare::declare_rule;
use super::route_fix::{cidr_of, route_at, task_vpc, vpc_route_command};
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The path enters another VPC (a hub) through a peering connection or a transit gateway
    /// attachment, and that VPC's route table then sends it on to a gateway that only serves
    /// traffic originating in that VPC:
    ///
    /// - after a peering connection: the peer's internet gateway, NAT gateway, VPN or Direct
    ///   Connect gateway, transit gateway, another peering connection or gateway endpoint (PCX-5,
    ///   PCX-1: no edge-to-edge routing, no transit);
    /// - after a transit gateway: an internet gateway directly. The IGW translates only the
    ///   addresses of its own VPC's ENIs that have a public IP (IGW-1, IGW-3); a spoke's private
    ///   address is not one of them;
    /// - after either: a gateway endpoint, which serves only its own VPC (EP-14).
    ///
    /// ## Why it matters
    /// The packet is dropped at the hub. The classic case is `0.0.0.0/0 → pcx-…` to use a NAT
    /// gateway in the peer VPC (PEERING_EDGE_TO_EDGE): peering cannot do centralized egress. A
    /// transit gateway can, but only through a NAT gateway in the egress VPC (TGW-3, NAT-9).
    ///
    /// ## Example
    /// ```json
    /// { "RouteTableId": "rtb-spoke", "Routes": [ { "DestinationCidrBlock": "0.0.0.0/0", "VpcPeeringConnectionId": "pcx-…" } ] }
    /// ```
    ///
    /// ## How to fix
    /// - Peering: give the task VPC its own way out (interface endpoints, an S3 gateway endpoint,
    ///   or a NAT gateway in a public subnet of the task VPC), or replace the peering by a transit
    ///   gateway with a NAT gateway in the egress VPC.
    /// - Transit gateway to IGW: route the attachment subnets' `0.0.0.0/0` to a NAT gateway in the
    ///   egress VPC: `aws ec2 replace-route --route-table-id <attachment subnet rtb>
    ///   --destination-cidr-block 0.0.0.0/0 --nat-gateway-id <nat-…>`.
    /// - Gateway endpoint: add a gateway endpoint in the task VPC: `aws ec2 create-vpc-endpoint
    ///   --vpc-id <task vpc> --vpc-endpoint-type Gateway --service-name com.amazonaws.<region>.s3
    ///   --route-table-ids <task rtb>`.
    code: "VPCR401", name: "edge-to-edge-routing", severity: Error, summary: "traffic that entered a VPC through a peering connection or a transit gateway is routed to a gateway it cannot use there",
}

pub(crate) fn finding(
    cx: &Cx<'_>,
    entered_by: &str,
    vpc: &VpcId,
    target: &str,
    target_kind: &str,
    route_table: Option<&RouteTableId>,
    route: Option<Span>,
) -> Finding {
    let by_peering = entered_by.starts_with("pcx-");
    let is_gateway_endpoint = is_gateway_endpoint(cx, target, target_kind);
    let through = if by_peering {
        "peering connection"
    } else if entered_by.starts_with("tgw-attach-") {
        "transit gateway attachment"
    } else {
        "transit gateway"
    };
    let why = if is_gateway_endpoint {
        "gateway endpoints serve only their own VPC (EP-14)".to_owned()
    } else if by_peering {
        "VPC peering does not support edge-to-edge routing (PCX-5)".to_owned()
    } else if target.starts_with("igw-") {
        format!(
            "an internet gateway only translates addresses of {vpc} that have a public IP, so centralized egress needs a NAT gateway in {vpc}"
        )
    } else {
        format!("{target_kind} {target} serves only traffic that originates in {vpc}")
    };
    // The blocker: the gateway endpoint that refuses foreign traffic, the peering that carries
    // no transit, or (transit gateway to IGW) the route that should point at a NAT gateway.
    let blocker = if is_gateway_endpoint {
        target
    } else if by_peering {
        entered_by
    } else {
        route_table.map_or(target, RouteTableId::as_str)
    };
    // After a peering connection the engine names what the packet was after ("public
    // addresses of S3"), not a gateway.
    let is_target_id = cx.span_of(target).is_some() || !target.contains(' ');
    let what = if is_target_id { format!("{target_kind} {target} there") } else { format!("{target_kind} there to reach {target}") };
    let mut f =
        Finding::new(&RULE, format!("traffic entered {vpc} through {through} {entered_by} and cannot use {what}: {why}")).id(blocker);
    if let Some(rt) = route_table {
        f = f.id(rt);
    }
    if is_target_id {
        f = f.id(target);
    }
    let hop = route.or_else(|| route_table.and_then(|rt| cx.span_of(rt.as_str())));
    let next = if by_peering { entered_by } else { target };
    let f = f
        .id(entered_by)
        .id(vpc)
        .label(hop.or_else(|| cx.span_of(target)), format!("route to {next}"))
        .label(cx.span_of(entered_by), format!("traffic entered {vpc} here"));
    let f = if hop.is_some() { f.label(cx.span_of(target), format!("{target_kind} of {vpc}")) } else { f };
    f.help(help(cx, entered_by, vpc, target, is_gateway_endpoint, route_table, route))
}

/// An S3 or DynamoDB gateway endpoint, not a Gateway Load Balancer endpoint (also `vpce-…`).
fn is_gateway_endpoint(cx: &Cx<'_>, target: &str, target_kind: &str) -> bool {
    match cx.snapshot.vpc_endpoints.get(target) {
        Some(endpoint) => endpoint.endpoint_type == EndpointType::Gateway,
        None => target.starts_with("vpce-") && target_kind.contains("gateway endpoint"),
    }
}

fn help(
    cx: &Cx<'_>,
    entered_by: &str,
    vpc: &VpcId,
    target: &str,
    is_gateway_endpoint: bool,
    route_table: Option<&RouteTableId>,
    route: Option<Span>,
) -> String {
    let task_vpc = task_vpc(cx);
    let task_rtb = cx
        .pair
        .and_then(|p| cx.snapshot.effective_route_table(&p.subnet_id))
        .map_or("<task rtb-…>".to_owned(), |(t, _)| t.id.to_string());
    if is_gateway_endpoint {
        let service = cx.snapshot.vpc_endpoints.get(target).map_or_else(|| cx.endpoint_service_name(), |e| e.service_name.clone());
        return format!(
            "add a gateway endpoint in the task VPC: `aws ec2 create-vpc-endpoint --vpc-id {task_vpc} --vpc-endpoint-type Gateway --service-name {service} --route-table-ids {task_rtb}` (free)"
        );
    }
    if entered_by.starts_with("pcx-") {
        let service = cx.endpoint_service_name();
        let endpoint = if service.ends_with(".s3") || service.ends_with(".dynamodb") {
            format!("a gateway endpoint (`aws ec2 create-vpc-endpoint --vpc-id {task_vpc} --vpc-endpoint-type Gateway --service-name {service} --route-table-ids {task_rtb}`)")
        } else {
            let (subnets, group) = super::route_fix::endpoint_placement(cx, &task_vpc);
            format!("an interface endpoint (`aws ec2 create-vpc-endpoint --vpc-id {task_vpc} --vpc-endpoint-type Interface --service-name {service} --subnet-ids {subnets} --security-group-ids {group} --private-dns-enabled`)")
        };
        return format!(
            "give {task_vpc} its own way out instead of {entered_by}: {endpoint}, or a NAT gateway in a public subnet of {task_vpc}; or connect the VPCs through a transit gateway with a NAT gateway in {vpc}"
        );
    }
    let Some(rt) = route_table else {
        return format!("route the {vpc} attachment subnets' 0.0.0.0/0 to a NAT gateway in {vpc} instead of {target}");
    };
    let cidr = route_at(cx, route).map_or_else(|| "0.0.0.0/0".to_owned(), |r| cidr_of(cx, &r.destination.to_string()));
    if target.starts_with("igw-") {
        let (nat, create) = super::route_fix::nat_next_hop_for(cx, vpc, Some(rt));
        let command = vpc_route_command(cx, rt, &cidr, &nat);
        return match create {
            Some(create) => format!(
                "create a NAT gateway in a public subnet of {vpc} ({create}), then route the attachment subnets through it: {command}"
            ),
            None => format!("route the attachment subnets through the NAT gateway: {command}"),
        };
    }
    format!("route {cidr} in {rt} to a next hop of {vpc} itself (a NAT gateway for egress), not to {target}")
}
