//! VPCR322 endpoint-of-another-service: the service name resolves to an interface endpoint of
//! another service.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The service's name resolves, through a private hosted zone's alias, CNAME or A records,
    /// to an interface endpoint whose `ServiceName` is another service's: a `secretsmanager`
    /// zone aliased to the `logs` endpoint, for instance (a zone copied from another one).
    ///
    /// ## Why it matters
    /// An interface endpoint carries only its own service's traffic (EP-1): the TLS connection
    /// reaches the endpoint's ENI and fails, and the runner cannot reach the service although
    /// every route and security group on the way is right. The private hosted zone for a
    /// service must point at that service's endpoint (DNS-9).
    ///
    /// ## Example
    /// ```json
    /// { "Name": "secretsmanager.us-east-1.amazonaws.com.", "Type": "A",
    ///   "AliasTarget": { "DNSName": "vpce-0logs-abcd.logs.us-east-1.vpce.amazonaws.com" } }
    /// ```
    ///
    /// ## How to fix
    /// Point the record at the service's own endpoint (`aws route53 change-resource-record-sets`
    /// with an `UPSERT` of the alias), creating that endpoint if there is none.
    code: "VPCR322", name: "endpoint-of-another-service", severity: Error, summary: "the service name resolves to an interface endpoint of another service",
}

pub(crate) fn finding(cx: &Cx<'_>, endpoint: &VpcEndpointId, service_name: &str, expected: &str, hostname: &str, via: &str) -> Finding {
    let own = cx
        .snapshot
        .vpc_endpoints
        .values()
        .find(|e| e.service_name == expected && e.endpoint_type == EndpointType::Interface)
        .map_or_else(
            || format!("create an interface endpoint for {expected} (`aws ec2 create-vpc-endpoint --vpc-endpoint-type Interface --service-name {expected} …`) and point the record at it"),
            |e| format!("point the record at {}, the endpoint of {expected} (an `UPSERT` with `aws route53 change-resource-record-sets`)", e.id),
        );
    Finding::new(
        &RULE,
        format!("{hostname} resolves ({via}) to interface endpoint {endpoint} of {service_name}, which does not carry {expected} traffic"),
    )
    .id(endpoint)
    .label(cx.span_of(endpoint.as_str()), format!("serves {service_name}"))
    .help(own)
}
