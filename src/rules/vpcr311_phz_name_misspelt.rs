//! VPCR311 phz-name-misspelt: a private hosted zone is named like the service hostname with its labels in the wrong order.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// A private hosted zone associated with the task's VPC carries the labels of a service
    /// hostname in the wrong order, for example `ecr.api.us-east-1.amazonaws.com` for
    /// `api.ecr.us-east-1.amazonaws.com` (PHZ_WRONG_SERVICE_NAME, §0.3, DNS-9).
    ///
    /// ## Why it matters
    /// A zone answers only for its own name and the names below it (DNS-6), so this zone never
    /// matches the hostname the SDK calls. The name resolves to public addresses and the hub's
    /// endpoint is bypassed: an error when the subnet has no path to the public addresses, a
    /// warning (endpoint unused, NAT cost) when it does.
    ///
    /// ## Example
    /// ```json
    /// { "HostedZone": { "Name": "ecr.api.us-east-1.amazonaws.com.", "Config": { "PrivateZone": true } } }
    /// ```
    ///
    /// ## How to fix
    /// Create the zone with the hostname the clients use (`aws route53 create-hosted-zone --name
    /// api.ecr.<region>.amazonaws.com --vpc VPCRegion=<region>,VPCId=<vpc> --caller-reference
    /// <unique string>`), give it the same alias record to the endpoint, associate it with every
    /// VPC of the old zone, then delete the old zone.
    code: "VPCR311", name: "phz-name-misspelt", severity: Error, summary: "a private hosted zone is named like the service hostname with its labels in the wrong order",
}

pub(crate) fn finding(cx: &Cx<'_>, zone: &HostedZoneId, zone_name: &str, expected: &str, is_blocking: bool) -> Finding {
    let name = zone_name.trim_end_matches('.');
    let expected = expected.trim_end_matches('.');
    let f = Finding::new(&RULE, format!("private hosted zone {name} never matches {expected}"));
    let f = if is_blocking { f } else { f.severity(super::Severity::Warning) };
    let hosted = cx.snapshot.hosted_zones.get(zone);
    // Recreate the zone where the old one is associated: the task's VPC, else its first VPC.
    let vpc = cx
        .pair
        .and_then(|p| p.vpc_id.clone())
        .filter(|v| hosted.is_none_or(|z| z.vpc_ids.contains(v)))
        .or_else(|| hosted.and_then(|z| z.vpc_ids.first().cloned()));
    let vpc_arg = match &vpc {
        Some(v) => format!("VPCRegion={},VPCId={v}", cx.snapshot.region_of_vpc(v).unwrap_or_else(|| "<region>".to_owned())),
        None => "VPCRegion=<region>,VPCId=<vpc-…>".to_owned(),
    };
    let alias = hosted
        .and_then(|z| z.records.iter().find_map(|r| r.alias_dns_name.as_deref()))
        .map_or_else(String::new, |a| format!(" (alias to {})", a.trim_end_matches('.')));
    let mut f = f.id(zone).label(cx.span_of(zone.as_str()), format!("named {name}, not {expected}"));
    if let Some(v) = &vpc {
        f = f.id(v);
    }
    f.help(format!(
        "create the zone with the right name: `aws route53 create-hosted-zone --name {expected} --vpc {vpc_arg} --caller-reference <unique string>`, copy the old zone's records{alias}, associate its other VPCs, then delete zone {}",
        zone.as_str().trim_start_matches("/hostedzone/")
    ))
}
