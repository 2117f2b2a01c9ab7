//! VPCR402 peering-not-active: the route's peering connection is not active.

use super::declare::declare_rule;
use super::route_fix::{destination_args, route_at};
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The best route for the service targets a `pcx-…` whose status is not `active`:
    /// `pending-acceptance`, `provisioning`, `failed`, `expired`, `rejected`, `deleting` or
    /// `deleted` (PCX-2, PEERING_NOT_ACTIVE).
    ///
    /// ## Why it matters
    /// Only an active peering connection carries traffic. A route to a connection that is still
    /// waiting for the accepter can be created, but it is in state `blackhole`: the packet is
    /// dropped, with no fallback to a shorter route (RT-6).
    ///
    /// ## Example
    /// ```json
    /// { "VpcPeeringConnectionId": "pcx-…", "Status": { "Code": "pending-acceptance" } }
    /// ```
    ///
    /// ## How to fix
    /// The owner of the accepter VPC accepts the request: `aws ec2 accept-vpc-peering-connection
    /// --vpc-peering-connection-id <pcx>` (in the accepter's region). A failed, expired, rejected
    /// or deleted connection cannot come back: create a new one, accept it, and point the route
    /// at it.
    code: "VPCR402", name: "peering-not-active", severity: Error, summary: "the route's peering connection is not active",
}

pub(crate) fn finding(cx: &Cx<'_>, pcx: &PeeringConnectionId, status: &str, route_table: &RouteTableId, route: Span) -> Finding {
    Finding::new(&RULE, format!("peering connection {pcx} used by route table {route_table} is {status}, not active"))
        .id(pcx)
        .id(route_table)
        .label(Some(route), format!("route to {pcx}: blackhole while the connection is {status}"))
        .label(cx.span_of(pcx.as_str()), format!("status {status}"))
        .help(help(cx, pcx, status, route_table, route))
}

fn help(cx: &Cx<'_>, pcx: &PeeringConnectionId, status: &str, route_table: &RouteTableId, route: Span) -> String {
    let peering = cx.snapshot.peering_connections.get(pcx);
    let accepter = peering.map(|p| &p.accepter);
    let region = accepter.and_then(|a| a.region.as_deref()).map_or(String::new(), |r| format!(" --region {r}"));
    let owner = accepter.and_then(|a| a.owner_id.as_deref()).map_or(String::new(), |o| format!(" in account {o}"));
    match status.to_ascii_lowercase().as_str() {
        "pending-acceptance" => format!("accept it as the accepter VPC's owner{owner}: `aws ec2 accept-vpc-peering-connection --vpc-peering-connection-id {pcx}{region}`"),
        "initiating-request" | "provisioning" => format!("wait until {pcx} is active (`aws ec2 describe-vpc-peering-connections --vpc-peering-connection-ids {pcx}`)"),
        _ => {
            let side = |v: Option<&VpcId>| v.map_or("<vpc-…>".to_owned(), ToString::to_string);
            let requester = peering.and_then(|p| p.requester.vpc_id.as_ref());
            let mut create = format!(
                "aws ec2 create-vpc-peering-connection --vpc-id {} --peer-vpc-id {}",
                side(requester),
                side(accepter.and_then(|a| a.vpc_id.as_ref()))
            );
            if let Some(o) = accepter.and_then(|a| a.owner_id.as_deref()) {
                create.push_str(&format!(" --peer-owner-id {o}"));
            }
            if let Some(r) = accepter.and_then(|a| a.region.as_deref()) {
                create.push_str(&format!(" --peer-region {r}"));
            }
            let destination = route_at(cx, Some(route)).map_or("--destination-cidr-block <peer CIDR>".to_owned(), |r| destination_args(&r.destination));
            format!(
                "a {status} peering connection cannot become active: create a new one (`{create}`), accept it (`aws ec2 accept-vpc-peering-connection --vpc-peering-connection-id <new pcx-…>{region}`), then `aws ec2 replace-route --route-table-id {route_table} {destination} --vpc-peering-connection-id <new pcx-…>`"
            )
        }
    }
}
