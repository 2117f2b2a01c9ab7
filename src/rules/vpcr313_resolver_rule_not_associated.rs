//! VPCR313 resolver-rule-not-associated: a Resolver forward rule for the service name exists but is not associated with the task's VPC.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// A Route 53 Resolver `FORWARD` rule whose domain covers the service hostname exists in the
    /// snapshot (typically shared through RAM from a networking account, pointing at resolvers
    /// that know the hub's endpoints), but `ResolverRuleAssociations` has no association of it
    /// with the task's VPC (DNS-7, RESOLVER_RULE_NOT_ASSOCIATED), nor does a Route 53 Profile of
    /// the VPC carry it (DNS-8; when `ProfileAssociations` is not captured, the finding comes with
    /// the assumption that none does, VPCR006).
    ///
    /// ## Why it matters
    /// A rule changes resolution only in the VPCs it is associated with; sharing it is not enough.
    /// The task's VPC resolves the name itself, usually to public addresses: an error when the
    /// subnet has no path to them, a warning (hub endpoint bypassed, traffic over NAT) when it does.
    ///
    /// ## Example
    /// ```json
    /// { "Id": "rslvr-rr-…", "DomainName": "amazonaws.com.", "RuleType": "FORWARD", "ShareStatus": "SHARED_WITH_ME" }   // no association with the spoke
    /// ```
    ///
    /// ## How to fix
    /// `aws route53resolver associate-resolver-rule --resolver-rule-id <rule> --vpc-id <task vpc>`
    /// (in the task VPC's account, after accepting the RAM share).
    code: "VPCR313", name: "resolver-rule-not-associated", severity: Error, summary: "a Resolver forward rule for the service name exists but is not associated with the task's VPC",
}

pub(crate) fn finding(cx: &Cx<'_>, rule: &ResolverRuleId, domain: &str, hostname: &str, vpc: &VpcId, is_blocking: bool) -> Finding {
    let f =
        Finding::new(&RULE, format!("resolver rule {rule} forwards {domain}, which covers {hostname}, but is not associated with {vpc}"));
    let f = if is_blocking { f } else { f.severity(super::Severity::Warning) };
    f.id(rule)
        .id(vpc)
        .label(cx.span_of(rule.as_str()), format!("no association with {vpc}"))
        .help(format!(
            "`aws route53resolver associate-resolver-rule --resolver-rule-id {rule} --vpc-id {vpc}`; the servers it forwards to must then answer {hostname} with addresses {vpc} can reach"
        ))
}
