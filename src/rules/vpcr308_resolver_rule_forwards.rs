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
    Finding::new(&RULE, format!("resolver rule {rule} forwards {hostname} ({domain}) to servers outside the snapshot"))
        .id(rule)
        .label(cx.span_of(rule.as_str()), "forward rule")
        .help(format!("add a SYSTEM resolver rule for {domain} if the VPC resolver should answer"))
}
