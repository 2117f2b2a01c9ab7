//! VPCR005 resource-ignored: a resource was read but left out of the analysis.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::{SecurityGroupId, Span};

declare_rule! {
    /// ## What it checks
    /// A resource that was parsed but is not analysed, with the reason: an ECS service without an
    /// awsvpc network configuration, an IPv6 prefix list, a security group rule's reference to a
    /// group across a peering connection that is no longer active (stale: it matches nothing,
    /// SG-11).
    ///
    /// ## Why it matters
    /// Nothing is dropped silently: if a resource you expected to be analysed is listed here, the
    /// snapshot does not describe it the way you think.
    ///
    /// ## Example
    /// ```json
    /// { "EcsServices": [ { "serviceName": "web", "launchType": "EC2" } ] }
    /// ```
    ///
    /// ## How to fix
    /// Nothing to fix when the reason is expected; otherwise export the missing configuration.
    code: "VPCR005", name: "resource-ignored", severity: Info, summary: "a resource was read but left out of the analysis",
}

pub(crate) fn finding(_cx: &Cx<'_>, resource_id: &str, reason: &str, span: Span) -> Finding {
    Finding::new(&RULE, format!("{resource_id} ignored: {reason}"))
        .id(resource_id)
        // A file that was not read has no place in the snapshot (an empty span).
        .label((span.len > 0).then_some(span), "not analysed")
        .help("nothing to fix if the resource is not part of the runner's path; otherwise check it by hand")
}

/// SG-11: a rule's reference to a security group across a peering connection that is no longer
/// active (`PeeringStatus`), which AWS keeps as a stale rule that matches nothing.
pub(crate) fn stale_reference(group: &SecurityGroupId, referenced: &str, peering: Option<&str>, status: &str, span: Span) -> Finding {
    let across = peering.map_or_else(|| "a peering connection".to_owned(), |p| format!("peering connection {p}"));
    Finding::new(
        &RULE,
        format!("{group}: a rule's reference to {referenced} across {across} is stale (peering status `{status}`) and ignored: it matches nothing"),
    )
    .id(group)
    .id(referenced)
    .id(peering.unwrap_or_default())
    .label(Some(span), "stale reference")
    .help(format!(
        "`aws ec2 describe-stale-security-groups --vpc-id <vpc of {group}>` lists such rules; reference the group again across the active peering connection, or allow the peer's CIDR instead"
    ))
}
