//! VPCR109 destination-split-across-paths: routes split the service's addresses across paths that disagree.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The service's addresses are cut by routes (for example a more specific CIDR beside a
    /// gateway-endpoint prefix list) and the parts do not all have the same outcome.
    ///
    /// ## Why it matters
    /// Whether a connection works then depends on which address DNS returns: intermittent failures
    /// (EP-12, RT-5).
    ///
    /// ## Example
    /// ```json
    /// { "Routes": [ { "DestinationPrefixListId": "pl-s3", "GatewayId": "vpce-…" }, { "DestinationCidrBlock": "52.216.0.0/16", "GatewayId": "igw-…" } ] }
    /// ```
    ///
    /// ## How to fix
    /// Remove the more specific route that shadows part of the service's range, or make every part
    /// reachable.
    code: "VPCR109", name: "destination-split-across-paths", severity: Warning, summary: "routes split the service's addresses across paths that disagree",
}

pub(crate) fn finding(cx: &Cx<'_>, route_table: &RouteTableId, parts: &[String]) -> Finding {
    Finding::new(&RULE, format!("routes in {route_table} split {} across paths that disagree: {}", cx.hostname(), parts.join("; ")))
        .id(route_table)
        .label(cx.span_of(route_table.as_str()), "routes split the service's addresses")
        .help("remove the more specific route shadowing part of the service's addresses (EP-12), or make every part reachable")
}
