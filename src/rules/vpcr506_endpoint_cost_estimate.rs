//! VPCR506 endpoint-cost-estimate: what the VPC's interface endpoints cost, against NAT gateways.

use super::declare::declare_rule;
use super::{pricing, Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// For each VPC holding workload subnets and available interface endpoints: the endpoints'
    /// monthly hourly charge (per endpoint per AZ, the guide's ~$7.20 per endpoint per AZ per
    /// month) against one NAT gateway per task AZ with its Elastic IP (a public IPv4 address,
    /// IGW-10), with the per-GB charges of each (§12, EP-2). Prices are data (`src/rules/pricing.rs`); regions without their own row are
    /// estimated with us-east-1 list prices, and the finding says so.
    ///
    /// ## Why it matters
    /// A private runner stack needs up to 18 endpoints in each AZ; that is a real monthly bill,
    /// sometimes more than the NAT gateways it replaces. The estimate puts the design choice in
    /// numbers; it excludes data volumes, which the snapshot does not hold.
    ///
    /// ## Example
    /// ```json
    /// { "VpcEndpointType": "Interface", "SubnetIds": ["subnet-a", "subnet-b"] }   // × 5 endpoints
    /// ```
    ///
    /// ## How to fix
    /// Nothing to fix: drop endpoints nobody uses, keep one subnet per task AZ, and use the free
    /// gateway endpoints for S3 and DynamoDB.
    code: "VPCR506", name: "endpoint-cost-estimate", severity: Info, summary: "what the VPC's interface endpoints cost, against NAT gateways",
}

pub(crate) fn finding(
    cx: &Cx<'_>,
    vpc: &VpcId,
    endpoints: usize,
    endpoint_azs: usize,
    azs: usize,
    nat_gateways: usize,
    region: &str,
) -> Finding {
    let (p, _) = pricing::prices(region);
    let endpoint_cost = endpoint_azs as f64 * p.endpoint_az_hour;
    // A public NAT gateway holds an Elastic IP, billed as a public IPv4 address (NAT-1, IGW-10).
    let nat_cost = azs as f64 * (p.nat_hour + p.public_ipv4_hour);
    let existing = if nat_gateways == 0 { String::new() } else { format!("; the VPC also runs {nat_gateways} NAT gateway(s)") };
    Finding::new(
        &RULE,
        format!(
            "{vpc}: {endpoints} interface endpoint{} in {endpoint_azs} endpoint-AZs cost{} about {}/month plus ${:.3}/GB; one NAT gateway per task AZ ({azs}), each with its Elastic IP, would cost about {}/month plus ${:.3}/GB{existing} ({})",
            if endpoints == 1 { "" } else { "s" },
            if endpoints == 1 { "s" } else { "" },
            pricing::monthly(endpoint_cost),
            p.endpoint_gb,
            pricing::monthly(nat_cost),
            p.nat_gb,
            pricing::basis(region)
        ),
    )
    .id(vpc)
    .label(cx.span_of(vpc.as_str()), "interface endpoints of this VPC")
    .help("a cost estimate from list prices, without data volumes; gateway endpoints for S3 and DynamoDB are free")
}
