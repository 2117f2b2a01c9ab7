//! VPCR001 unknown-snapshot-key: the snapshot has keys the analyzer does not read.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// Top-level keys of the snapshot (or of a file in a snapshot folder) that vpcreach does not
    /// read, such as `Reservations` or `LoadBalancers` in a Batfish folder.
    ///
    /// ## Why it matters
    /// Nothing in them is analysed. A misspelt key (`Subnet` for `Subnets`) would otherwise look
    /// like a resource kind that was captured and found empty. They are reported once, with how
    /// many items each held.
    ///
    /// ## Example
    /// ```json
    /// { "Subnet": [ { "SubnetId": "subnet-0a1b2c3d4e5f60718" } ] }
    /// ```
    ///
    /// ## How to fix
    /// Rename misspelt keys to the AWS CLI's own (`Subnets`, `RouteTables`, …). Keys that are
    /// really not needed can stay; the warning only says they were ignored.
    code: "VPCR001", name: "unknown-snapshot-key", severity: Warning, summary: "the snapshot has keys the analyzer does not read",
}

pub(crate) fn finding(_cx: &Cx<'_>, keys: &[(String, usize)], span: Option<Span>, places: &[Span]) -> Finding {
    let list = keys.iter().map(|(k, n)| format!("`{k}` ({n} item{})", if *n == 1 { "" } else { "s" })).collect::<Vec<_>>().join(", ");
    let mut f = Finding::new(&RULE, format!("ignored snapshot keys the analyzer does not read: {list}")).label(span, "not read");
    // The other keys' places, in other files of a folder too (the first is labelled above).
    for place in places.iter().filter(|p| Some(**p) != span) {
        f = f.label(Some(*place), "not read");
    }
    f.help(format!("the keys vpcreach reads are {}", crate::model::RESOURCE_KEYS.join(", ")))
}
