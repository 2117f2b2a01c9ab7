//! VPCR404 tgw-no-attachment-in-az: the task subnet's AZ has no subnet of the VPC's transit gateway attachment.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The task subnet routes the service to a transit gateway, but the VPC attachment names no
    /// subnet in the task subnet's Availability Zone (TGW-2, TGW_NO_ATTACHMENT_IN_AZ).
    ///
    /// ## Why it matters
    /// A VPC attachment places one ENI per enabled AZ. A route to the transit gateway forwards only
    /// from an AZ that has one: resources in other AZs cannot reach the transit gateway at all,
    /// so tasks fail depending on which AZ they are placed in.
    ///
    /// The same holds for the reply: a hub's NAT gateway or endpoint ENI in an AZ where the hub
    /// VPC's attachment has no subnet cannot send its replies to the transit gateway, so every
    /// connection through it fails (the finding then names the subnet the reply leaves from).
    ///
    /// ## Example
    /// ```json
    /// { "TransitGatewayAttachmentId": "tgw-attach-…", "VpcId": "vpc-spoke", "SubnetIds": [ "subnet-in-us-east-1a" ] }
    /// ```
    ///
    /// ## How to fix
    /// Add a subnet in that AZ to the attachment (best a small dedicated one, TGW-3):
    /// `aws ec2 modify-transit-gateway-vpc-attachment --transit-gateway-attachment-id <tgw-attach>
    /// --add-subnet-ids <subnet in the AZ>`.
    code: "VPCR404", name: "tgw-no-attachment-in-az", severity: Error, summary: "the task subnet's AZ has no subnet of the VPC's transit gateway attachment",
}

pub(crate) fn finding(
    cx: &Cx<'_>,
    tgw: &TransitGatewayId,
    attachment: &TransitGatewayAttachmentId,
    subnet: &SubnetId,
    az: &str,
    attachment_azs: &[String],
) -> Finding {
    let only = if attachment_azs.is_empty() { "no AZ".to_owned() } else { attachment_azs.join(", ") };
    Finding::new(
        &RULE,
        format!("resources in AZ {az} cannot reach transit gateway {tgw}: attachment {attachment} has subnets only in {only}, not in {az}"),
    )
    .id(attachment)
    .id(tgw)
    .id(subnet)
    .label(cx.span_of(attachment.as_str()), format!("no subnet in {az}"))
    .label(
        cx.span_of(subnet.as_str()),
        // The task's subnet (the request), or the subnet the reply leaves from (TGW-2 holds both ways).
        if cx.pair.is_none_or(|p| p.subnet_id == *subnet) {
            format!("task subnet in {az}")
        } else {
            format!("the reply leaves from this subnet, in {az}")
        },
    )
    .help(format!(
        "`aws ec2 modify-transit-gateway-vpc-attachment --transit-gateway-attachment-id {attachment} --add-subnet-ids {}`",
        subnet_to_add(cx, tgw, attachment, subnet, az)
    ))
}

/// A subnet of the attachment's VPC in `az`: the smallest, preferring one on the route table
/// of the attachment's other subnets (a dedicated /28 attachment subnet, TGW-3), else the task
/// subnet.
fn subnet_to_add(cx: &Cx<'_>, tgw: &TransitGatewayId, attachment: &TransitGatewayAttachmentId, subnet: &SubnetId, az: &str) -> SubnetId {
    let s = cx.snapshot;
    let Some(att) = s.tgw_attachment(tgw, attachment) else { return subnet.clone() };
    let table_of = |id: &SubnetId| s.effective_route_table(id).map(|(t, _)| t.id.clone());
    let attachment_tables: Vec<RouteTableId> = att.subnet_ids.iter().filter_map(table_of).collect();
    s.subnets
        .values()
        .filter(|c| Some(&c.vpc_id) == att.vpc_id().as_ref() && c.availability_zone.as_deref() == Some(az))
        .max_by_key(|c| (table_of(&c.id).is_some_and(|t| attachment_tables.contains(&t)), c.cidr.map_or(0, |n| n.prefix_len())))
        .map_or_else(|| subnet.clone(), |c| c.id.clone())
}
