//! VPCR005 resource-ignored: a resource was read but left out of the analysis.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::Span;

declare_rule! {
    /// ## What it checks
    /// A resource that was parsed but is not analysed, with the reason: an ECS service without an
    /// awsvpc network configuration, an IPv6 prefix list.
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
        .label(Some(span), "not analysed")
        .help("nothing to fix if the resource is not part of the runner's path; otherwise check it by hand")
}
