//! VPCR113 ambiguous-prefix-list-route: overlapping prefix-list routes send the service's addresses to different targets.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// Two or more prefix-list routes of the task subnet's table match the same service
    /// addresses with the same prefix length, and they name different targets (RT-5,
    /// AMBIGUOUS_PREFIX_LIST_ROUTE).
    ///
    /// ## Why it matters
    /// AWS documents that it then picks one of them, without saying which. The path may differ
    /// between route table updates; the verdict is `unknown` rather than a guess.
    ///
    /// ## Example
    /// ```json
    /// [ { "DestinationPrefixListId": "pl-63a5400a", "GatewayId": "vpce-…" },
    ///   { "DestinationPrefixListId": "pl-corp-s3-ranges", "NatGatewayId": "nat-…" } ]
    /// ```
    ///
    /// ## How to fix
    /// Keep one prefix-list route per address range: remove the overlapping entries from the
    /// customer-managed list (`aws ec2 modify-managed-prefix-list --remove-entries …`) or delete
    /// one of the routes.
    code: "VPCR113", name: "ambiguous-prefix-list-route", severity: Warning, summary: "overlapping prefix-list routes send the service's addresses to different targets",
}

pub(crate) fn finding(cx: &Cx<'_>, route_table: &RouteTableId, route: Span, targets: &str) -> Finding {
    let mut f = Finding::new(
        &RULE,
        format!("route table {route_table} has overlapping prefix-list routes for {} to {targets}; AWS picks one of them", cx.hostname()),
    )
    .id(route_table);
    for t in targets.split(", ") {
        f = f.id(t);
    }
    f.label(Some(route), "one of the overlapping prefix-list routes")
        .help("make the prefix lists disjoint (`aws ec2 modify-managed-prefix-list --remove-entries …`) or delete one of the routes")
}
