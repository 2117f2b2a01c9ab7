//! VPCR409 asymmetric-return-path: the reply leaves by another way than the request came.

use super::declare::declare_rule;
use super::route_fix::{return_cidr_of, tgw_route_command, vpc_route_command};
use super::{Cx, Finding, Severity};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The reply to the task is routed back by a different next hop than the request came through:
    /// the destination subnet's table sends the task's CIDR to another peering connection, transit
    /// gateway, NAT gateway or appliance (PCX-10: no reverse-path check; TGW-4).
    ///
    /// ## Why it matters
    /// Stateful devices on the return way (NAT gateways, firewalls, security groups of an
    /// appliance) never saw the request and usually drop the reply. vpcreach does not follow that
    /// other way, so the verdict is `unknown`; but when the other way is a peering connection to a
    /// VPC whose CIDR holds the task's addresses (overlapping VPCs), the replies are delivered
    /// there and never come back: `unreachable`, as an error.
    ///
    /// ## Example
    /// ```json
    /// { "RouteTableId": "rtb-hub-endpoints", "Routes": [ { "DestinationCidrBlock": "10.1.0.0/16", "VpcPeeringConnectionId": "pcx-other" } ] }
    /// ```
    ///
    /// ## How to fix
    /// Route the task's CIDR back through the hop the request came through: `aws ec2 replace-route
    /// --route-table-id <rtb> --destination-cidr-block <task CIDR> --vpc-peering-connection-id
    /// <pcx>` (or `--transit-gateway-id`); for a stateful appliance behind a transit gateway, enable
    /// appliance mode on its attachment.
    code: "VPCR409", name: "asymmetric-return-path", severity: Warning, summary: "the reply leaves by another way than the request came",
}

pub(crate) fn finding(
    cx: &Cx<'_>,
    route_table: &str,
    destination: &str,
    expected: &str,
    found: &str,
    route: Option<Span>,
    delivered_in: Option<&VpcId>,
) -> Finding {
    let routes = if route_table.starts_with("tgw-rtb-") {
        cx.snapshot.tgw_route_tables.get(route_table).map_or(&[][..], |t| &t.routes[..])
    } else {
        cx.snapshot.route_tables.get(route_table).map_or(&[][..], |t| &t.routes[..])
    };
    let cidr = return_cidr_of(cx, routes, destination);
    let command = if route_table.starts_with("tgw-rtb-") {
        tgw_route_command(cx, &TransitGatewayRouteTableId::from(route_table), &cidr, expected)
    } else {
        vpc_route_command(cx, &RouteTableId::from(route_table), &cidr, expected)
    };
    // PCX-10: delivered in an overlapping peer, the replies never come back (an error, not a
    // doubt).
    let (fate, severity) = match delivered_in {
        Some(vpc) => {
            (format!(": {vpc} holds the same addresses, so they are delivered there and never come back (PCX-10)"), Severity::Error)
        }
        None => (String::new(), Severity::Warning),
    };
    Finding::new(
        &RULE,
        format!(
            "replies to {destination} leave route table {route_table} through {found}, not through {expected} where the request came from{fate}"
        ),
    )
    .severity(severity)
    .id(route_table)
    .id(found)
    .id(expected)
    .label(route.or_else(|| cx.span_of(route_table)), format!("sends replies to {found}"))
    .label(cx.span_of(expected), "the request came through here")
    .help(format!("route the replies back the way the request came: {command}"))
}
