//! VPCR320 dns-server-of-another-vpc: the DHCP options send DNS queries to another VPC's
//! resolver address.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The `domain-name-servers` of the task VPC's DHCP options set (DNS-4). An address that is
    /// another VPC's primary CIDR base + 2 (in the snapshot) is that VPC's Route 53 Resolver,
    /// which answers only queries from inside its own VPC: peered, TGW-attached and on-premises
    /// networks cannot query it (PCX-7). When no server of the list is the task VPC's own
    /// resolver (`AmazonProvidedDNS`, `169.254.169.253` or its own base + 2), nothing resolves;
    /// beside the VPC's own resolver such an address is a warning (each query sent to it first
    /// times out). An address that is no VPC's resolver is a custom server (VPCR307).
    ///
    /// ## Why it matters
    /// A spoke pointed at the hub VPC's `.2` address, to get the hub's private zones and
    /// endpoint names, gets no answers at all: `lookup … i/o timeout`, and the runner never
    /// starts, whatever routes, endpoints or NAT gateways the spoke has.
    ///
    /// ## Example
    /// ```json
    /// { "DhcpOptions": [ { "DhcpOptionsId": "dopt-…", "DhcpConfigurations": [ { "Key": "domain-name-servers", "Values": [ { "Value": "10.0.0.2" } ] } ] } ] }
    /// ```
    /// with `10.0.0.0/16` the hub VPC's primary CIDR and the spoke in `10.1.0.0/16`.
    ///
    /// ## How to fix
    /// Use `AmazonProvidedDNS` in the spoke and share the hub's names with it: associate the
    /// private hosted zones with the spoke, or a Route 53 Profile, or forward to a Resolver
    /// inbound endpoint in the hub with Resolver rules.
    code: "VPCR320", name: "dns-server-of-another-vpc", severity: Error, summary: "the DHCP options send DNS queries to another VPC's resolver",
}

pub(crate) fn finding(cx: &Cx<'_>, vpc: &VpcId, dhcp_options: &DhcpOptionsId, servers: &[(String, VpcId)], is_blocking: bool) -> Finding {
    let list = servers.iter().map(|(ip, other)| format!("{ip} (the resolver of {other})")).collect::<Vec<_>>().join(", ");
    let message = if is_blocking {
        format!("{vpc} sends its DNS queries to {list}, which answers only inside its own VPC: nothing resolves")
    } else {
        format!("{vpc} lists {list} as a DNS server beside its own resolver: queries sent there time out first")
    };
    let mut f = Finding::new(&RULE, message);
    if !is_blocking {
        f = f.severity(super::Severity::Warning);
    }
    f = f.id(vpc).id(dhcp_options);
    for (_, other) in servers {
        f = f.id(other);
    }
    f.label(cx.span_of(dhcp_options.as_str()), "domain-name-servers").help(format!(
        "create DHCP options with `domain-name-servers=AmazonProvidedDNS` and `aws ec2 associate-dhcp-options --vpc-id {vpc} --dhcp-options-id <new>`; share the other VPC's names through private hosted zone associations, a Route 53 Profile or Resolver rules to an inbound endpoint"
    ))
}
