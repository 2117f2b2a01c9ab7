//! VPCR204 nacl-blocks-return: a network ACL denies the reply to the task.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::reachability::Fact;

declare_rule! {
    /// ## What it checks
    /// On a subnet the reply crosses, the first matching NACL entry for the reply (TCP to the
    /// client's ephemeral ports, from the service) is a DENY, or only the `*` rule matches. The
    /// task's replies need at least the Linux ephemeral range 32768-60999; a NAT gateway's need
    /// 1024-65535 (NACL-6, NAT-6).
    ///
    /// ## Why it matters
    /// NACLs are stateless: an allowed request says nothing about its reply. This is the classic
    /// "outbound allowed, inbound only 443" mistake.
    ///
    /// ## Example
    /// ```json
    /// { "Entries": [ { "RuleNumber": 100, "Egress": false, "Protocol": "6", "PortRange": { "From": 443, "To": 443 }, "RuleAction": "allow", "CidrBlock": "0.0.0.0/0" } ] }
    /// ```
    ///
    /// ## How to fix
    /// Allow the return traffic: an inbound (or, on the far subnet, outbound) entry for TCP
    /// 1024-65535 before any deny, as AWS recommends.
    code: "VPCR204", name: "nacl-blocks-return", severity: Error, summary: "a network ACL denies the reply to the task",
}

pub(crate) fn finding(cx: &Cx<'_>, fact: &Fact) -> Finding {
    // AWS recommends opening return traffic from 1024 (NACL-6).
    super::vpcr203_nacl_blocks_request::nacl_finding(&RULE, cx, fact, "reply", |from| from.min(1024))
}
