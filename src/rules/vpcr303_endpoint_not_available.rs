//! VPCR303 endpoint-not-available: the VPC endpoint is not in state available.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The interface or gateway endpoint the path uses has a `State` other than `available`
    /// (`pending`, `pendingAcceptance`, `failed`, `rejected`, `deleting`, …, EP-5).
    ///
    /// ## Why it matters
    /// Only an available endpoint forwards traffic.
    ///
    /// ## Example
    /// ```json
    /// { "VpcEndpointId": "vpce-…", "State": "pending" }
    /// ```
    ///
    /// ## How to fix
    /// Wait for the endpoint to become available, or recreate it (`aws ec2 create-vpc-endpoint …`).
    code: "VPCR303", name: "endpoint-not-available", severity: Error, summary: "the VPC endpoint is not in state available",
}

pub(crate) fn finding(cx: &Cx<'_>, endpoint: &VpcEndpointId, state: &str, is_blocking: bool) -> Finding {
    let f = Finding::new(&RULE, format!("VPC endpoint {endpoint} is {state}, not available"));
    let f = if is_blocking { f } else { f.severity(super::Severity::Warning) };
    f.id(endpoint)
        .label(cx.span_of(endpoint.as_str()), format!("state {state}"))
        .help("wait for the endpoint to become available, or delete and recreate it")
}
