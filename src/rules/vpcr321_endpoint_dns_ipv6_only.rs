//! VPCR321 endpoint-dns-ipv6-only: the interface endpoint's private DNS creates AAAA records
//! only, so an IPv4 task gets no address for the service.

use super::declare::declare_rule;
use super::{Cx, Finding, Severity};
use crate::model::*;
use crate::reachability::TaskIpv6;

declare_rule! {
    /// ## What it checks
    /// The interface endpoint whose private DNS answers for the service name has
    /// `DnsOptions.DnsRecordIpType` set to `ipv6` (EP-6): its private hosted zone holds AAAA
    /// records only. The zone is authoritative for the name, so an IPv4 (A) query gets no
    /// address and does not fall back to public DNS (DNS-6). vpcreach analyses IPv4: from a task
    /// subnet without an IPv6 CIDR (FG-1), or with task security groups that allow no IPv6
    /// egress on the port (SG-8), the service is unreachable; otherwise a task with an IPv6
    /// address may use the AAAA records, a path vpcreach does not follow, so the verdict is
    /// `unknown`.
    ///
    /// ## Why it matters
    /// The endpoint is `available`, private DNS is on and the security groups are right, but
    /// the runner's lookups return no address (`no such host`).
    ///
    /// ## Example
    /// ```json
    /// { "VpcEndpointType": "Interface", "IpAddressType": "dualstack", "DnsOptions": { "DnsRecordIpType": "ipv6" } }
    /// ```
    ///
    /// ## How to fix
    /// Create A records too: `aws ec2 modify-vpc-endpoint --vpc-endpoint-id <vpce> --dns-options
    /// DnsRecordIpType=dualstack` (or `ipv4`).
    code: "VPCR321", name: "endpoint-dns-ipv6-only", severity: Error, summary: "the interface endpoint's private DNS gives no IPv4 address",
}

pub(crate) fn finding(cx: &Cx<'_>, endpoint: &VpcEndpointId, hostname: &str, task_ipv6: TaskIpv6) -> Finding {
    let (tail, severity) = match task_ipv6 {
        TaskIpv6::Possible => (
            ": the task subnet has an IPv6 CIDR and a task security group allows IPv6 egress, so a task with an IPv6 address may use the AAAA records, a path vpcreach does not analyse",
            Severity::Warning,
        ),
        TaskIpv6::NoSubnetCidr => (": the task subnet has no IPv6 CIDR, so the tasks get no address for it (FG-1)", Severity::Error),
        TaskIpv6::NoGroupEgress => (
            ": the task subnet has an IPv6 CIDR, but no task security group allows IPv6 egress on this port, so an IPv6 path is closed too (SG-8)",
            Severity::Error,
        ),
    };
    Finding::new(
        &RULE,
        format!("interface endpoint {endpoint} answers {hostname} with AAAA records only (DnsRecordIpType ipv6), and an IPv4 lookup gets no address{tail}"),
    )
    .severity(severity)
    .id(endpoint)
    .label(cx.span_of(endpoint.as_str()), "DnsRecordIpType ipv6")
    .help(format!("`aws ec2 modify-vpc-endpoint --vpc-endpoint-id {endpoint} --dns-options DnsRecordIpType=dualstack` (or `ipv4`)"))
}
