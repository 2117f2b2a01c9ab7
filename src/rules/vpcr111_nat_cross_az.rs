//! VPCR111 nat-cross-az: the subnet's traffic goes to a NAT gateway in another Availability Zone.

use super::declare::declare_rule;
use super::{pricing, Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The NAT gateway that carries the subnet's traffic (directly, or the hub's NAT behind a
    /// transit gateway attachment subnet) sits in another AZ than that subnet (NAT-4, NAT-10,
    /// NAT_CROSS_AZ).
    ///
    /// ## Why it matters
    /// It works, but every byte crosses AZs, which is billed in each direction on top of NAT
    /// processing, and an outage of the NAT's AZ takes this subnet's egress with it, defeating
    /// the multi-AZ placement of the service.
    ///
    /// ## Example
    /// ```json
    /// { "NatGatewayId": "nat-…", "SubnetId": "subnet-public-a" }   // used by a task subnet in us-east-1b
    /// ```
    ///
    /// ## How to fix
    /// Create a NAT gateway in a public subnet of the task's AZ (`aws ec2 create-nat-gateway
    /// --subnet-id <public subnet in that AZ> --allocation-id <eipalloc-…>`) and point that AZ's
    /// route table at it.
    code: "VPCR111", name: "nat-cross-az", severity: Warning, summary: "the subnet's traffic goes to a NAT gateway in another Availability Zone",
}

pub(crate) fn finding(cx: &Cx<'_>, nat: &NatGatewayId, nat_az: &str, from_subnet: &SubnetId, from_az: &str) -> Finding {
    let region = cx.snapshot.subnets.get(from_subnet).and_then(|s| cx.snapshot.region_of_vpc(&s.vpc_id)).unwrap_or_default();
    let (p, _) = pricing::prices(&region);
    // The NAT's VPC is where the new NAT goes (the hub, for centralized egress).
    let nat_vpc = cx.snapshot.nat_gateways.get(nat).and_then(|n| n.vpc_id.as_ref());
    let public_subnet = nat_vpc
        .and_then(|vpc| super::route_fix::public_subnet_in(cx, vpc, Some(from_az)))
        .map_or_else(|| format!("<public subnet in {from_az}>"), |s| s.id.to_string());
    // The subnet's table: its own AZ's to re-point, or one shared across AZs, which a NAT per
    // AZ needs split.
    let snapshot = cx.snapshot;
    let routing = match snapshot.effective_route_table(from_subnet) {
        Some((table, _)) => {
            let mut other_azs: Vec<&str> = table
                .subnet_ids
                .iter()
                .filter_map(|id| snapshot.subnets.get(id))
                .filter_map(|s| s.availability_zone.as_deref())
                .filter(|az| *az != from_az)
                .collect();
            other_azs.sort_unstable();
            other_azs.dedup();
            if other_azs.is_empty() {
                format!("point {}'s 0.0.0.0/0 at it (`aws ec2 replace-route --route-table-id {} --destination-cidr-block 0.0.0.0/0 --nat-gateway-id <new nat-…>`)", table.id, table.id)
            } else {
                format!(
                    "give {from_az}'s subnets a route table of their own with 0.0.0.0/0 to it (they share {} with {}: `aws ec2 create-route-table --vpc-id {}`, then `aws ec2 replace-route-table-association` for each)",
                    table.id,
                    other_azs.join(", "),
                    table.vpc_id
                )
            }
        }
        None => format!("route {from_az}'s subnets to it"),
    };
    Finding::new(&RULE, format!("{from_subnet} ({from_az}) sends its traffic to NAT gateway {nat} in {nat_az}"))
        .id(nat)
        .id(from_subnet)
        .label(cx.span_of(nat.as_str()), format!("in {nat_az}"))
        .label(cx.span_of(from_subnet.as_str()), format!("in {from_az}"))
        .help(format!(
            "add a NAT gateway in {from_az} (`aws ec2 create-nat-gateway --subnet-id {public_subnet} --allocation-id <eipalloc-…>`) and {routing}; until then each GB also pays ${:.2} cross-AZ transfer each way ({})",
            p.cross_az_gb,
            pricing::basis(&region)
        ))
}
