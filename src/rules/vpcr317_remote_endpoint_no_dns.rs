//! VPCR317 remote-endpoint-no-dns: an interface endpoint for the service exists in another VPC, but the task's VPC does not resolve the name to it.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// The service's hostname resolves to public addresses in the task's VPC and the path fails,
    /// while an interface endpoint for the service exists in another VPC of the snapshot (the
    /// centralized-endpoints pattern), and the task's VPC has no private hosted zone or Resolver
    /// rule mapping the name to it, directly or through a Route 53 Profile (DNS-9, DNS-11, DNS-8,
    /// REMOTE_ENDPOINT_NO_DNS; when `ProfileAssociations` is not captured, the finding comes with
    /// the assumption that no Profile carries a zone or the endpoint, VPCR006).
    ///
    /// ## Why it matters
    /// Endpoint private DNS only answers inside the endpoint's own VPC; neither a transit gateway
    /// nor a peering connection carries it. Without a zone associated with the spoke, the tasks
    /// never learn the hub endpoint's addresses, however correct the routes are.
    ///
    /// ## Example
    /// ```json
    /// { "VpcEndpointId": "vpce-hub-secretsmanager", "VpcId": "vpc-hub", "PrivateDnsEnabled": false }   // and no HostedZones for the spoke
    /// ```
    ///
    /// ## How to fix
    /// Create a private hosted zone named after the hostname, associated with the task's VPC, with
    /// an alias A record to the endpoint's regional DNS name (`aws route53 create-hosted-zone
    /// --name <hostname> --vpc VPCRegion=<region>,VPCId=<task vpc> --caller-reference <id>`, then
    /// `aws route53 change-resource-record-sets` with the alias), or share one through a Route 53
    /// Profile.
    code: "VPCR317", name: "remote-endpoint-no-dns", severity: Error, summary: "an interface endpoint for the service exists in another VPC, but the task's VPC does not resolve the name to it",
}

pub(crate) fn finding(cx: &Cx<'_>, endpoint: &VpcEndpointId, endpoint_vpc: &VpcId, vpc: &VpcId, hostname: &str) -> Finding {
    let region = cx.snapshot.region_of_vpc(vpc).unwrap_or_else(|| "<region>".to_owned());
    let alias = cx
        .snapshot
        .vpc_endpoints
        .get(endpoint)
        // EP-7: the regional name, the shortest `vpce-…` one (zonal names add the AZ).
        .and_then(|e| e.dns_names.iter().filter(|n| n.starts_with("vpce-")).min_by_key(|n| (n.len(), (*n).clone())).cloned())
        .unwrap_or_else(|| format!("<regional DNS name of {endpoint}>"));
    Finding::new(&RULE, format!("interface endpoint {endpoint} in {endpoint_vpc} serves {hostname}, but nothing makes {vpc} resolve the name to it"))
        .id(endpoint)
        .id(vpc)
        .label(cx.span_of(endpoint.as_str()), format!("in {endpoint_vpc}; its private DNS does not reach {vpc}"))
        .label(cx.span_of(vpc.as_str()), "resolves the public addresses")
        .help(format!(
            "`aws route53 create-hosted-zone --name {hostname} --vpc VPCRegion={region},VPCId={vpc} --caller-reference {hostname}-{vpc}`, then an alias A record for {hostname} to {alias} (`aws route53 change-resource-record-sets`)"
        ))
}
