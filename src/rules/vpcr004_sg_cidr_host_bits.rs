//! VPCR004 sg-cidr-host-bits: a security group rule CIDR has host bits set.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// A security group rule CIDR such as `100.68.0.18/18`, whose host bits are not zero.
    ///
    /// ## Why it matters
    /// AWS stores rules canonicalised (SG-8): `100.68.0.18/18` means `100.68.0.0/18`. A hand-edited
    /// snapshot with host bits may not say what its author meant.
    ///
    /// ## Example
    /// ```json
    /// "IpRanges": [ { "CidrIp": "10.0.0.7/16" } ]
    /// ```
    ///
    /// ## How to fix
    /// Write the network address (`10.0.0.0/16`); vpcreach analyses the truncated CIDR either way.
    code: "VPCR004", name: "sg-cidr-host-bits", severity: Info, summary: "a security group rule CIDR has host bits set",
}

pub(crate) fn finding(_cx: &Cx<'_>, resource_id: &str, cidr: &str, span: Span) -> Finding {
    Finding::new(&RULE, format!("security group {resource_id} rule CIDR {cidr} has host bits set; analysed as its network"))
        .id(resource_id)
        .label(Some(span), "this rule")
        .help("AWS canonicalises rule CIDRs (SG-8): write the network address")
}
