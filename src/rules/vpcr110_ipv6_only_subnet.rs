//! VPCR110 ipv6-only-subnet: the workload subnet is IPv6-only.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// A workload subnet without an IPv4 CIDR.
    ///
    /// ## Why it matters
    /// vpcreach analyses IPv4 paths (RT-4 keeps the families apart); IPv6-only paths through
    /// egress-only gateways and DNS64 are not modelled yet, so the verdict is `unknown`.
    ///
    /// ## Example
    /// ```json
    /// { "SubnetId": "subnet-…", "Ipv6Native": true, "Ipv6CidrBlockAssociationSet": [ … ] }
    /// ```
    ///
    /// ## How to fix
    /// Check the IPv6 path by hand, or use dual-stack subnets.
    code: "VPCR110", name: "ipv6-only-subnet", severity: Warning, summary: "the workload subnet is IPv6-only",
}

pub(crate) fn finding(cx: &Cx<'_>, subnet: &SubnetId) -> Finding {
    Finding::new(&RULE, format!("subnet {subnet} has no IPv4 CIDR; IPv6 paths are not analysed"))
        .id(subnet)
        .label(cx.span_of(subnet.as_str()), "IPv6-only")
        .help(format!("run the tasks in dual-stack subnets, or check {subnet}'s IPv6 path (egress-only IGW, DNS64 with NAT64, IPv6 endpoint addresses) by hand"))
}
