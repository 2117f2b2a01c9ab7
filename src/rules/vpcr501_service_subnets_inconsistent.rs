//! VPCR501 service-subnets-inconsistent: some of a service's subnets reach the service and some do not.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// For one workload and one required service, the analysis found some of the workload's
    /// subnets reachable and others not (FG-2, SERVICE_SUBNETS_INCONSISTENT).
    ///
    /// ## Why it matters
    /// ECS places each task in any of the service's subnets. Tasks in the good subnets start,
    /// the others fail: the service looks flaky, and redeploying "fixes" it until a task lands
    /// in a bad subnet again.
    ///
    /// ## Example
    /// ```json
    /// { "awsvpcConfiguration": { "subnets": ["subnet-a-works", "subnet-b-broken"] } }
    /// ```
    ///
    /// ## How to fix
    /// Fix the failing subnets (their own diagnostics say how), or remove them from the service's
    /// network configuration (`aws ecs update-service --network-configuration …`).
    code: "VPCR501", name: "service-subnets-inconsistent", severity: Warning, summary: "some of a service's subnets reach the service and some do not",
}

pub(crate) fn finding(cx: &Cx<'_>, workload: &str, services: &[String], passing: &[SubnetId], failing: &[SubnetId]) -> Finding {
    let list = |ids: &[SubnetId]| ids.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
    let mut f = Finding::new(
        &RULE,
        format!(
            "workload {workload} reaches {} from {} but not from {} (unreachable or unknown there): tasks fail depending on placement",
            services.join(", "),
            list(passing),
            list(failing)
        ),
    );
    let span = cx.snapshot.ecs_services.iter().find(|s| s.name == workload).map(|s| s.span);
    f = f.label(span, "tasks are placed in any of these subnets");
    for s in failing.iter().chain(passing) {
        f = f.id(s);
    }
    f.help(format!("fix {} (see its diagnostics), or take it out of the workload's subnets", list(failing)))
}
