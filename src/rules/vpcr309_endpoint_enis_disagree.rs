//! VPCR309 endpoint-enis-inconsistent: some of an interface endpoint's ENIs are reachable and some are not.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The endpoint's private DNS answers with the addresses of all its ENIs (EP-10), and the
    /// checks (security groups, NACLs, routes) pass for some ENIs and fail for others.
    ///
    /// ## Why it matters
    /// Connections fail intermittently, depending on which address the client picks.
    ///
    /// ## Example
    /// ```json
    /// { "VpcEndpointId": "vpce-…", "SubnetIds": [ "subnet-a", "subnet-b" ] }   // subnet-b has a blocking NACL
    /// ```
    ///
    /// ## How to fix
    /// Make every endpoint subnet's NACL and the endpoint's security groups admit the tasks.
    code: "VPCR309", name: "endpoint-enis-inconsistent", severity: Warning, summary: "some of an interface endpoint's ENIs are reachable and some are not",
}

pub(crate) fn finding(cx: &Cx<'_>, endpoint: &VpcEndpointId, reachable: &[SubnetId], blocked: &[SubnetId]) -> Finding {
    let list = |v: &[SubnetId]| v.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
    Finding::new(&RULE, format!("endpoint {endpoint} is reachable through its ENIs in {} but not in {}", list(reachable), list(blocked)))
        .id(endpoint)
        .label(cx.span_of(endpoint.as_str()), "ENIs disagree")
        .help("make every endpoint subnet's NACL and the endpoint security groups admit the tasks (EP-10)")
}
