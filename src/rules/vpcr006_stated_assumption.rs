//! VPCR006 stated-assumption: the analysis assumed something the snapshot does not say.

use super::declare::declare_rule;
use super::{Cx, Finding};

declare_rule! {
    /// ## What it checks
    /// A default that vpcreach applied because the snapshot is silent: `enableDnsSupport` (AWS
    /// default true) when `VpcAttributes` is absent, AmazonProvidedDNS when the DHCP options are
    /// not captured, every subnet audited with the default security group when there is no ECS
    /// service, no DNS Firewall or Route 53 Profile when those are not captured, and what a DNS
    /// Firewall rule the snapshot cannot evaluate (an AWS-managed domain list, an Advanced rule)
    /// or an interface endpoint a Profile carries is assumed to do.
    ///
    /// ## Why it matters
    /// The verdict holds only if the assumption does. It is said once, so a reviewer can check it.
    ///
    /// ## Example
    /// ```json
    /// { "Vpcs": [ { "VpcId": "vpc-…", "DhcpOptionsId": "dopt-…" } ] }   // no "DhcpOptions"
    /// ```
    ///
    /// ## How to fix
    /// Capture the data the assumption stands in for (the help line says which call), check
    /// what it says by hand where the snapshot cannot show it, or pass the workload on the
    /// command line (`--subnet`, `--security-group`, `--assign-public-ip`).
    code: "VPCR006", name: "stated-assumption", severity: Info, summary: "the analysis assumed something the snapshot does not say",
}

pub(crate) fn finding(cx: &Cx<'_>, text: &str, resource_id: Option<&str>) -> Finding {
    let gap = cx.snapshot.gaps.iter().find(|g| text.contains(&format!("`{}`", g.key)) || text.contains(&g.key));
    let denied;
    let attributes;
    let help = if let Some(g) = gap {
        denied = format!(
            "the export could not call {} ({}): grant it to the exporting role (docs/iam-policy.json) and export again",
            g.operation, g.error_code
        );
        denied.as_str()
    } else if text.contains("HostedZones") {
        "capture the private hosted zones associated with the VPC (`vpcreach snapshot` does; or `aws route53 list-hosted-zones-by-vpc`, `get-hosted-zone`, `list-resource-record-sets` into `HostedZones`), or write `\"HostedZones\": []` if there are none"
    } else if text.contains("enableDns") {
        // The VPC the assumption is about, when it names one.
        let vpc = resource_id.filter(|id| id.starts_with("vpc-")).unwrap_or("<vpc>");
        attributes = format!(
            "capture the VPC attributes (`aws ec2 describe-vpc-attribute --vpc-id {vpc} --attribute enableDnsSupport`, and `enableDnsHostnames`) into `VpcAttributes`"
        );
        attributes.as_str()
    } else if text.contains("DHCP") || text.contains("AmazonProvidedDNS") {
        "capture `aws ec2 describe-dhcp-options` into `DhcpOptions`"
    } else if text.contains("`FirewallRuleGroupAssociations`") {
        "capture DNS Firewall (`vpcreach snapshot` does; or `aws route53resolver list-firewall-rule-group-associations`, `list-firewall-rules` and `list-firewall-domains` into `FirewallRuleGroupAssociations`, `FirewallRules` and `FirewallDomainLists`), or write `\"FirewallRuleGroupAssociations\": []` if the region has none"
    } else if text.contains("DNS Firewall") {
        "check in the Route 53 Resolver console that this rule does not block the service names, or put an ALLOW rule for them (`*.amazonaws.com`) at a lower priority number than it"
    } else if text.contains("`ProfileAssociations`") {
        "capture Route 53 Profiles (`vpcreach snapshot` does; or `aws route53profiles list-profile-associations` and `list-profile-resource-associations` into `ProfileAssociations` and `ProfileResourceAssociations`), or write `\"ProfileAssociations\": []` if the region has none"
    } else if text.contains("Route 53 Profile") {
        "to depend on no assumption, associate a private hosted zone for the service name with the VPC (or with the Profile) that aliases it to the endpoint"
    } else {
        "capture the data the assumption stands in for, or give the workload on the command line (`--subnet`, `--security-group`, `--assign-public-ip`)"
    };
    let mut f = Finding::new(&RULE, format!("assumed: {text}")).help(help);
    if let Some(id) = resource_id {
        f = f.id(id).label(cx.span_of(id), "assumption about this resource");
    }
    f
}
