//! VPCR320 dns-server-of-another-vpc: the DHCP options send DNS queries to another VPC's
//! resolver address.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The `domain-name-servers` of the task VPC's DHCP options set (DNS-4). An address that is
    /// another VPC's primary CIDR base + 2 (a VPC in the snapshot) is that VPC's Route 53
    /// Resolver. A peered VPC cannot query it (PCX-7), and AWS does not support querying it
    /// from any other network: the Route 53 developer guide says it "can cause unstable
    /// results" and asks for a Resolver inbound endpoint instead. When no server of the list
    /// is the task VPC's own resolver (`AmazonProvidedDNS`, `169.254.169.253` or its own
    /// base + 2), the verdict is `unknown`; beside the VPC's own resolver it is a note on a
    /// server that should not be there. An address that is no VPC's resolver is a custom server
    /// (VPCR307).
    ///
    /// ## Why it matters
    /// A spoke pointed at the hub VPC's `.2` address, to get the hub's private zones and
    /// endpoint names, gets no answers or unstable ones (`lookup … i/o timeout`), whatever
    /// routes, endpoints or NAT gateways the spoke has.
    ///
    /// ## Example
    /// ```json
    /// { "DhcpOptions": [ { "DhcpOptionsId": "dopt-…", "DhcpConfigurations": [ { "Key": "domain-name-servers", "Values": [ { "Value": "10.100.0.2" } ] } ] } ] }
    /// ```
    /// with `10.100.0.0/16` the hub VPC's primary CIDR and the spoke in `10.1.0.0/16`.
    ///
    /// ## How to fix
    /// Use `AmazonProvidedDNS` in the spoke and share the hub's names with it: associate the
    /// private hosted zones with the spoke, or a Route 53 Profile, or forward to a Resolver
    /// inbound endpoint in the hub with Resolver rules.
    code: "VPCR320", name: "dns-server-of-another-vpc", severity: Warning, summary: "the DHCP options send DNS queries to another VPC's resolver",
}

pub(crate) fn finding(cx: &Cx<'_>, vpc: &VpcId, dhcp_options: &DhcpOptionsId, servers: &[(String, VpcId)], is_alone: bool) -> Finding {
    let list = servers.iter().map(|(ip, other)| format!("{ip} (the resolver of {other})")).collect::<Vec<_>>().join(", ");
    let message = if is_alone {
        format!("{vpc} sends its DNS queries to {list}, which AWS does not support from another VPC")
    } else {
        format!("{vpc} lists {list} as a DNS server beside its own resolver, which AWS does not support from another VPC")
    };
    let mut f = Finding::new(&RULE, message).id(vpc).id(dhcp_options);
    for (_, other) in servers {
        f = f.id(other);
    }
    f.label(cx.span_of(dhcp_options.as_str()), "domain-name-servers").help(format!(
        "`aws ec2 create-dhcp-options --dhcp-configurations \"Key=domain-name-servers,Values=AmazonProvidedDNS\"` (keep the set's other keys), then `aws ec2 associate-dhcp-options --vpc-id {vpc} --dhcp-options-id <new>`; share the other VPC's names through private hosted zone associations, a Route 53 Profile or Resolver rules to an inbound endpoint"
    ))
}
