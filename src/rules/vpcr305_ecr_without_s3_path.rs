//! VPCR305 ecr-without-s3-path: ecr is reachable but s3, where image layers live, is not.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The task subnet reaches ECR (`ecr.api`/`ecr.dkr`) but has no path to S3: no S3 gateway
    /// endpoint on its route table, no NAT or internet path (EP-20).
    ///
    /// ## Why it matters
    /// ECR serves image layers from S3 (`prod-<region>-starport-layer-bucket`): the pull fails with
    /// `CannotPullContainerError … starport-layer-bucket … i/o timeout` even though the ECR
    /// endpoints work.
    ///
    /// ## Example
    /// ```json
    /// { "VpcEndpoints": [ { "ServiceName": "com.amazonaws.us-east-1.ecr.api" }, { "ServiceName": "com.amazonaws.us-east-1.ecr.dkr" } ] }   // and no S3 gateway endpoint
    /// ```
    ///
    /// ## How to fix
    /// Add the (free) S3 gateway endpoint to the task route table: `aws ec2 create-vpc-endpoint
    /// --vpc-endpoint-type Gateway --service-name com.amazonaws.<region>.s3 --route-table-ids
    /// <rtb>`.
    code: "VPCR305", name: "ecr-without-s3-path", severity: Error, summary: "ecr is reachable but s3, where image layers live, is not",
}

pub(crate) fn finding(cx: &Cx<'_>, subnet: &SubnetId, route_table: &RouteTableId) -> Finding {
    let vpc = cx.pair.and_then(|p| p.vpc_id.as_ref()).map_or("<vpc>".to_owned(), ToString::to_string);
    let region = cx.pair.and_then(|p| p.hostname.split('.').nth(1)).unwrap_or("<region>");
    Finding::new(&RULE, format!("subnet {subnet} reaches ECR but not S3, so image layer downloads fail"))
        .id(subnet)
        .id(route_table)
        .label(cx.span_of(route_table.as_str()), "no S3 path from this table")
        .help(super::route_fix::gateway_endpoint_fix(cx, &vpc, &format!("com.amazonaws.{region}.s3"), route_table.as_str()))
}
