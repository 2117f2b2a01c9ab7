//! VPCR504 endpoint-fewer-azs: the interface endpoint has no network interface in some of the tasks' Availability Zones.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// Tasks in an AZ reach an interface endpoint whose ENIs are all in other AZs (EP-2,
    /// ENDPOINT_SINGLE_AZ).
    ///
    /// ## Why it matters
    /// It works: DNS returns the endpoint's addresses in its own AZs. But every request crosses
    /// AZs, billed per GB each way, and an outage of the endpoint's AZ cuts off the tasks in the
    /// AZs that seemed independent.
    ///
    /// ## Example
    /// ```json
    /// { "VpcEndpointId": "vpce-…", "SubnetIds": ["subnet-endpoints-a"] }   // tasks also in us-east-1b
    /// ```
    ///
    /// ## How to fix
    /// Add a subnet in each missing AZ to the endpoint: `aws ec2 modify-vpc-endpoint
    /// --vpc-endpoint-id <vpce> --add-subnet-ids <subnet in that AZ>`.
    code: "VPCR504", name: "endpoint-fewer-azs", severity: Warning, summary: "the interface endpoint has no network interface in some of the tasks' Availability Zones",
}

pub(crate) fn finding(cx: &Cx<'_>, endpoint: &VpcEndpointId, endpoint_azs: &[String], missing_azs: &[String]) -> Finding {
    let vpc = cx.snapshot.vpc_endpoints.get(endpoint).map(|e| e.vpc_id.clone());
    // A subnet of the endpoint's VPC in a missing AZ, preferably one already holding endpoints.
    let candidates: Vec<String> = missing_azs
        .iter()
        .map(|az| {
            cx.snapshot
                .subnets
                .values()
                .filter(|s| Some(&s.vpc_id) == vpc.as_ref() && s.availability_zone.as_deref() == Some(az.as_str()))
                .find(|s| cx.snapshot.vpc_endpoints.values().any(|e| e.subnet_ids.contains(&s.id)))
                .map_or_else(|| format!("<subnet in {az}>"), |s| s.id.to_string())
        })
        .collect();
    Finding::new(
        &RULE,
        format!(
            "endpoint {endpoint} has network interfaces only in {}; tasks in {} cross AZs to reach it",
            endpoint_azs.join(", "),
            missing_azs.join(", ")
        ),
    )
    .id(endpoint)
    .label(cx.span_of(endpoint.as_str()), format!("SubnetIds cover {} only", endpoint_azs.join(", ")))
    .help(format!("`aws ec2 modify-vpc-endpoint --vpc-endpoint-id {endpoint} --add-subnet-ids {}`", candidates.join(" ")))
}
