//! The parts of a routing fix the peering, transit gateway and return-path rules share: which
//! CIDR to type, which `create-route` flag a target takes, which route a span is, and which
//! NAT gateway or attachment is the next hop. Not a rule: no code of its own.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use super::Cx;
use crate::model::*;

/// The route whose JSON element is `span`, in a VPC or a transit gateway route table.
pub(super) fn route_at<'a>(cx: &Cx<'a>, span: Option<Span>) -> Option<&'a Route> {
    cx.snapshot.route_with_span(span?)
}

/// The `create-route` / `replace-route` arguments naming a route's destination.
pub(super) fn destination_args(destination: &RouteDestination) -> String {
    match destination {
        RouteDestination::Ipv4(net) => format!("--destination-cidr-block {net}"),
        RouteDestination::Ipv6(net) => format!("--destination-ipv6-cidr-block {net}"),
        RouteDestination::PrefixList(pl) => format!("--destination-prefix-list-id {pl}"),
    }
}

/// `--destination-cidr-block` for a fact's destination, which is a CIDR, an address, a list
/// of CIDRs ("a, b and 3 more"), a VPC ID or words ("public addresses of S3"): the CIDR
/// itself, the CIDR of the VPC holding an address or all the listed CIDRs, `0.0.0.0/0` for
/// public addresses (the egress default route).
pub(super) fn cidr_of(cx: &Cx<'_>, destination: &str) -> String {
    let nets: Vec<Ipv4Net> = destination
        .split([',', ' ', ';'])
        .filter_map(|t| t.parse::<Ipv4Net>().ok().or_else(|| t.parse::<Ipv4Addr>().ok().map(Ipv4Net::from)))
        .collect();
    let is_list = nets.len() > 1 || destination.contains(" more");
    match nets.as_slice() {
        [net] if !is_list && net.prefix_len() < 32 => return net.trunc().to_string(),
        [] => {}
        _ => {
            let holders: Vec<Option<Ipv4Net>> = nets.iter().map(|n| vpc_cidr_holding(cx, *n)).collect();
            return match holders.first().copied().flatten() {
                Some(vpc) if holders.iter().all(|h| *h == Some(vpc)) => vpc.to_string(),
                _ if holders.iter().all(Option::is_none) && is_list => "0.0.0.0/0".to_owned(),
                _ => nets.first().map_or_else(String::new, |n| n.trunc().to_string()),
            };
        }
    }
    let token = destination.split_whitespace().next().unwrap_or_default();
    if let Some(cidr) = cx.snapshot.vpcs.get(token).and_then(|v| v.cidrs.first()) {
        return cidr.to_string();
    }
    if token.starts_with("pl-") || destination.contains("public") {
        return "0.0.0.0/0".to_owned();
    }
    format!("<CIDR of {destination}>")
}

/// The CIDR a return route should cover: the task VPC's CIDR holding the reply's destination
/// (one route serves every task subnet), unless `routes` has a more specific route
/// overlapping the destination, which would still win (RT-5, TGW-8): then the destination's
/// own CIDR.
pub(super) fn return_cidr_of(cx: &Cx<'_>, routes: &[Route], destination: &str) -> String {
    let narrow = cidr_of(cx, destination);
    let Ok(net) = narrow.parse::<Ipv4Net>() else { return narrow };
    let Some(wide) = vpc_cidr_holding(cx, net) else { return narrow };
    let shadowed = routes.iter().any(|r| match r.destination {
        RouteDestination::Ipv4(d) => d.prefix_len() > wide.prefix_len() && (d.contains(&net) || net.contains(&d)),
        _ => false,
    });
    if shadowed {
        narrow
    } else {
        wide.to_string()
    }
}

/// The CIDR of the snapshot VPC that holds `net`.
pub(super) fn vpc_cidr_holding(cx: &Cx<'_>, net: Ipv4Net) -> Option<Ipv4Net> {
    cx.snapshot.vpcs.values().flat_map(|v| &v.cidrs).find(|c| c.contains(&net)).copied()
}

/// The snapshot VPC that holds `cidr` (as printed by [`cidr_of`]).
pub(super) fn vpc_holding<'a>(cx: &Cx<'a>, cidr: &str) -> Option<&'a Vpc> {
    let net = cidr.parse::<Ipv4Net>().ok()?;
    cx.snapshot.vpcs.values().find(|v| v.cidrs.iter().any(|c| c.contains(&net)))
}

/// The flag `create-route` / `replace-route` takes for a target ID (RT-7), or for a
/// placeholder such as `<nat-…>`.
pub(super) fn target_flag(target: &str) -> &'static str {
    let target = target.trim_start_matches('<');
    let prefixes = [
        ("pcx-", "--vpc-peering-connection-id"),
        ("tgw-", "--transit-gateway-id"),
        ("nat-", "--nat-gateway-id"),
        ("eigw-", "--egress-only-internet-gateway-id"),
        ("eni-", "--network-interface-id"),
        ("i-", "--instance-id"),
        ("vpce-", "--vpc-endpoint-id"),
    ];
    prefixes.iter().find(|(p, _)| target.starts_with(p)).map_or("--gateway-id", |(_, flag)| flag)
}

/// The command that makes `table` send `cidr` to `target`: `replace-route` when the table has a
/// route for exactly that CIDR, `create-route` otherwise.
pub(super) fn vpc_route_command(cx: &Cx<'_>, table: &RouteTableId, cidr: &str, target: &str) -> String {
    let exists = cx.snapshot.route_tables.get(table).is_some_and(|t| t.routes.iter().any(|r| r.destination.to_string() == cidr));
    let verb = if exists { "replace-route" } else { "create-route" };
    format!("`aws ec2 {verb} --route-table-id {table} --destination-cidr-block {cidr} {} {target}`", target_flag(target))
}

/// The same for a transit gateway route table and an attachment (TGW-8).
pub(super) fn tgw_route_command(cx: &Cx<'_>, table: &TransitGatewayRouteTableId, cidr: &str, attachment: &str) -> String {
    let exists = cx.snapshot.tgw_route_tables.get(table).is_some_and(|t| t.routes.iter().any(|r| r.destination.to_string() == cidr));
    let verb = if exists { "replace-transit-gateway-route" } else { "create-transit-gateway-route" };
    format!(
        "`aws ec2 {verb} --transit-gateway-route-table-id {table} --destination-cidr-block {cidr} --transit-gateway-attachment-id {attachment}`"
    )
}

/// The transit gateway an ID names: itself for `tgw-…`, the attachment's gateway for
/// `tgw-attach-…`.
pub(super) fn tgw_named(cx: &Cx<'_>, id: &str) -> Option<TransitGatewayId> {
    if id.starts_with("tgw-attach-") {
        cx.snapshot.tgw_attachments.values().find(|a| a.id.as_str() == id).map(|a| a.tgw.clone())
    } else if id.starts_with("tgw-") && !id.starts_with("tgw-rtb-") {
        Some(TransitGatewayId::from(id))
    } else {
        None
    }
}

/// An available public NAT gateway in `vpc`: the next hop of centralized egress (NAT-1,
/// TGW-EGRESS).
pub(super) fn nat_in_vpc<'a>(cx: &Cx<'a>, vpc: &VpcId) -> Option<&'a NatGateway> {
    cx.snapshot.nat_gateways.values().find(|n| n.vpc_id.as_ref() == Some(vpc) && !n.is_private && n.state.eq_ignore_ascii_case("available"))
}

/// A subnet of `vpc` whose table routes `0.0.0.0/0` to an internet gateway attached to `vpc`.
pub(super) fn public_subnet_of<'a>(cx: &Cx<'a>, vpc: &VpcId) -> Option<&'a Subnet> {
    public_subnet_in(cx, vpc, None)
}

/// The same, in Availability Zone `az` when given.
pub(super) fn public_subnet_in<'a>(cx: &Cx<'a>, vpc: &VpcId, az: Option<&str>) -> Option<&'a Subnet> {
    let s = cx.snapshot;
    s.subnets_of_vpc(vpc).filter(|sub| az.is_none() || sub.availability_zone.as_deref() == az).find(|sub| {
        s.effective_route_table(&sub.id).is_some_and(|(t, _)| {
            t.routes.iter().any(|r| {
                matches!(r.destination, RouteDestination::Ipv4(net) if net.addr().is_unspecified() && net.prefix_len() == 0)
                    && matches!(&r.target, RouteTarget::InternetGateway(igw) if s.internet_gateways.get(igw).is_some_and(|g| g.attached_vpcs.contains(vpc)))
            })
        })
    })
}

/// The NAT gateway to send `vpc`'s egress to from the subnets of `table`, one in their AZ
/// first (NAT-4, NAT-9: one in another AZ pays cross-AZ transfer and fails with that AZ,
/// VPCR111), and the command that creates one when `vpc` has none (placeholders where the
/// snapshot has nothing to offer).
pub(super) fn nat_next_hop_for(cx: &Cx<'_>, vpc: &VpcId, table: Option<&RouteTableId>) -> (String, Option<String>) {
    let az = table
        .and_then(|t| cx.snapshot.route_tables.get(t.as_str()))
        .and_then(|t| t.subnet_ids.iter().find_map(|s| cx.snapshot.subnets.get(s)))
        .and_then(|s| s.availability_zone.clone());
    let same_az = az.as_deref().and_then(|az| {
        cx.snapshot.nat_gateways.values().find(|n| {
            n.vpc_id.as_ref() == Some(vpc)
                && !n.is_private
                && n.state.eq_ignore_ascii_case("available")
                && n.subnet_id.as_ref().and_then(|s| cx.snapshot.subnets.get(s)).and_then(|s| s.availability_zone.as_deref()) == Some(az)
        })
    });
    if let Some(nat) = same_az.or_else(|| nat_in_vpc(cx, vpc)) {
        return (nat.id.to_string(), None);
    }
    let create = match public_subnet_of(cx, vpc) {
        Some(subnet) => format!("`aws ec2 create-nat-gateway --subnet-id {} --allocation-id <eipalloc-…>`", subnet.id),
        // NAT-1: a public NAT gateway needs a subnet routed to an attached internet gateway.
        None => {
            let igw = cx.snapshot.internet_gateways.values().find(|g| g.attached_vpcs.contains(vpc));
            let route_to = igw.map_or_else(
                || format!("an internet gateway attached to {vpc} (`aws ec2 create-internet-gateway`, then `aws ec2 attach-internet-gateway --vpc-id {vpc} --internet-gateway-id <igw-…>`)"),
                |g| g.id.to_string(),
            );
            format!(
                "{vpc} has no public subnet: create one whose route table sends 0.0.0.0/0 to {route_to}, then `aws ec2 create-nat-gateway --subnet-id <that subnet> --allocation-id <eipalloc-…>`"
            )
        }
    };
    ("<nat-…>".to_owned(), Some(create))
}

/// The ID of the VPC attachment on `tgw` of the VPC holding `cidr`.
pub(super) fn attachment_towards(cx: &Cx<'_>, tgw: &TransitGatewayId, cidr: &str) -> Option<TransitGatewayAttachmentId> {
    let vpc = vpc_holding(cx, cidr)?;
    cx.snapshot.tgw_attachment_of_vpc(tgw, &vpc.id).map(|a| a.id.clone())
}

/// The task's VPC, or a placeholder.
pub(super) fn task_vpc(cx: &Cx<'_>) -> String {
    cx.pair.and_then(|p| p.vpc_id.as_ref()).map_or("<task vpc-…>".to_owned(), ToString::to_string)
}

/// EP-11, EP-15: how to give `route_table` the gateway endpoint of `service` (S3, DynamoDB): a
/// new endpoint, the VPC's existing one extended to the table, or, when the table already
/// routes there, nothing to add (the blocker is elsewhere).
pub(super) fn gateway_endpoint_fix(cx: &Cx<'_>, vpc: &str, service: &str, route_table: &str) -> String {
    let existing: Vec<&VpcEndpoint> = cx
        .snapshot
        .endpoints_in_vpc(&VpcId::from(vpc))
        .filter(|e| e.endpoint_type == EndpointType::Gateway && e.service_name == service)
        .collect();
    if let Some(on_table) = existing.iter().find(|e| e.route_table_ids.iter().any(|r| r.as_str() == route_table)) {
        return format!(
            "{route_table} already routes {service} to gateway endpoint {} (a second one cannot be added, EP-15): the blocker is in the other findings (security groups, NACLs, the endpoint policy)",
            on_table.id
        );
    }
    match existing.first() {
        Some(endpoint) => format!(
            "associate the VPC's gateway endpoint with this table: `aws ec2 modify-vpc-endpoint --vpc-endpoint-id {} --add-route-table-ids {route_table}` (free)",
            endpoint.id
        ),
        None => format!(
            "add a gateway endpoint on this table: `aws ec2 create-vpc-endpoint --vpc-id {vpc} --vpc-endpoint-type Gateway --service-name {service} --route-table-ids {route_table}` (free)"
        ),
    }
}

/// The transit gateway `vpc` is attached to, for fixes that can route there instead (NAT-9).
pub(super) fn tgw_of_vpc(cx: &Cx<'_>, vpc: &str) -> Option<TransitGatewayId> {
    cx.snapshot.tgw_attachments.values().find(|a| a.kind == TgwAttachmentKind::Vpc && a.resource_id == vpc).map(|a| a.tgw.clone())
}

/// `--subnet-ids` and `--security-group-ids` for a new interface endpoint serving the pair's
/// workload, one command per VPC (a second endpoint with private DNS for the same name is
/// refused): the subnets and group of the VPC's other interface endpoints when it has some,
/// else one subnet per AZ of the workload's subnets in `vpc`.
pub(super) fn endpoint_placement(cx: &Cx<'_>, vpc: &str) -> (String, String) {
    let pair_subnet = cx.pair.map(|p| p.subnet_id.clone());
    let workload = cx.pair.map(|p| &*p.workload);
    let mut by_az: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    let service_subnets =
        cx.snapshot.ecs_services.iter().filter(|s| Some(s.name.as_str()) == workload).flat_map(|s| s.subnet_ids.iter().cloned());
    for id in service_subnets.chain(pair_subnet) {
        if let Some(subnet) = cx.snapshot.subnets.get(&id).filter(|s| s.vpc_id.as_str() == vpc) {
            let az = subnet.availability_zone_id.clone().or_else(|| subnet.availability_zone.clone()).unwrap_or_default();
            by_az.entry(az).or_insert_with(|| subnet.id.to_string());
        }
    }
    // The VPC's other interface endpoints show where endpoints go (their subnets, their group),
    // as VPCR314's fix uses them.
    let sibling =
        cx.snapshot.endpoints_in_vpc(&VpcId::from(vpc)).find(|e| e.endpoint_type == EndpointType::Interface && !e.subnet_ids.is_empty());
    let subnets = match sibling {
        Some(e) => e.subnet_ids.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "),
        None if by_az.is_empty() => "<one subnet per task AZ>".to_owned(),
        None => by_az.into_values().collect::<Vec<_>>().join(" "),
    };
    let group =
        sibling.and_then(|e| e.security_group_ids.first()).map_or("<sg allowing 443 from the tasks>".to_owned(), ToString::to_string);
    (subnets, group)
}
