//! VPCR104 igw-not-attached: a route targets an internet gateway that is not attached to the VPC.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The best route targets an `igw-…` whose `Attachments` do not hold this VPC in state
    /// `available` (what DescribeInternetGateways prints for attached, IGW-2).
    ///
    /// ## Why it matters
    /// A detached or foreign internet gateway forwards nothing (IGW-1(a)).
    ///
    /// ## Example
    /// ```json
    /// { "InternetGatewayId": "igw-…", "Attachments": [] }
    /// ```
    ///
    /// ## How to fix
    /// `aws ec2 attach-internet-gateway --internet-gateway-id <igw> --vpc-id <vpc>`, or route to
    /// the VPC's own gateway.
    code: "VPCR104", name: "igw-not-attached", severity: Error, summary: "a route targets an internet gateway that is not attached to the VPC",
}

pub(crate) fn finding(cx: &Cx<'_>, route_table: &RouteTableId, route: Span, igw: &InternetGatewayId, vpc: &VpcId) -> Finding {
    Finding::new(&RULE, format!("internet gateway {igw} is not attached to {vpc}"))
        .id(igw)
        .id(route_table)
        .label(cx.span_of(igw.as_str()), "no attachment to this VPC")
        .label(Some(route), "route to it")
        .help(format!("`aws ec2 attach-internet-gateway --internet-gateway-id {igw} --vpc-id {vpc}`"))
}
