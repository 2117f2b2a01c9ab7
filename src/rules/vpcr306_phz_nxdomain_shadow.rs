//! VPCR306 phz-nxdomain-shadow: a private hosted zone matches the service name but has no record for it.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// A private hosted zone associated with the task's VPC whose name matches the service hostname
    /// (for example `amazonaws.com`, `<region>.amazonaws.com`, or `dkr.ecr.<region>.amazonaws.com`
    /// without a `*` record) but holds no A/alias record for it.
    ///
    /// ## Why it matters
    /// The resolver answers NXDOMAIN and does not fall back to public DNS (DNS-6): `dial tcp:
    /// lookup … no such host`.
    ///
    /// ## Example
    /// ```json
    /// { "HostedZone": { "Name": "us-east-1.amazonaws.com." }, "ResourceRecordSets": [] }
    /// ```
    ///
    /// ## How to fix
    /// Add the record (an alias to the endpoint's regional DNS name, with a wildcard for
    /// `*.dkr.ecr`), or name the zone after the full service hostname.
    code: "VPCR306", name: "phz-nxdomain-shadow", severity: Error, summary: "a private hosted zone matches the service name but has no record for it",
}

pub(crate) fn finding(cx: &Cx<'_>, zone: &HostedZoneId, zone_name: &str, hostname: &str) -> Finding {
    Finding::new(&RULE, format!("private hosted zone {zone_name} answers NXDOMAIN for {hostname}"))
        .id(zone)
        .label(cx.span_of(zone.as_str()), "matches the name, no record")
        .help(format!("add an A (alias) record for {hostname} to zone {zone} (`aws route53 change-resource-record-sets --hosted-zone-id {zone} …`), or replace the zone with one named after the full service hostname (a zone cannot be renamed: `aws route53 create-hosted-zone --name {hostname} …`, the alias record, then delete {zone})"))
}
