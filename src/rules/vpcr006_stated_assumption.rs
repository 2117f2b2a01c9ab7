//! VPCR006 stated-assumption: the analysis assumed something the snapshot does not say.

use super::declare::declare_rule;
use super::{Cx, Finding};

declare_rule! {
    /// ## What it checks
    /// A default that vpcreach applied because the snapshot is silent: `enableDnsSupport` (AWS
    /// default true) when `VpcAttributes` is absent, AmazonProvidedDNS when the DHCP options are
    /// not captured, every subnet audited with the default security group when there is no ECS
    /// service.
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
    /// Capture the data the assumption stands in for, or pass the workload on the command line
    /// (`--subnet`, `--security-group`, `--assign-public-ip`).
    code: "VPCR006", name: "stated-assumption", severity: Info, summary: "the analysis assumed something the snapshot does not say",
}

pub(crate) fn finding(cx: &Cx<'_>, text: &str, resource_id: Option<&str>) -> Finding {
    let gap = cx.snapshot.gaps.iter().find(|g| text.contains(&format!("`{}`", g.key)) || text.contains(&g.key));
    let denied;
    let help = if let Some(g) = gap {
        denied = format!(
            "the export could not call {} ({}): grant it to the exporting role (docs/iam-policy.json) and export again",
            g.operation, g.error_code
        );
        denied.as_str()
    } else if text.contains("HostedZones") {
        "capture the private hosted zones associated with the VPC (`vpcreach snapshot` does; or `aws route53 list-hosted-zones-by-vpc`, `get-hosted-zone`, `list-resource-record-sets` into `HostedZones`), or write `\"HostedZones\": []` if there are none"
    } else if text.contains("enableDns") {
        "capture the VPC attributes (`aws ec2 describe-vpc-attribute --vpc-id <vpc> --attribute enableDnsSupport`, and `enableDnsHostnames`) into `VpcAttributes`"
    } else if text.contains("DHCP") || text.contains("AmazonProvidedDNS") {
        "capture `aws ec2 describe-dhcp-options` into `DhcpOptions`"
    } else {
        "capture the data the assumption stands in for, or give the workload on the command line (`--subnet`, `--security-group`, `--assign-public-ip`)"
    };
    let mut f = Finding::new(&RULE, format!("assumed: {text}")).help(help);
    if let Some(id) = resource_id {
        f = f.id(id).label(cx.span_of(id), "assumption about this resource");
    }
    f
}
