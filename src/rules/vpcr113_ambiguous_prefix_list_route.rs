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
    // The lists of the overlapping routes; only a customer-managed one can be changed (the
    // AWS-managed `com.amazonaws.…` lists cannot).
    let wanted: Vec<&str> = targets.split(", ").collect();
    let editable = cx.snapshot.route_tables.get(route_table).and_then(|t| {
        t.routes.iter().find_map(|r| match &r.destination {
            RouteDestination::PrefixList(id)
                if wanted.contains(&r.target.id())
                    && cx
                        .snapshot
                        .prefix_lists
                        .get(id)
                        .is_some_and(|p| !p.name.as_deref().unwrap_or_default().starts_with("com.amazonaws.")) =>
            {
                Some(id.clone())
            }
            _ => None,
        })
    });
    let help = match editable {
        Some(id) => format!(
            "make the prefix lists disjoint: remove the overlapping entries from {id} (`aws ec2 modify-managed-prefix-list --prefix-list-id {id} --current-version <version> --remove-entries Cidr=<cidr>`; AWS-managed lists cannot be changed), or delete its route: `aws ec2 delete-route --route-table-id {route_table} --destination-prefix-list-id {id}`"
        ),
        None => "make the prefix lists disjoint (`aws ec2 modify-managed-prefix-list --prefix-list-id <pl-…> --current-version <version> --remove-entries Cidr=<cidr>`) or delete one of the routes".to_owned(),
    };
    f.label(Some(route), "one of the overlapping prefix-list routes").help(help)
}
