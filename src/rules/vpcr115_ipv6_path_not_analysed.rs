//! VPCR115 ipv6-path-not-analysed: the IPv4 path fails, but the task may connect over IPv6.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// A result whose IPv4 path fails from a task subnet with an IPv6 CIDR, when the service's
    /// name also leads somewhere over IPv6: an interface endpoint whose private DNS answers with
    /// AAAA records too (`DnsRecordIpType` `dualstack`, EP-4), or DNS64 on the subnet with
    /// `64:ff9b::/96` routed to a NAT gateway (NAT64, NAT-11) for a public name.
    ///
    /// ## Why it matters
    /// A task gets an IPv6 address in such a subnet when the ECS `dualStackIPv6` account setting
    /// is on (FG-1), which a snapshot does not hold, and clients then try IPv6 first. vpcreach
    /// analyses IPv4 paths only, so it cannot say the service is unreachable: the verdict is
    /// `unknown`, and the IPv4 path's own diagnostics stay listed.
    ///
    /// ## Example
    /// ```json
    /// { "SubnetId": "subnet-…", "EnableDns64": true, "Ipv6CidrBlockAssociationSet": [ … ] }
    /// ```
    ///
    /// ## How to fix
    /// Fix the IPv4 path (the other diagnostics of the result), or check the IPv6 path by hand:
    /// the task security group's and the network ACLs' IPv6 rules, the endpoint's security group
    /// for the tasks' IPv6 CIDR, the NAT gateway's route to the internet.
    code: "VPCR115", name: "ipv6-path-not-analysed", severity: Warning, summary: "the IPv4 path fails, but the task may connect over IPv6",
}

pub(crate) fn finding(cx: &Cx<'_>, subnet: &SubnetId, hostname: &str, how: &str, resource: &str) -> Finding {
    Finding::new(
        &RULE,
        format!("the IPv4 path from {subnet} to {hostname} fails, but a task with an IPv6 address may connect over IPv6: {how}; vpcreach does not analyse IPv6 paths"),
    )
    .id(subnet)
    .id(resource)
    .label(cx.span_of(resource).or_else(|| cx.span_of(subnet.as_str())), "an IPv6 way to the service")
    .help(format!(
        "tasks in {subnet} get an IPv6 address only with the ECS `dualStackIPv6` account setting (`aws ecs list-account-settings --effective-settings --name dualStackIPv6`); fix the IPv4 path, or check the IPv6 one by hand (IPv6 rules of the security groups and network ACLs on the way)"
    ))
}
