//! VPCR304 s3-gateway-endpoint-not-associated: a gateway endpoint for the service exists but not on the task subnet's route table.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// An S3 or DynamoDB gateway endpoint in the VPC whose `RouteTableIds` do not include the task
    /// subnet's effective route table. The classic case: the subnet has no explicit association and
    /// uses the main table implicitly (RT-1, EP-11).
    ///
    /// ## Why it matters
    /// A gateway endpoint works only through the prefix-list route it installs in its associated
    /// tables; other subnets do not benefit. The guide: "ensure it is associated with the correct
    /// route tables".
    ///
    /// ## Example
    /// ```json
    /// { "VpcEndpointId": "vpce-s3", "VpcEndpointType": "Gateway", "RouteTableIds": [ "rtb-other" ] }
    /// ```
    ///
    /// ## How to fix
    /// `aws ec2 modify-vpc-endpoint --vpc-endpoint-id <vpce> --add-route-table-ids <task rtb>`.
    code: "VPCR304", name: "s3-gateway-endpoint-not-associated", severity: Error, summary: "a gateway endpoint for the service exists but not on the task subnet's route table",
}

pub(crate) fn finding(cx: &Cx<'_>, endpoint: &VpcEndpointId, route_table: &RouteTableId, is_main: bool, is_blocking: bool) -> Finding {
    let how = if is_main { "implicitly associated main route table" } else { "route table" };
    let f = Finding::new(&RULE, format!("gateway endpoint {endpoint} is not associated with the task subnet's {how} {route_table}"));
    let f = if is_blocking { f } else { f.severity(super::Severity::Warning) };
    f.id(endpoint)
        .id(route_table)
        .label(cx.span_of(endpoint.as_str()), "RouteTableIds lacks the task's table")
        .label(cx.span_of(route_table.as_str()), "task subnet's effective route table")
        .help(format!("`aws ec2 modify-vpc-endpoint --vpc-endpoint-id {endpoint} --add-route-table-ids {route_table}`"))
}
