//! VPCR310 phz-not-associated: a private hosted zone for the service name exists but is not associated with the task's VPC.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// A private hosted zone named after the service hostname (the centralized-endpoints pattern,
    /// DNS-9: `secretsmanager.<region>.amazonaws.com` aliased to an interface endpoint in a hub
    /// VPC) exists in the snapshot, but its `VPCs` do not include the task's VPC (DNS-6).
    /// A zone that a Route 53 Profile associated with the task's VPC carries counts as associated
    /// (DNS-8); when `ProfileAssociations` is not captured, the finding comes with the assumption
    /// that no Profile carries it (VPCR006).
    ///
    /// ## Why it matters
    /// Only the resolver of an associated VPC answers from the zone; neither peering nor a transit
    /// gateway carries it (DNS-11). The task's VPC resolves the public addresses instead, so the
    /// hub endpoint is bypassed: an error when the subnet has no path to the public addresses, a
    /// warning (endpoint unused, NAT cost) when it does.
    ///
    /// ## Example
    /// ```json
    /// { "HostedZone": { "Name": "secretsmanager.us-east-1.amazonaws.com.", "Config": { "PrivateZone": true } }, "VPCs": [ { "VPCRegion": "us-east-1", "VPCId": "vpc-hub" } ] }
    /// ```
    ///
    /// ## How to fix
    /// `aws route53 associate-vpc-with-hosted-zone --hosted-zone-id <zone> --vpc
    /// VPCRegion=<region>,VPCId=<task vpc>`. When the zone belongs to another account, its owner
    /// first runs `aws route53 create-vpc-association-authorization` with the same arguments.
    code: "VPCR310", name: "phz-not-associated", severity: Error, summary: "a private hosted zone for the service name exists but is not associated with the task's VPC",
}

pub(crate) fn finding(cx: &Cx<'_>, zone: &HostedZoneId, zone_name: &str, hostname: &str, vpc: &VpcId, is_blocking: bool) -> Finding {
    let name = zone_name.trim_end_matches('.');
    let zone_text = if name.eq_ignore_ascii_case(hostname) { name.to_owned() } else { format!("{name} for {hostname}") };
    let message = if is_blocking {
        format!("private hosted zone {zone_text} is not associated with {vpc}, so the name resolves to public addresses")
    } else {
        format!(
            "private hosted zone {zone_text} is not associated with {vpc}, so the name resolves to public addresses and the traffic bypasses the zone's endpoint through the internet path (NAT gateway data processing is billed per GB)"
        )
    };
    let f = Finding::new(&RULE, message);
    let f = if is_blocking { f } else { f.severity(super::Severity::Warning) };
    let region = cx.snapshot.region_of_vpc(vpc).unwrap_or_else(|| "<region>".to_owned());
    let id = zone.as_str().trim_start_matches("/hostedzone/");
    f.id(zone)
        .id(vpc)
        .label(cx.span_of(zone.as_str()), format!("VPCs lacks {vpc}"))
        .label(cx.span_of(vpc.as_str()), "resolves the service name without the zone")
        .help(format!(
            "`aws route53 associate-vpc-with-hosted-zone --hosted-zone-id {id} --vpc VPCRegion={region},VPCId={vpc}` (for a zone of another account, its owner first runs `aws route53 create-vpc-association-authorization --hosted-zone-id {id} --vpc VPCRegion={region},VPCId={vpc}`)"
        ))
}
