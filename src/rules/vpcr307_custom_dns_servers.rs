//! VPCR307 custom-dns-not-forwarding: the VPC uses custom DNS servers.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The VPC's DHCP options set names custom `domain-name-servers` instead of AmazonProvidedDNS
    /// (DNS-4).
    ///
    /// ## Why it matters
    /// Endpoint private DNS and private hosted zones only apply if those servers forward the names
    /// to the VPC resolver (VPC+2); the snapshot cannot show that, so the verdict is `unknown`.
    ///
    /// ## Example
    /// ```json
    /// { "DhcpOptions": [ { "DhcpOptionsId": "dopt-…", "DhcpConfigurations": [ { "Key": "domain-name-servers", "Values": [ { "Value": "10.0.0.53" } ] } ] } ] }
    /// ```
    ///
    /// ## How to fix
    /// Make the custom servers forward `amazonaws.com` to the VPC resolver (the VPC CIDR base + 2),
    /// or use AmazonProvidedDNS.
    code: "VPCR307", name: "custom-dns-not-forwarding", severity: Warning, summary: "the VPC uses custom DNS servers",
}

pub(crate) fn finding(cx: &Cx<'_>, vpc: &VpcId, dhcp_options: &DhcpOptionsId, servers: &[String]) -> Finding {
    Finding::new(&RULE, format!("{vpc} resolves through custom DNS servers {}", servers.join(", ")))
        .id(vpc)
        .id(dhcp_options)
        .label(cx.span_of(dhcp_options.as_str()), "domain-name-servers")
        .help("make sure these servers forward amazonaws.com to the VPC resolver (VPC CIDR base + 2), or switch to AmazonProvidedDNS")
}
