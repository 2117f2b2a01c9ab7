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
    // NACL-6: replies need 1024-65535 whole (less would raise VPCR205); the remote, when it is
    // one CIDR, is filled in (a reply from many, the service's public ranges, takes 0.0.0.0/0,
    // as AWS's own examples do).
    let single = !remote.contains(", ") && !remote.contains(' ') && remote.contains('/');
    let is_reply = leg.contains("reply");
    let to = if is_reply { 65535 } else { ports.1 };
    // One address of a subnet (an endpoint's ENI): the subnet's CIDR, so that one entry covers
    // the endpoints there (a network ACL holds 20 entries per direction by default).
    let widened = single.then(|| subnet_of_address(cx, remote)).flatten();
    let cidr = match (&widened, single, is_reply) {
        (Some((_, cidr)), ..) => cidr.clone(),
        (None, true, _) => remote.to_string(),
        (None, false, true) => "0.0.0.0/0".to_owned(),
        (None, false, false) => "<cidr>".to_owned(),
    };
    let for_subnet = widened.map(|(id, _)| format!(" (the CIDR of {id}, which holds {remote})")).unwrap_or_default();
    let taken = cx.snapshot.network_acls.get(acl).map(|a| if *is_egress { &a.outbound } else { &a.inbound });
    let taken: Vec<i64> = taken.into_iter().flatten().map(|e| e.rule_number).collect();
    let direction_flag = if *is_egress { "--egress" } else { "--ingress" };
    let Some(num) = free_rule_number(&taken, *rule_number) else {
        // NACL-2: entries cannot be renumbered in place.
        return f.id(acl).id(subnet).label(entry.or_else(|| cx.span_of(acl.as_str())), format!("{rule} matches first")).help(format!(
            "no rule number below {} is free in {acl}'s {direction} entries: delete {rule} and create it again at a free higher number, then add an allow entry below that number for TCP {}-{to} {} {cidr}{for_subnet}",
            rule_number.unwrap_or_default(),
            from(ports.0),
            if *is_egress { "to" } else { "from" },
        ));
    };
    let numbering = match rule_number {
        Some(n) => format!("{num}: the highest free number below {n}; another entry needs another number"),
        None => "another entry needs another rule number".to_owned(),
    };
    f.id(acl)
        .id(subnet)
        .label(entry.or_else(|| cx.span_of(acl.as_str())), format!("{rule} matches first"))
        .help(format!(
            "add an allow entry before it{for_subnet}: `aws ec2 create-network-acl-entry --network-acl-id {acl} {direction_flag} --rule-number {num} --protocol 6 --port-range From={},To={to} --cidr-block {cidr} --rule-action allow` ({numbering})",
            from(ports.0),
        ))
}

/// NACL-2: a rule number not `taken` in the direction that is evaluated before `before` (the
/// rule that matched; `None`, the default `*` rule, comes after every number): the highest free
/// number below it, or for the default rule 90 or the nearest free one.
fn free_rule_number(taken: &[i64], before: Option<i64>) -> Option<i64> {
    let free = |n: &i64| !taken.contains(n);
    match before {
        Some(n) => (1..n).rev().find(free),
        None => (1..=90).rev().chain(91..=32766).find(free),
    }
}

/// The subnet of the ENI that holds `remote`, a single address (`a.b.c.d/32`, an endpoint's
/// ENI), with that subnet's CIDR; `None` for another address (found through the snapshot's
/// address index: 11,000 such findings at 1,000 VPCs, each scanning every subnet, tripled the
/// report's time).
fn subnet_of_address(cx: &Cx<'_>, remote: &str) -> Option<(String, String)> {
    let net: ipnet::Ipv4Net = remote.parse().ok()?;
    if net.prefix_len() != 32 {
        return None;
    }
    let eni = cx.snapshot.eni_with_ip(net.addr())?;
    let subnet = eni.subnet_id.as_ref().and_then(|s| cx.snapshot.subnets.get(s))?;
    Some((subnet.id.to_string(), subnet.cidr?.to_string()))
}

#[cfg(test)]
mod tests {
    use super::free_rule_number;

    /// NACL-2: the allow entry must come before the rule that matched and take a free number.
    #[test]
    fn the_rule_number_is_free_and_before_the_matching_rule() {
        assert_eq!(free_rule_number(&[100, 200], Some(100)), Some(99));
        assert_eq!(free_rule_number(&[98, 99, 100], Some(100)), Some(97));
        assert_eq!(free_rule_number(&[1, 2], Some(2)), None);
        assert_eq!(free_rule_number(&[1], Some(1)), None);
        // The default `*` rule comes after every number: 90, or the nearest free one.
        assert_eq!(free_rule_number(&[100], None), Some(90));
        assert_eq!(free_rule_number(&[90, 100], None), Some(89));
        let all_low: Vec<i64> = (1..=90).collect();
        assert_eq!(free_rule_number(&all_low, None), Some(91));
    }
}
