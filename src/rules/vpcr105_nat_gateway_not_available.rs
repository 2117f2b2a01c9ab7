//! VPCR105 nat-gateway-not-available: the NAT gateway is not available.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The route's NAT gateway has a `State` other than `available`: `pending`, `failed`,
    /// `deleting` or `deleted` (NAT-3).
    ///
    /// ## Why it matters
    /// Only an available NAT gateway forwards traffic.
    ///
    /// ## Example
    /// ```json
    /// { "NatGatewayId": "nat-…", "State": "failed" }
    /// ```
    ///
    /// ## How to fix
    /// Wait for a pending NAT gateway, or create a new one (`aws ec2 create-nat-gateway --subnet-id
    /// <public subnet> --allocation-id <eipalloc>`) and point the route at it.
    code: "VPCR105", name: "nat-gateway-not-available", severity: Error, summary: "the NAT gateway is not available",
}

pub(crate) fn finding(cx: &Cx<'_>, nat: &NatGatewayId, state: &str) -> Finding {
    Finding::new(&RULE, format!("NAT gateway {nat} is {state}, not available"))
        .id(nat)
        .label(cx.span_of(nat.as_str()), format!("state {state}"))
        .help(if state.eq_ignore_ascii_case("pending") {
            format!("wait until {nat} is available (`aws ec2 wait nat-gateway-available --nat-gateway-ids {nat}`); if it turns `failed`, create a new one")
        } else {
            "create a new NAT gateway in a public subnet and point the route at it: `aws ec2 create-nat-gateway --subnet-id <public subnet> --allocation-id <eipalloc-…>`".to_owned()
        })
}
