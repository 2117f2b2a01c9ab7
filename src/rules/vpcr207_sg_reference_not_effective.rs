//! VPCR207 sg-reference-not-effective: the destination admits the tasks only by a security-group reference that does not work across this path.

use std::collections::BTreeSet;

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The security groups of the destination (an interface endpoint or a `--to` destination in
    /// another VPC) admit the task only through a rule that references the task's security group,
    /// and the path crosses something where references do not apply: an inter-region peering
    /// connection (PCX-9), a transit gateway without security group referencing on the gateway
    /// and both attachments (TGW-12), or a NAT or middlebox (SG-7, SG_REFERENCE_NOT_EFFECTIVE).
    /// The same the other way: the task's security groups let the packet out only through an
    /// egress rule that references the destination's group, across an inter-region peering
    /// connection (PCX-9) or a transit gateway, where outbound references never work (TGW-12,
    /// SG-5).
    ///
    /// ## Why it matters
    /// The rule reads as "allow the runner tasks", and the console shows no error, but the
    /// packet arrives from the task's IP address with no group attached: no rule matches.
    ///
    /// ## Example
    /// ```json
    /// { "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "UserIdGroupPairs": [ { "GroupId": "sg-runner-tasks", "VpcPeeringConnectionId": "pcx-…" } ] }
    /// ```
    ///
    /// ## How to fix
    /// Admit the task subnets by CIDR instead: `aws ec2 authorize-security-group-ingress
    /// --group-id <destination sg> --protocol tcp --port <port> --cidr <task subnet CIDR>`; for
    /// an egress rule, allow the destination's addresses: `aws ec2
    /// authorize-security-group-egress --group-id <task sg> --protocol tcp --port <port> --cidr
    /// <destination CIDR>`.
    code: "VPCR207", name: "sg-reference-not-effective", severity: Error, summary: "the destination admits the tasks only by a security-group reference that does not work across this path",
}

pub(crate) fn finding(cx: &Cx<'_>, destination: &str, groups: &[SecurityGroupId], source: &str, port: u16) -> Finding {
    let list = groups.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
    let crossing = match cx.pair.map(|p| p.path.iter().map(|h| h.kind).collect::<Vec<_>>()) {
        Some(kinds) if kinds.contains(&"peering_connection") => "an inter-region peering connection (PCX-9)",
        Some(kinds) if kinds.contains(&"transit_gateway") => "a transit gateway without security group referencing (TGW-12)",
        _ => "this path",
    };
    let mut f = Finding::new(
        &RULE,
        format!("security groups {list} of {destination} admit TCP {port} from the tasks only by group reference, which does not work across {crossing}"),
    );
    for g in groups {
        f = f.id(g).label(cx.span_of(g.as_str()), "admits the tasks by security-group reference");
    }
    let cidr = cx
        .pair
        .and_then(|p| cx.snapshot.subnets.get(&p.subnet_id))
        .and_then(|s| s.cidr)
        .map_or("<task subnet CIDR>".to_owned(), |c| c.to_string());
    let first = groups.first().map_or("<sg>".to_owned(), ToString::to_string);
    f.id(destination).help(format!(
        "admit {source} by CIDR: `aws ec2 authorize-security-group-ingress --group-id {first} --protocol tcp --port {port} --cidr {cidr}`"
    ))
}

/// The task's egress side: `groups` are the task's.
pub(crate) fn egress_finding(cx: &Cx<'_>, destination: &str, groups: &[SecurityGroupId], port: u16) -> Finding {
    let list = groups.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
    let crossing = match cx.pair.map(|p| p.path.iter().map(|h| h.kind).collect::<Vec<_>>()) {
        Some(kinds) if kinds.contains(&"transit_gateway") => "a transit gateway (outbound references never do, TGW-12)",
        Some(kinds) if kinds.contains(&"peering_connection") => "an inter-region peering connection (PCX-9)",
        _ => "this path",
    };
    let mut f = Finding::new(
        &RULE,
        format!(
            "the tasks' security groups {list} allow TCP {port} to {destination} only by a reference to its security group, which does not work across {crossing}"
        ),
    );
    for g in groups {
        f = f.id(g).label(cx.span_of(g.as_str()), "allows the destination by security-group reference");
    }
    let first = groups.first().map_or("<sg>".to_owned(), ToString::to_string);
    // The endpoint's subnets, or the interface's own addresses.
    let cidrs: BTreeSet<String> = match cx.snapshot.vpc_endpoints.get(destination) {
        Some(endpoint) => {
            endpoint.subnet_ids.iter().filter_map(|s| cx.snapshot.subnets.get(s).and_then(|s| s.cidr)).map(|c| c.to_string()).collect()
        }
        None => cx
            .snapshot
            .network_interfaces
            .get(destination)
            .map(|eni| eni.private_ips.iter().map(|ip| format!("{ip}/32")).collect())
            .unwrap_or_default(),
    };
    let ranges = if cidrs.is_empty() {
        "{CidrIp=<destination CIDR>}".to_owned()
    } else {
        cidrs.iter().map(|c| format!("{{CidrIp={c}}}")).collect::<Vec<_>>().join(",")
    };
    f.id(destination).help(format!(
        "allow the destination by address: `aws ec2 authorize-security-group-egress --group-id {first} --ip-permissions 'IpProtocol=tcp,FromPort={port},ToPort={port},IpRanges=[{ranges}]'`"
    ))
}
