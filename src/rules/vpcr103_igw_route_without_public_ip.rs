//! VPCR103 igw-route-without-public-ip: the subnet routes to an internet gateway but the task has no public IP.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The task subnet's best route to the service is an internet gateway, and the workload does
    /// not assign a public IPv4 (`assignPublicIp` is `DISABLED`, the default).
    ///
    /// ## Why it matters
    /// An IGW only translates addresses that have a public IPv4 (IGW-1, IGW-3). A Fargate task gets
    /// one only with `assignPublicIp=ENABLED` (IGW-4); `MapPublicIpOnLaunch` on the subnet does not
    /// apply. The guide: "the tasks will have no outbound connectivity and the runner will fail to
    /// start".
    ///
    /// ## Example
    /// ```json
    /// { "EcsServices": [ { "networkConfiguration": { "awsvpcConfiguration": { "subnets": ["subnet-public"], "assignPublicIp": "DISABLED" } } } ] }
    /// ```
    ///
    /// ## How to fix
    /// Set the runner stack's CloudFormation parameter "Assign Public IP" to true
    /// (`assignPublicIp=ENABLED`), or place the tasks in private subnets that route 0.0.0.0/0 to a
    /// NAT gateway.
    code: "VPCR103", name: "igw-route-without-public-ip", severity: Error, summary: "the subnet routes to an internet gateway but the task has no public IP",
}

pub(crate) fn finding(cx: &Cx<'_>, route_table: &RouteTableId, route: Span, igw: &InternetGatewayId, subnet: &SubnetId) -> Finding {
    Finding::new(&RULE, format!("subnet {subnet} routes {} to internet gateway {igw} but the task has no public IP", cx.hostname()))
        .id(igw)
        .id(subnet)
        .id(route_table)
        .label(Some(route), "route to the internet gateway")
        .label(cx.workload_span(), "assignPublicIp is not ENABLED")
        .help("set the CloudFormation parameter \"Assign Public IP\" = true (assignPublicIp=ENABLED), or use private subnets with a NAT gateway route")
}
