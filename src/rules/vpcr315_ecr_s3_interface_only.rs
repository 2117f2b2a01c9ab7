//! VPCR315 ecr-s3-interface-only: the tasks reach S3 only through an S3 interface endpoint.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The task reaches S3 through an S3 *interface* endpoint, not a gateway endpoint, a NAT
    /// gateway or an internet gateway (EP-20, ECR_S3_INTERFACE_ONLY).
    ///
    /// ## Why it matters
    /// ECR stores image layers in S3, and the ECS documentation (2023) names the S3 gateway
    /// endpoint as the supported private path for layer downloads; an interface endpoint alone is
    /// reported as unsupported. The gateway endpoint is also free, while the interface endpoint
    /// charges per hour and per GB.
    ///
    /// ## Example
    /// ```json
    /// { "ServiceName": "com.amazonaws.us-east-1.s3", "VpcEndpointType": "Interface", "PrivateDnsEnabled": true }
    /// ```
    ///
    /// ## How to fix
    /// Add the S3 gateway endpoint on the task subnets' route tables: `aws ec2 create-vpc-endpoint
    /// --vpc-endpoint-type Gateway --vpc-id <vpc> --service-name com.amazonaws.<region>.s3
    /// --route-table-ids <rtb>`. When that table already has one, the interface endpoint's
    /// private DNS is what bypasses it (EP-19): `aws ec2 modify-vpc-endpoint --vpc-endpoint-id
    /// <interface vpce> --dns-options PrivateDnsOnlyForInboundResolverEndpoint=true`.
    code: "VPCR315", name: "ecr-s3-interface-only", severity: Warning, summary: "the tasks reach S3 only through an S3 interface endpoint",
}

pub(crate) fn finding(cx: &Cx<'_>, endpoint: &VpcEndpointId) -> Finding {
    let found = cx.snapshot.vpc_endpoints.get(endpoint);
    let vpc = found.map_or("<vpc-…>".to_owned(), |e| e.vpc_id.to_string());
    let service = found.map_or("com.amazonaws.<region>.s3".to_owned(), |e| e.service_name.clone());
    let route_table = cx
        .pair
        .and_then(|p| p.path.iter().find(|h| h.kind == "route_table"))
        .map_or("<task rtb>".to_owned(), |h| h.resource_id.to_string());
    // EP-19: a gateway endpoint already on the task's table, bypassed because the interface
    // endpoint's private DNS answers for the S3 names inside the VPC.
    let gateway = found.and_then(|e| {
        cx.snapshot.endpoints_in_vpc(&e.vpc_id).find(|g| {
            g.endpoint_type == EndpointType::Gateway
                && g.service_name == service
                && g.route_table_ids.iter().any(|r| r.as_str() == route_table)
        })
    });
    if let Some(gateway) = gateway {
        return Finding::new(
            &RULE,
            format!(
                "S3 is reached through interface endpoint {endpoint} only: its private DNS answers for the S3 names inside the VPC, so gateway endpoint {} on {route_table} is not used (EP-19); ECR layer pulls are documented with the gateway endpoint",
                gateway.id
            ),
        )
        .id(endpoint)
        .id(&gateway.id)
        .label(cx.span_of(endpoint.as_str()), "S3 interface endpoint with private DNS")
        .label(cx.span_of(gateway.id.as_str()), "bypassed gateway endpoint")
        .help(format!(
            "`aws ec2 modify-vpc-endpoint --vpc-endpoint-id {endpoint} --dns-options PrivateDnsOnlyForInboundResolverEndpoint=true` (traffic from inside the VPC then takes {}), or turn private DNS off on {endpoint}",
            gateway.id
        ));
    }
    Finding::new(
        &RULE,
        format!("S3 is reached through interface endpoint {endpoint} only; ECR layer pulls are documented with the S3 gateway endpoint"),
    )
    .id(endpoint)
    .label(cx.span_of(endpoint.as_str()), "S3 interface endpoint")
    .help(format!(
        "`aws ec2 create-vpc-endpoint --vpc-endpoint-type Gateway --vpc-id {vpc} --service-name {service} --route-table-ids {route_table}`"
    ))
}
