//! VPCR206 destination-sg-blocks-ingress: the destination's security groups do not admit the tasks on the port.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// For a `--to` destination owned by a network interface in the snapshot (a database, a
    /// proxy, a service in a hub VPC), no ingress rule of the interface's security groups allows
    /// the destination port from the task's subnet, by CIDR, prefix list or a reference to the
    /// task's security group (SG-6). Across a peering connection or a transit gateway a group
    /// reference counts only where PCX-9 / TGW-12 allow it; otherwise the rule must name the
    /// task's CIDR.
    ///
    /// ## Why it matters
    /// Security groups drop what no rule allows, silently: the task's connection times out even
    /// though every route is in place.
    ///
    /// ## Example
    /// ```json
    /// { "GroupId": "sg-database", "IpPermissions": [ { "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [ { "CidrIp": "10.1.10.0/24" } ] } ] }   // task subnet 10.1.11.0/24
    /// ```
    ///
    /// ## How to fix
    /// `aws ec2 authorize-security-group-ingress --group-id <destination sg> --protocol tcp
    /// --port <port> --cidr <task subnet CIDR>`.
    code: "VPCR206", name: "destination-sg-blocks-ingress", severity: Error, summary: "the destination's security groups do not admit the tasks on the port",
}

pub(crate) fn finding(cx: &Cx<'_>, destination: &str, groups: &[SecurityGroupId], source: &str, port: u16, is_partial: bool) -> Finding {
    let list = groups.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
    // One group or several, in words that agree.
    let (noun, one) = if groups.len() == 1 { ("security group", true) } else { ("security groups", false) };
    let mut f = if is_partial {
        Finding::new(
            &RULE,
            format!("{noun} {list} of {destination} admit{} TCP {port} from only part of {source}", if one { "s" } else { "" }),
        )
        .severity(super::Severity::Warning)
    } else {
        Finding::new(
            &RULE,
            format!("{noun} {list} of {destination} {} not admit TCP {port} from {source}", if one { "does" } else { "do" }),
        )
    };
    for g in groups {
        f = f.id(g).label(cx.span_of(g.as_str()), format!("no ingress rule for TCP {port} from the tasks"));
    }
    let cidr = cx
        .pair
        .and_then(|p| cx.snapshot.subnets.get(&p.subnet_id))
        .and_then(|s| s.cidr)
        .map_or("<task subnet CIDR>".to_owned(), |c| c.to_string());
    let first = groups.first().map_or("<sg>".to_owned(), ToString::to_string);
    f.id(destination)
        .label(cx.span_of(destination), "the destination's network interface uses these groups")
        .help(format!("`aws ec2 authorize-security-group-ingress --group-id {first} --protocol tcp --port {port} --cidr {cidr}`"))
}
