//! VPCR205 nacl-partial-ephemeral: a network ACL opens only part of the ephemeral port range.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The reply toward the task is allowed for the Linux default ephemeral range 32768-60999 but
    /// not for all of 1024-65535 (NACL-6).
    ///
    /// ## Why it matters
    /// Fargate does not document its ephemeral range; a client using a port outside the open part
    /// fails intermittently.
    ///
    /// ## Example
    /// ```json
    /// { "RuleNumber": 110, "Egress": false, "Protocol": "6", "PortRange": { "From": 32768, "To": 61000 }, "RuleAction": "allow" }
    /// ```
    ///
    /// ## How to fix
    /// Open TCP 1024-65535 for return traffic, as AWS suggests.
    code: "VPCR205", name: "nacl-partial-ephemeral", severity: Warning, summary: "a network ACL opens only part of the ephemeral port range",
}

pub(crate) fn finding(cx: &Cx<'_>, acl: &NetworkAclId, subnet: &SubnetId, is_egress: bool, allowed: &str) -> Finding {
    let direction = if is_egress { "outbound" } else { "inbound" };
    Finding::new(
        &RULE,
        format!(
            "network ACL {acl} on {subnet} allows {direction} replies on the Linux ephemeral ports {allowed} but not on all of 1024-65535"
        ),
    )
    .id(acl)
    .id(subnet)
    .label(cx.span_of(acl.as_str()), "ephemeral range only partly open")
    .help("allow TCP 1024-65535 for return traffic (NACL-6)")
}
