//! VPCR403 peering-no-return-route: the destination subnet's route table has no route back through the peering connection.

use super::declare::declare_rule;
use super::route_fix::{return_cidr_of, vpc_route_command};
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The request crossed a peering connection and reached the destination (for example an
    /// interface endpoint ENI in the hub VPC), but the route table of the destination ENI's subnet
    /// has no route for the task's addresses through the same `pcx-…` (PCX-3,
    /// PEERING_NO_RETURN_ROUTE).
    ///
    /// ## Why it matters
    /// Peering needs routes on both sides. Without the return route the reply is dropped (or
    /// leaves by another way and is dropped there), and the task sees a connection timeout even
    /// though the request arrived.
    ///
    /// ## Example
    /// ```json
    /// { "RouteTableId": "rtb-hub-endpoints", "Routes": [ { "DestinationCidrBlock": "10.100.0.0/16", "GatewayId": "local" } ] }
    /// ```
    ///
    /// ## How to fix
    /// Add the return route to the destination subnet's table: `aws ec2 create-route
    /// --route-table-id <rtb> --destination-cidr-block <task VPC CIDR>
    /// --vpc-peering-connection-id <pcx>`.
    code: "VPCR403", name: "peering-no-return-route", severity: Error, summary: "the destination subnet's route table has no route back through the peering connection",
}

pub(crate) fn finding(cx: &Cx<'_>, route_table: &RouteTableId, vpc: &VpcId, destination: &str, via: &str, route: Option<Span>) -> Finding {
    let cidr = return_cidr_of(cx, cx.snapshot.route_tables.get(route_table).map_or(&[][..], |t| &t.routes[..]), destination);
    let label = if route.is_some() {
        format!("best match for {destination}, not through {via}")
    } else {
        format!("no route for {destination} through {via}")
    };
    Finding::new(&RULE, format!("route table {route_table} in {vpc} has no route back to {destination} through peering connection {via}"))
        .id(route_table)
        .id(via)
        .id(vpc)
        .label(route.or_else(|| cx.span_of(route_table.as_str())), label)
        .label(cx.span_of(via), "the request arrived through this peering connection")
        .help(format!("add the return route: {}", vpc_route_command(cx, route_table, &cidr, via)))
}
