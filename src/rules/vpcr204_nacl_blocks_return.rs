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
    /// \"outbound allowed, inbound only 443\" mistake.
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
    let Fact::NaclBlocks { acl, subnet, is_egress, rule_number, entry, remote, ports, is_partial, .. } = fact else {
        return Finding::new(&RULE, "network ACL decision");
    };
    let direction = if *is_egress { "outbound" } else { "inbound" };
    let rule = rule_number.map_or("the default * rule".to_owned(), |n| format!("rule {n}"));
    let port_text = if ports.0 == ports.1 { format!("TCP {}", ports.0) } else { format!("TCP {}-{}", ports.0, ports.1) };
    let what = if *is_partial { "partly denies" } else { "denies" };
    let mut f = Finding::new(
        &RULE,
        format!(
            "network ACL {acl} on {subnet} {what} {direction} reply {port_text} {} {remote} ({rule})",
            if *is_egress { "to" } else { "from" }
        ),
    );
    if *is_partial {
        f = f.severity(super::Severity::Warning);
    }
    let num = rule_number.map_or(90, |n| (n - 1).max(1));
    f.id(acl)
        .id(subnet)
        .label(entry.or_else(|| cx.span_of(acl.as_str())), format!("{rule} matches first"))
        .help(format!(
            "add an allow entry before it: `aws ec2 create-network-acl-entry --network-acl-id {acl} {} --rule-number {num} --protocol 6 --port-range From={},To={} --cidr-block <cidr> --rule-action allow`",
            if *is_egress { "--egress" } else { "--ingress" },
            ports.0.min(1024),
            ports.1
        ))
}
