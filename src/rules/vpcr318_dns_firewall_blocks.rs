//! VPCR318 dns-firewall-blocks: a Route 53 Resolver DNS Firewall rule blocks the service name.

use super::declare::declare_rule;
use super::Finding;
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The DNS Firewall rule groups associated with the task's VPC, lowest association priority
    /// first and each group's rules lowest priority first (DNS-5): the first rule whose domain
    /// list holds the service hostname decides, and here it is a `BLOCK` rule. With
    /// `INSPECT_REDIRECTION_DOMAIN` (the default) the names of a private zone's CNAME chain
    /// are inspected the same way, so a block of the CNAME target counts too.
    ///
    /// ## Why it matters
    /// The VPC resolver answers NODATA, NXDOMAIN or the override domain instead of the
    /// service's addresses, whatever endpoint, private zone or NAT gateway would have carried
    /// the traffic: `lookup … no such host`, and the runner never starts. A common cause is an
    /// allow list followed by a rule that blocks `*`, with one of the runner's services
    /// missing from the allow list.
    ///
    /// ## Example
    /// ```json
    /// { "FirewallRules": [ { "FirewallRuleGroupId": "rslvr-frg-…", "Priority": 200,
    ///   "Action": "BLOCK", "BlockResponse": "NXDOMAIN", "FirewallDomainListId": "rslvr-fdl-all" } ] }
    /// ```
    ///
    /// ## How to fix
    /// Add the hostname (or `*.amazonaws.com`) to a domain list of an `ALLOW` rule inspected
    /// before the blocking rule, or narrow the blocking rule's domain list.
    code: "VPCR318", name: "dns-firewall-blocks", severity: Error, summary: "a Route 53 Resolver DNS Firewall rule blocks the service name",
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn finding(
    vpc: &VpcId,
    association: &str,
    rule_group: &str,
    rule: &str,
    domain_list: Option<&str>,
    name: &str,
    hostname: &str,
    response: &str,
    span: Span,
) -> Finding {
    let what = if name == hostname { hostname.to_owned() } else { format!("{name}, the CNAME target of {hostname}") };
    let list = domain_list.map_or_else(String::new, |l| format!(" (domain list {l})"));
    Finding::new(&RULE, format!("DNS Firewall {rule}{list} blocks {what} in {vpc}: the resolver answers {response}"))
        .id(rule_group)
        .id(association)
        .id(domain_list.unwrap_or_default())
        .label(Some(span), "the first rule that holds the name")
        .help(format!("allow {name} in a rule inspected before {rule}, or take it out of the blocking rule's domain list"))
}
