//! VPCR301 endpoint-private-dns-disabled: the interface endpoint has private DNS disabled.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// An interface endpoint for the service exists in the task's VPC with `PrivateDnsEnabled:
    /// false`, and no private hosted zone maps the service name to it (EP-6).
    ///
    /// ## Why it matters
    /// The service hostname still resolves to public addresses, so the endpoint is bypassed: an
    /// error when the subnet has no other path, a warning (endpoint unused, NAT cost) when it does.
    /// ECR's `ecr.dkr` endpoint requires private DNS.
    ///
    /// ## Example
    /// ```json
    /// { "VpcEndpointId": "vpce-…", "ServiceName": "com.amazonaws.us-east-1.secretsmanager", "PrivateDnsEnabled": false }
    /// ```
    ///
    /// ## How to fix
    /// `aws ec2 modify-vpc-endpoint --vpc-endpoint-id <vpce> --private-dns-enabled` (the VPC needs
    /// enableDnsSupport and enableDnsHostnames).
    code: "VPCR301", name: "endpoint-private-dns-disabled", severity: Error, summary: "the interface endpoint has private DNS disabled",
}

pub(crate) fn finding(cx: &Cx<'_>, endpoint: &VpcEndpointId, hostname: &str, is_blocking: bool) -> Finding {
    let f =
        Finding::new(&RULE, format!("interface endpoint {endpoint} has private DNS disabled, so {hostname} resolves to public addresses"));
    let f = if is_blocking { f } else { f.severity(super::Severity::Warning) };
    f.id(endpoint)
        .label(cx.span_of(endpoint.as_str()), "PrivateDnsEnabled is false")
        .help(format!("`aws ec2 modify-vpc-endpoint --vpc-endpoint-id {endpoint} --private-dns-enabled`"))
}
