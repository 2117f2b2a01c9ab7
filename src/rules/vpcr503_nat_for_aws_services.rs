//! VPCR503 nat-for-aws-services: a NAT gateway carries AWS-service traffic that endpoints could carry.

use std::collections::BTreeSet;

use super::declare::declare_rule;
use super::{pricing, Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// Some required AWS services are reached through a NAT gateway: S3 or DynamoDB, which a free
    /// gateway endpoint could carry, or interface-endpoint services such as ECR, CloudWatch Logs
    /// and Secrets Manager (NAT-12, NAT_FOR_AWS_SERVICES_COST).
    ///
    /// ## Why it matters
    /// NAT gateways bill every GB they process, on top of their hourly charge; image layers from
    /// S3 are the bulk of a runner's traffic. A gateway endpoint costs nothing; interface
    /// endpoints cost less per GB than NAT processing.
    ///
    /// ## Example
    /// ```json
    /// { "DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-…" }   // and no S3 gateway endpoint
    /// ```
    ///
    /// ## How to fix
    /// Add the S3 gateway endpoint (`aws ec2 create-vpc-endpoint --vpc-endpoint-type Gateway
    /// --service-name com.amazonaws.<region>.s3 --vpc-id <vpc> --route-table-ids <rtb>`), and
    /// weigh interface endpoints for the high-volume services against the NAT data charge.
    code: "VPCR503", name: "nat-for-aws-services", severity: Info, summary: "a NAT gateway carries AWS-service traffic that endpoints could carry",
}

pub(crate) fn finding(
    cx: &Cx<'_>,
    nat: &NatGatewayId,
    gateway_services: &[String],
    interface_services: &[String],
    task_tables: &[(String, String)],
) -> Finding {
    let vpc = cx.snapshot.nat_gateways.get(nat).and_then(|n| n.vpc_id.clone());
    let region = vpc.as_ref().and_then(|v| cx.snapshot.region_of_vpc(v)).unwrap_or_default();
    let (p, _) = pricing::prices(&region);
    let mut parts = Vec::new();
    if !gateway_services.is_empty() {
        parts.push(format!("{} (a free gateway endpoint could carry it)", gateway_services.join(", ")));
    }
    if !interface_services.is_empty() {
        parts.push(format!(
            "{} (interface endpoints: ${:.3}/GB instead of ${:.3}/GB)",
            interface_services.join(", "),
            p.endpoint_gb,
            p.nat_gb
        ));
    }
    let vpc_text = vpc.as_ref().map_or("<vpc-…>".to_owned(), ToString::to_string);
    let help = if gateway_services.is_empty() {
        format!("compare the NAT data charge with interface endpoints for {} in {vpc_text}", interface_services.join(", "))
    } else {
        let service = gateway_services.first().map_or("s3", String::as_str);
        let region = if region.is_empty() { "<region>" } else { &region };
        // EP-14: a gateway endpoint serves only its own VPC: the tasks' VPC and tables, not the
        // NAT's (a hub's); the first task VPC's command, and how many more need one.
        let task_vpc = task_tables.first().map_or(vpc_text.clone(), |(v, _)| v.clone());
        let tables: Vec<&str> = task_tables.iter().filter(|(v, _)| *v == task_vpc).map(|(_, t)| t.as_str()).collect();
        let others = task_tables.iter().map(|(v, _)| v).filter(|v| **v != task_vpc).collect::<BTreeSet<_>>().len();
        let tables = if tables.is_empty() { "<task rtb>".to_owned() } else { tables.join(" ") };
        let more = if others == 0 { String::new() } else { format!(", and the same in each of the {others} other task VPCs") };
        super::route_fix::gateway_endpoint_fix(cx, &task_vpc, &format!("com.amazonaws.{region}.{service}"), &tables) + &more
    };
    Finding::new(
        &RULE,
        format!("NAT gateway {nat} carries {} at ${:.3}/GB processed ({})", parts.join("; "), p.nat_gb, pricing::basis(&region)),
    )
    .id(nat)
    .label(cx.span_of(nat.as_str()), "AWS-service traffic is processed here")
    .help(help)
}
