//! VPCR101 no-route-to-service: no route matches the service's addresses.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The task subnet's effective route table (explicit association, else the main table: RT-1)
    /// has no route whose destination contains the service's addresses, and DNS did not give an
    /// interface endpoint address.
    ///
    /// ## Why it matters
    /// The packet is dropped at the VPC router: the runner reports the endpoint unreachable and ECS
    /// fails to pull images or secrets (`i/o timeout`). This is the isolated-subnet case of the
    /// guide.
    ///
    /// ## Example
    /// ```json
    /// { "RouteTables": [ { "RouteTableId": "rtb-…", "Routes": [ { "DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local" } ] } ] }
    /// ```
    ///
    /// ## How to fix
    /// Give the subnet a path: an interface endpoint for the service (`aws ec2 create-vpc-endpoint
    /// --vpc-endpoint-type Interface --private-dns-enabled …`), an S3/DynamoDB gateway endpoint on
    /// the route table, or `0.0.0.0/0` to a NAT gateway.
    code: "VPCR101", name: "no-route-to-service", severity: Error, summary: "no route matches the service's addresses",
}

pub(crate) fn finding(cx: &Cx<'_>, route_table: &RouteTableId, destination: &str, has_interface_endpoint: bool) -> Finding {
    let service = cx.endpoint_service_name();
    let vpc = cx.pair.and_then(|p| p.vpc_id.as_ref()).map_or("vpc-…".to_owned(), ToString::to_string);
    // NAT-9: a VPC attached to a transit gateway may send it to a central egress VPC instead.
    let or_route = match super::route_fix::tgw_of_vpc(cx, &vpc) {
        Some(tgw) => format!("or route 0.0.0.0/0 to a NAT gateway, or to transit gateway {tgw} (centralized egress)"),
        None => "or route 0.0.0.0/0 to a NAT gateway".to_owned(),
    };
    let mut help = if service.ends_with(".s3") || service.ends_with(".dynamodb") {
        format!("{}; {or_route}", super::route_fix::gateway_endpoint_fix(cx, &vpc, &service, route_table.as_str()))
    } else {
        let (subnets, group) = super::route_fix::endpoint_placement(cx, &vpc);
        format!("create an interface endpoint: `aws ec2 create-vpc-endpoint --vpc-id {vpc} --vpc-endpoint-type Interface --service-name {service} --subnet-ids {subnets} --security-group-ids {group} --private-dns-enabled`, {or_route}")
    };
    let region = cx.pair.and_then(|p| p.vpc_id.as_ref()).and_then(|v| cx.snapshot.region_of_vpc(v));
    if service == "com.amazonaws.iam" && region.as_deref().is_some_and(|r| r != "us-east-1") {
        // EP-24: the IAM endpoint exists only in the IAM control-plane region.
        help = format!(
            "the IAM interface endpoint (com.amazonaws.iam) exists only in us-east-1 (EP-24): reach it from {} through a transit gateway peering to us-east-1 or a cross-region PrivateLink endpoint (EP-9), or route 0.0.0.0/0 to a NAT gateway",
            region.as_deref().unwrap_or("this region")
        );
    }
    if has_interface_endpoint {
        help.push_str(" (an endpoint for the service exists but DNS does not resolve to it; see the other findings)");
    }
    // The hostname in brackets unless the destination already is it (`--to ADDRESS:PORT`).
    let host = cx.hostname();
    let named = if host.is_empty() || destination.contains(host) { String::new() } else { format!(" ({host})") };
    Finding::new(&RULE, format!("route table {route_table} has no route for {destination}{named}"))
        .id(route_table)
        .label(cx.span_of(route_table.as_str()), "no route matches the service")
        .help(help)
}
