//! VPCR202 endpoint-sg-no-ingress-443: the interface endpoint's security groups do not admit TCP 443 from the tasks.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// No ingress rule of the security groups on the interface endpoint's ENIs allows TCP 443 from
    /// the task's subnet, by CIDR, prefix list or a reference to the task's security group (EP-3,
    /// SG-6). An endpoint created without a group gets the VPC default group, which only admits its
    /// own members (SG-4).
    ///
    /// ## Why it matters
    /// DNS resolves to the endpoint, so there is no fallback: connections time out at the endpoint.
    /// The guide: "Ensure the endpoint security group allows inbound HTTPS from the Fargate task
    /// subnets".
    ///
    /// ## Example
    /// ```json
    /// { "GroupId": "sg-endpoints", "IpPermissions": [ { "IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [ { "CidrIp": "10.0.0.0/16" } ] } ] }
    /// ```
    ///
    /// ## How to fix
    /// `aws ec2 authorize-security-group-ingress --group-id <endpoint sg> --protocol tcp --port 443
    /// --cidr <task subnet CIDR>` (or `--source-group <task sg>`).
    code: "VPCR202", name: "endpoint-sg-no-ingress-443", severity: Error, summary: "the interface endpoint's security groups do not admit TCP 443 from the tasks",
}

pub(crate) fn finding(cx: &Cx<'_>, endpoint: &VpcEndpointId, groups: &[SecurityGroupId], source: &str, is_partial: bool) -> Finding {
    let list = groups.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
    // One group or several, in words that agree.
    let (noun, one) = if groups.len() == 1 { ("security group", true) } else { ("security groups", false) };
    let mut f = if is_partial {
        Finding::new(
            &RULE,
            format!("endpoint {endpoint} {noun} {list} admit{} TCP 443 from only part of {source}", if one { "s" } else { "" }),
        )
        .severity(super::Severity::Warning)
    } else {
        Finding::new(
            &RULE,
            format!("endpoint {endpoint} {noun} {list} {} not admit TCP 443 from {source}", if one { "does" } else { "do" }),
        )
    };
    for g in groups {
        f = f.id(g).label(cx.span_of(g.as_str()), "no ingress rule for TCP 443 from the tasks");
    }
    let cidr = cx
        .pair
        .and_then(|p| cx.snapshot.subnets.get(&p.subnet_id))
        .and_then(|s| s.cidr)
        .map_or("<task subnet CIDR>".to_owned(), |c| c.to_string());
    let first = groups.first().map_or("<sg>".to_owned(), ToString::to_string);
    f.id(endpoint)
        .label(cx.span_of(endpoint.as_str()), "endpoint ENIs use these groups")
        .help(format!("`aws ec2 authorize-security-group-ingress --group-id {first} --protocol tcp --port 443 --cidr {cidr}`"))
}
