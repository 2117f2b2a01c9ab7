//! VPCR502 public-ip-unused: the workload assigns public IPs that no path uses.

use super::declare::declare_rule;
use super::{pricing, Cx, Finding};
use crate::model::Span;

declare_rule! {
    /// ## What it checks
    /// The workload has `assignPublicIp=ENABLED`, but none of its reachable services leaves
    /// through an internet gateway: they use NAT gateways or endpoints (IGW-5, PUBLIC_IP_UNUSED).
    ///
    /// ## Why it matters
    /// Each task still gets a public IPv4 address, billed per hour since February 2024, and
    /// exposed to the internet wherever its security groups allow it, for nothing.
    ///
    /// ## Example
    /// ```json
    /// { "awsvpcConfiguration": { "subnets": ["subnet-private-…"], "assignPublicIp": "ENABLED" } }
    /// ```
    ///
    /// ## How to fix
    /// Set the runner stack's "Assign Public IP" parameter to false (`assignPublicIp=DISABLED`).
    code: "VPCR502", name: "public-ip-unused", severity: Info, summary: "the workload assigns public IPs that no path uses",
}

pub(crate) fn finding(cx: &Cx<'_>, workload: &str, egress: &[String], span: Option<Span>) -> Finding {
    let region = cx.snapshot.scopes.first().and_then(|s| s.region.clone()).unwrap_or_default();
    let (p, _) = pricing::prices(&region);
    Finding::new(
        &RULE,
        format!(
            "workload {workload} assigns public IPs, but its traffic leaves through {} ({} per task per month, {})",
            // The report's egress names, in words.
            egress
                .iter()
                .map(|e| match e.as_str() {
                    "nat_gateway" => "a NAT gateway",
                    "interface_endpoint" => "interface endpoints",
                    "gateway_endpoint" => "a gateway endpoint",
                    "internet_gateway" => "the internet gateway",
                    other => other,
                })
                .collect::<Vec<_>>()
                .join(" and "),
            pricing::monthly(p.public_ipv4_hour),
            pricing::basis(&region)
        ),
    )
    .label(span, "assignPublicIp ENABLED")
    .help("set the CloudFormation parameter \"Assign Public IP\" = false (assignPublicIp=DISABLED)")
}
