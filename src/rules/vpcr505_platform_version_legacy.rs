//! VPCR505 platform-version-legacy: the ECS service runs on Fargate platform version 1.3.0 or older.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::Span;

declare_rule! {
    /// ## What it checks
    /// The ECS service's `platformVersion` is 1.3.0 or older (FG-3, PV_LEGACY).
    ///
    /// ## Why it matters
    /// Before 1.4.0, Fargate sends image pulls and secret retrieval through a platform-managed
    /// interface rather than the task ENI, and needs only `ecr.dkr` and S3 endpoints. The
    /// analysis assumes 1.4.0 semantics (everything through the task ENI), so its requirements
    /// are stricter than what this service needs today, and they will apply when the service
    /// moves to `LATEST`.
    ///
    /// ## Example
    /// ```json
    /// { "serviceName": "runner", "launchType": "FARGATE", "platformVersion": "1.3.0" }
    /// ```
    ///
    /// ## How to fix
    /// Move the service to `LATEST` (`aws ecs update-service --platform-version LATEST …`) after
    /// checking the endpoints this report asks for.
    code: "VPCR505", name: "platform-version-legacy", severity: Info, summary: "the ECS service runs on Fargate platform version 1.3.0 or older",
}

pub(crate) fn finding(cx: &Cx<'_>, service: &str, version: &str, span: Span) -> Finding {
    // Without `--cluster` the command would look in the `default` cluster.
    let cluster = cx
        .snapshot
        .ecs_services
        .iter()
        .find(|s| s.name == service && s.span == span)
        .and_then(|s| s.cluster.as_deref())
        .map_or(" --cluster <cluster>".to_owned(), |c| format!(" --cluster {c}"));
    Finding::new(&RULE, format!("ECS service {service} runs on Fargate platform version {version}; the analysis applies 1.4.0 rules"))
        .id(service)
        .label(Some(span), format!("platformVersion {version}"))
        .help(format!(
            "`aws ecs update-service{cluster} --service {service} --platform-version LATEST`, once this report's other findings are fixed"
        ))
}
