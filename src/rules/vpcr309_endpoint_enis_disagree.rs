//! VPCR309 endpoint-enis-inconsistent: some of an interface endpoint's ENIs are reachable and some are not.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The endpoint's private DNS answers with the addresses of all its ENIs (EP-10), and the
    /// checks (security groups, NACLs, routes) pass for some ENIs and fail for others.
    ///
    /// ## Why it matters
    /// Connections fail intermittently, depending on which address the client picks.
    ///
    /// ## Example
    /// ```json
    /// { "VpcEndpointId": "vpce-…", "SubnetIds": [ "subnet-a", "subnet-b" ] }   // subnet-b has a blocking NACL
    /// ```
    ///
    /// ## How to fix
    /// Make every endpoint subnet's NACL and the endpoint's security groups admit the tasks.
    code: "VPCR309", name: "endpoint-enis-inconsistent", severity: Warning, summary: "some of an interface endpoint's ENIs are reachable and some are not",
}

pub(crate) fn finding(
    cx: &Cx<'_>,
    endpoint: &VpcEndpointId,
    reachable: &[SubnetId],
    blocked: &[SubnetId],
    causes: &[crate::reachability::Fact],
) -> Finding {
    let list = |v: &[SubnetId]| v.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
    // Each cause as its own rule words it: the blocking resources, their JSON and the fix.
    let explained: Vec<Finding> = causes.iter().map(|c| super::finding_for(cx, c)).collect();
    let because = explained.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; ");
    let message = if because.is_empty() {
        format!("endpoint {endpoint} is reachable through its ENIs in {} but not in {}", list(reachable), list(blocked))
    } else {
        format!("endpoint {endpoint} is reachable through its ENIs in {} but not in {}: {because}", list(reachable), list(blocked))
    };
    let mut f = Finding::new(&RULE, message).id(endpoint).label(cx.span_of(endpoint.as_str()), "ENIs disagree");
    for e in &explained {
        for id in &e.resource_ids {
            f = f.id(id);
        }
        for l in &e.labels {
            f = f.label(Some(l.span), l.text.clone());
        }
    }
    let fixes: Vec<String> = explained.iter().filter_map(|e| e.help.clone()).collect();
    f.help(if fixes.is_empty() {
        "make every endpoint subnet's NACL and the endpoint security groups admit the tasks (EP-10)".to_owned()
    } else {
        format!("{} (EP-10: DNS hands out every ENI's address)", fixes.join("; "))
    })
}
