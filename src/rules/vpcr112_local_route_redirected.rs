//! VPCR112 local-route-redirected: traffic to the endpoint's subnet is routed through a middlebox.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The task subnet's route table has a route more specific than `local` (or a replaced local
    /// route) that sends traffic for the interface endpoint's subnet to a network interface, an
    /// instance, a Gateway Load Balancer endpoint or a NAT gateway (RT-3, RT-8, EP-25,
    /// LOCAL_ROUTE_REDIRECTED).
    ///
    /// ## Why it matters
    /// Intra-VPC traffic then goes through an inspection appliance that the snapshot does not
    /// describe: whether it forwards TCP 443 to the endpoint, and returns the reply the same way,
    /// cannot be known offline. The verdict is `unknown`.
    ///
    /// ## Example
    /// ```json
    /// { "DestinationCidrBlock": "10.0.20.0/24", "NetworkInterfaceId": "eni-firewall" }
    /// ```
    ///
    /// ## How to fix
    /// If the inspection is intended, check the appliance's rules for TCP 443 to the endpoint
    /// subnet; otherwise remove the more specific route (`aws ec2 delete-route --route-table-id
    /// <rtb> --destination-cidr-block <endpoint subnet CIDR>`) so the local route applies.
    code: "VPCR112", name: "local-route-redirected", severity: Warning, summary: "traffic to the endpoint's subnet is routed through a middlebox",
}

pub(crate) fn finding(cx: &Cx<'_>, route_table: &RouteTableId, route: Span, target: &str) -> Finding {
    let cidr =
        super::route_fix::route_at(cx, Some(route)).map_or_else(|| "<endpoint subnet CIDR>".to_owned(), |r| r.destination.to_string());
    Finding::new(&RULE, format!("route table {route_table} sends {cidr}, the endpoint's subnet, to {target} instead of the local route"))
        .id(route_table)
        .id(target)
        .label(Some(route), format!("more specific than local: traffic goes through {target}"))
        .help(format!(
            "check that {target} forwards TCP 443 both ways, or remove the route: `aws ec2 delete-route --route-table-id {route_table} --destination-cidr-block {cidr}`"
        ))
}
