//! VPCR201 task-sg-blocks-egress: the task's security groups do not allow outbound TCP 443 to the service.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// No egress rule of the task's security groups (the union of up to five, SG-2) matches TCP 443
    /// to the destination: the endpoint ENI address or group, or the service's public addresses or
    /// prefix list (SG-5).
    ///
    /// ## Why it matters
    /// Security groups allow only what a rule allows; with no matching egress rule the connection
    /// never leaves the task. The guide: "The ECS task security group must allow outbound HTTPS
    /// (port 443)".
    ///
    /// ## Example
    /// ```json
    /// { "GroupId": "sg-tasks", "IpPermissionsEgress": [] }
    /// ```
    ///
    /// ## How to fix
    /// Add an egress rule: `aws ec2 authorize-security-group-egress --group-id <sg> --protocol tcp
    /// --port 443 --cidr 0.0.0.0/0` (or the endpoint's security group, or the S3 prefix list).
    code: "VPCR201", name: "task-sg-blocks-egress", severity: Error, summary: "the task's security groups do not allow outbound TCP 443 to the service",
}

pub(crate) fn finding(cx: &Cx<'_>, groups: &[SecurityGroupId], destination: &str, is_partial: bool) -> Finding {
    let list = groups.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
    // One group or several, in words that agree.
    let (noun, one) = if groups.len() == 1 { ("security group", true) } else { ("security groups", false) };
    let mut f = if is_partial {
        Finding::new(&RULE, format!("{noun} {list} allow{} TCP 443 to only part of {destination}", if one { "s" } else { "" }))
            .severity(super::Severity::Warning)
    } else {
        Finding::new(&RULE, format!("{noun} {list} {} not allow outbound TCP 443 to {destination}", if one { "does" } else { "do" }))
    };
    for g in groups {
        f = f.id(g).label(cx.span_of(g.as_str()), "no egress rule for TCP 443 to the service");
    }
    let first = groups.first().map_or("<sg>".to_owned(), ToString::to_string);
    f.help(format!("`aws ec2 authorize-security-group-egress --group-id {first} --protocol tcp --port 443 --cidr 0.0.0.0/0`"))
}
