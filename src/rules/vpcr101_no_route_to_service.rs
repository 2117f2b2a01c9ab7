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
    // DNS-10: the name resolved to an endpoint ENI of another VPC (a hub): what is missing is
    // the route there, through the transit gateway or peering both VPCs share.
    let remote = remote_endpoint(cx, destination, &vpc);
    if let Some((endpoint, endpoint_vpc, via)) = &remote {
        let cidr = cx.snapshot.vpcs.get(endpoint_vpc.as_str()).and_then(|v| v.primary_cidr.or_else(|| v.cidrs.first().copied()));
        let cidr = cidr.map_or_else(|| format!("<CIDR of {endpoint_vpc}>"), |c| c.to_string());
        help = match via {
            Some(next_hop) => format!(
                "the name resolves to interface endpoint {endpoint} in {endpoint_vpc}: route its CIDR there, {}",
                super::route_fix::vpc_route_command(cx, route_table, &cidr, next_hop)
            ),
            None => format!(
                "the name resolves to interface endpoint {endpoint} in {endpoint_vpc}, which no transit gateway or active peering connects to {vpc}: connect them and route {cidr} there, or create the endpoint in {vpc}"
            ),
        };
    } else if has_interface_endpoint {
        help.push_str(" (an endpoint for the service exists but DNS does not resolve to it; see the other findings)");
    }
    // The hostname in brackets unless the destination already is it (`--to ADDRESS:PORT`).
    let host = cx.hostname();
    let mut named = if host.is_empty() || destination.contains(host) { String::new() } else { format!(" ({host})") };
    if let Some((endpoint, endpoint_vpc, _)) = &remote {
        named.push_str(&format!(", an address of interface endpoint {endpoint} in {endpoint_vpc}"));
    }
    Finding::new(&RULE, format!("route table {route_table} has no route for {destination}{named}"))
        .id(route_table)
        .label(cx.span_of(route_table.as_str()), "no route matches the service")
        .help(help)
}

/// The interface endpoint of another VPC than `vpc` that `destination` (one address) belongs
/// to, its VPC, and the next hop that connects the two VPCs (a transit gateway both are attached
/// to, or an active peering connection), if any.
fn remote_endpoint(cx: &Cx<'_>, destination: &str, vpc: &str) -> Option<(VpcEndpointId, VpcId, Option<String>)> {
    let net: ipnet::Ipv4Net = destination.parse().ok()?;
    if net.prefix_len() != 32 {
        return None;
    }
    let s = cx.snapshot;
    let eni = s.eni_with_ip(net.addr())?;
    let endpoint = s.endpoint_of_eni(&eni.id)?;
    let endpoint_vpc = endpoint.vpc_id.clone();
    if endpoint_vpc.as_str() == vpc {
        return None;
    }
    let tgw = s
        .tgw_attachments
        .values()
        .filter(|a| a.kind == TgwAttachmentKind::Vpc && a.resource_id == vpc)
        .find(|a| s.tgw_attachment_of_vpc(&a.tgw, &endpoint_vpc).is_some())
        .map(|a| a.tgw.to_string());
    let task_vpc = VpcId::from(vpc);
    let pcx = || {
        s.peering_connections
            .values()
            .find(|p| p.is_active() && p.peer_of(&task_vpc).is_some_and(|peer| peer.vpc_id.as_ref() == Some(&endpoint_vpc)))
            .map(|p| p.id.to_string())
    };
    let next_hop = tgw.or_else(pcx);
    Some((endpoint.id.clone(), endpoint_vpc, next_hop))
}
