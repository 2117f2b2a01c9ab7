//! VPCR319 dns-firewall-uncertain: a Route 53 Resolver DNS Firewall rule may block the service name.

use super::declare::declare_rule;
use super::Finding;
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// Whether a DNS Firewall rule of the task's VPC may block the service name although the
    /// snapshot cannot show it does (DNS-5). The case it names: the name is resolved by AWS's
    /// public DNS (the NAT gateway or internet gateway path), a rule blocks every name (`*`),
    /// and the rule that lets the hostname through inspects redirections
    /// (`INSPECT_REDIRECTION_DOMAIN`, the default): if the public answer is a CNAME chain, each
    /// of its names must be allowed too, and the chain is not in the snapshot. The verdict is
    /// `unknown`.
    ///
    /// ## Why it matters
    /// An allow list that holds the service hostnames but not the names AWS's answers are
    /// redirected to blocks the service all the same.
    ///
    /// ## Example
    /// ```json
    /// { "FirewallRules": [
    ///   { "Priority": 100, "Action": "ALLOW", "FirewallDomainListId": "rslvr-fdl-aws" },
    ///   { "Priority": 200, "Action": "BLOCK", "FirewallDomainListId": "rslvr-fdl-all" } ] }
    /// ```
    ///
    /// ## How to fix
    /// Set `FirewallDomainRedirectionAction` to `TRUST_REDIRECTION_DOMAIN` on the allowing
    /// rule, or check the chain (`dig +short <hostname>` from the VPC) and allow its names.
    code: "VPCR319", name: "dns-firewall-uncertain", severity: Warning, summary: "a Route 53 Resolver DNS Firewall rule may block the service name",
}

pub(crate) fn finding(vpc: &VpcId, rule_group: &str, rule: &str, hostname: &str, reason: &str, span: Span) -> Finding {
    Finding::new(&RULE, format!("DNS Firewall {rule} may block {hostname} in {vpc}: {reason}"))
        .id(rule_group)
        .label(Some(span), "blocks the names not allowed before it")
        .help(format!(
            "set FirewallDomainRedirectionAction to TRUST_REDIRECTION_DOMAIN on the rule that allows {hostname}, or allow the names its answer is redirected to"
        ))
}
