//! VPCR308 resolver-rule-forwards: a Route 53 Resolver rule forwards the service name elsewhere.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// A FORWARD Resolver rule associated with the task's VPC is the most specific match for the
    /// service hostname (a rule for exactly the same name beats a private hosted zone, DNS-7).
    ///
    /// ## Why it matters
    /// The answer comes from DNS servers outside the snapshot, so the verdict is `unknown`.
    ///
    /// ## Example
    /// ```json
    /// { "ResolverRules": [ { "Id": "rslvr-rr-…", "DomainName": "amazonaws.com.", "RuleType": "FORWARD" } ] }
    /// ```
    ///
    /// ## How to fix
    /// Add a SYSTEM rule for `amazonaws.com` (AWS recommends it under a forward rule for `.`), or
    /// check what the target servers answer.
    code: "VPCR308", name: "resolver-rule-forwards", severity: Warning, summary: "a Route 53 Resolver rule forwards the service name elsewhere",
}

pub(crate) fn finding(cx: &Cx<'_>, rule: &ResolverRuleId, domain: &str, hostname: &str) -> Finding {
    // DNS-7: the same name is answered by taking the rule off the VPC; a broader one by a
    // SYSTEM rule for the service's own name (more specific, so it wins).
    let vpc = cx.pair.and_then(|p| p.vpc_id.as_ref()).map_or("<vpc-…>".to_owned(), ToString::to_string);
    // A rule for the root is stored as "": shown as ".".
    let domain = if domain.is_empty() { "." } else { domain };
    let exact = domain.trim_end_matches('.').eq_ignore_ascii_case(hostname);
    let named = if exact { String::new() } else { format!(" ({domain})") };
    let help = if exact {
        format!(
            "if the VPC resolver should answer {hostname}, take the rule off the VPC: `aws route53resolver disassociate-resolver-rule --vpc-id {vpc} --resolver-rule-id {rule}`; else make the servers it forwards to answer with the service's addresses"
        )
    } else {
        format!(
            "if the VPC resolver should answer {hostname}, give it a SYSTEM rule, which is more specific than {domain}: `aws route53resolver create-resolver-rule --rule-type SYSTEM --domain-name {hostname} --creator-request-id <unique>`, then `aws route53resolver associate-resolver-rule --vpc-id {vpc} --resolver-rule-id <new rule>`; else make the servers it forwards to answer with the service's addresses"
        )
    };
    Finding::new(&RULE, format!("resolver rule {rule} forwards {hostname}{named} to servers outside the snapshot"))
        .id(rule)
        .label(cx.span_of(rule.as_str()), "forward rule")
        .help(help)
}
