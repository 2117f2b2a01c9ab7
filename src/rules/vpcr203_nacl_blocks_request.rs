//! VPCR203 nacl-blocks-request: a network ACL denies the request to the service.

use super::declare::declare_rule;
use super::{Cx, Finding, RuleInfo};
use crate::reachability::Fact;

declare_rule! {
    /// ## What it checks
    /// On a subnet the request crosses (the task subnet, the endpoint subnet, the NAT gateway's
    /// subnet), the first matching NACL entry for TCP 443 toward the service (or, on the far
    /// subnet, from the task) is a DENY, or no entry matches and the `*` rule denies (NACL-2,
    /// NACL-4, NACL-5).
    ///
    /// ## Why it matters
    /// NACLs are stateless and ordered: the first match decides, later allow entries never see the
    /// packet.
    ///
    /// ## Example
    /// ```json
    /// { "Entries": [ { "RuleNumber": 100, "Egress": true, "Protocol": "6", "PortRange": { "From": 443, "To": 443 }, "RuleAction": "deny", "CidrBlock": "0.0.0.0/0" } ] }
    /// ```
    ///
    /// ## How to fix
    /// Add an ALLOW entry with a lower rule number than the DENY (or before `*`) for TCP 443 to the
    /// service's CIDRs (NACLs cannot use prefix lists: use the service CIDRs, NACL-7).
    code: "VPCR203", name: "nacl-blocks-request", severity: Error, summary: "a network ACL denies the request to the service",
}

pub(crate) fn finding(cx: &Cx<'_>, fact: &Fact) -> Finding {
    nacl_finding(&RULE, cx, fact, "request", |from| from)
}

/// Shared by VPCR203 and VPCR204: the wording differs only in the leg.
pub(super) fn nacl_finding(info: &RuleInfo, cx: &Cx<'_>, fact: &Fact, leg: &str, from: fn(u16) -> u16) -> Finding {
    let Fact::NaclBlocks { acl, subnet, is_egress, rule_number, entry, remote, ports, is_partial, .. } = fact else {
        return Finding::new(info, "network ACL decision");
    };
    let direction = if *is_egress { "outbound" } else { "inbound" };
    let rule = rule_number.map_or("the default * rule".to_owned(), |n| format!("rule {n}"));
    let port_text = if ports.0 == ports.1 { format!("TCP {}", ports.0) } else { format!("TCP {}-{}", ports.0, ports.1) };
    let what = if *is_partial { "partly denies" } else { "denies" };
    // NAT-6: the replies to a NAT gateway come back to its translated ports, any of 1024-65535.
    let nat = (!*is_egress && *ports == (1024, 65535))
        .then(|| cx.snapshot.nat_gateways.values().find(|n| n.subnet_id.as_ref() == Some(subnet)))
        .flatten()
        .map(|n| format!(": NAT gateway {} in this subnet takes its source ports from all of 1024-65535 (NAT-6), so a reply to a refused port is dropped", n.id))
        .unwrap_or_default();
    let mut f = Finding::new(
        info,
        format!(
            "network ACL {acl} on {subnet} {what} {direction} {leg} {port_text} {} {remote} ({rule}){nat}",
            if *is_egress { "to" } else { "from" }
        ),
    );
    if *is_partial {
        f = f.severity(super::Severity::Warning);
    }
    let num = rule_number.map_or(90, |n| (n - 1).max(1));
    // NACL-6: replies need 1024-65535 whole (less would raise VPCR205); the remote, when it is
    // one CIDR, is filled in (a reply from many, the service's public ranges, takes 0.0.0.0/0,
    // as AWS's own examples do).
    let single = !remote.contains(", ") && !remote.contains(' ') && remote.contains('/');
    let is_reply = leg.contains("reply");
    let to = if is_reply { 65535 } else { ports.1 };
    let cidr = match (single, is_reply) {
        (true, _) => remote.to_string(),
        (false, true) => "0.0.0.0/0".to_owned(),
        (false, false) => "<cidr>".to_owned(),
    };
    f.id(acl)
        .id(subnet)
        .label(entry.or_else(|| cx.span_of(acl.as_str())), format!("{rule} matches first"))
        .help(format!(
            "add an allow entry before it: `aws ec2 create-network-acl-entry --network-acl-id {acl} {} --rule-number {num} --protocol 6 --port-range From={},To={to} --cidr-block {cidr} --rule-action allow`",
            if *is_egress { "--egress" } else { "--ingress" },
            from(ports.0),
        ))
}
