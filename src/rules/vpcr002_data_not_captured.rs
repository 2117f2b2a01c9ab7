//! VPCR002 data-not-captured: the verdict depends on data the snapshot does not hold.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// A result that needs a resource kind, a resource or an attribute that is absent from the
    /// snapshot: a key that was not exported, a NAT gateway named by a route but not in the file,
    /// the VPC DNS attributes, prefix-list entries.
    ///
    /// ## Why it matters
    /// An absent key means "not captured", never "none exist". Rather than guess, vpcreach
    /// gives the verdict `unknown` and names what is missing.
    ///
    /// ## Example
    /// ```json
    /// { "Subnets": [ … ], "RouteTables": [ … ] }   // no "NetworkAcls": NACLs unknown
    /// ```
    ///
    /// ## How to fix
    /// Export the missing data (`vpcreach snapshot`, or the AWS CLI command for that key, e.g. `aws
    /// ec2 describe-network-acls`) and run the analysis again.
    code: "VPCR002", name: "data-not-captured", severity: Warning, summary: "the verdict depends on data the snapshot does not hold",
}

pub(crate) fn finding(cx: &Cx<'_>, key: &str, needed_for: &str, resource_id: &str) -> Finding {
    let shared = shared_subnet(cx, resource_id);
    // A TGW peering attachment whose far side is another account's or region's gateway: what
    // is missing is that export, not a key of this one.
    let peer = cx
        .snapshot
        .tgw_attachments
        .values()
        .find(|a| a.id.as_str() == resource_id && a.kind == TgwAttachmentKind::Peering && key == "TransitGatewayAttachments");
    if let Some(a) = peer {
        let account = a.resource_owner_id.as_deref().map_or(String::new(), |o| format!(" of account {o}"));
        return Finding::new(
            &RULE,
            format!("the far side of TGW peering attachment {resource_id} is not in the snapshot: peer transit gateway {}{account} was not exported", a.resource_id),
        )
        .id(resource_id)
        .label(cx.span_of(resource_id), "analysis stops here")
        .help(format!(
            "add the export of the account and region that hold {}{account} (its `TransitGateways`, `TransitGatewayAttachments`, route tables and routes) and run again",
            a.resource_id
        ));
    }
    // A managed prefix list without its `Entries` (its own call, GetManagedPrefixListEntries).
    let (what, fallback) = if key == "ManagedPrefixLists" {
        (
            "prefix-list entries".to_owned(),
            "add each list's `Entries` (`aws ec2 get-managed-prefix-list-entries --prefix-list-id <pl-…>`; `vpcreach snapshot` does) and run again".to_owned(),
        )
    } else {
        (format!("`{key}`"), format!("add `{key}` to the snapshot (see the README's export commands) and run again"))
    };
    let message = match needed_for.strip_prefix("the entries of ") {
        Some(rest) if key == "ManagedPrefixLists" => format!("the entries of {rest} are not in the snapshot"),
        _ => format!("{what} not captured: needed for {needed_for}"),
    };
    Finding::new(&RULE, message)
        .id(resource_id)
        .label(cx.span_of(resource_id), "analysis stops here")
        .help(match (cx.snapshot.gaps.iter().find(|g| g.key == key), shared) {
            (Some(g), _) => format!(
                "the export could not call {} ({}): grant it to the exporting role (docs/iam-policy.json) and export again",
                g.operation, g.error_code
            ),
            (None, Some((owner, account))) => format!(
                "{resource_id} is shared with account {account} by account {owner} (RAM), whose `{key}` only {owner} can list: add account {owner}'s export to the snapshot and run again"
            ),
            (None, None) => fallback,
        })
}

pub(crate) fn dns_attributes(cx: &Cx<'_>, vpc: &VpcId, endpoint: Option<&VpcEndpointId>) -> Finding {
    let mut f =
        Finding::new(&RULE, format!("DNS attributes of {vpc} not captured: interface endpoint private DNS needs enableDnsHostnames"))
            .id(vpc)
            .label(cx.span_of(vpc.as_str()), "enableDnsHostnames unknown");
    if let Some(endpoint) = endpoint {
        f = f.id(endpoint).label(cx.span_of(endpoint.as_str()), "private DNS depends on it");
    }
    f.help(format!(
        "add `VpcAttributes` from `aws ec2 describe-vpc-attribute --vpc-id {vpc} --attribute enableDnsHostnames` (and enableDnsSupport)"
    ))
}

/// NACL-3, RT-1: a key of the snapshot that holds no resource AWS always has for this one.
pub(crate) fn implicit_missing(cx: &Cx<'_>, key: &str, what: &str, resource_id: &str) -> Finding {
    // A subnet another account shares (RAM): its table and ACL are the owner's, which only the
    // owner's export holds; [`finding`] says so.
    if shared_subnet(cx, resource_id).is_some() {
        return finding(cx, key, &format!("the {what}"), resource_id);
    }
    let example = match key {
        "NetworkAcls" => " (for a design: `{\"NetworkAclId\": \"acl-…\", \"VpcId\": \"vpc-…\", \"IsDefault\": true, \"Associations\": [], \"Entries\": [allow-all rules 100 in and out]}`)",
        "RouteTables" => " (for a design: `{\"RouteTableId\": \"rtb-…\", \"VpcId\": \"vpc-…\", \"Associations\": [{\"Main\": true}], \"Routes\": [{\"DestinationCidrBlock\": \"<VPC CIDR>\", \"GatewayId\": \"local\"}]}`)",
        _ => "",
    };
    Finding::new(&RULE, format!("`{key}` holds no {what}"))
        .id(resource_id)
        .label(cx.span_of(resource_id), "analysis stops here")
        .help(format!("add it to `{key}` as `aws ec2 describe-…` prints it{example}, or export `{key}` again"))
}

/// A subnet another account shares with the listing one (RAM): its owner and the listing
/// account. That account cannot list the owner's route tables, NACLs or endpoints, whatever it
/// exported.
fn shared_subnet<'a>(cx: &Cx<'a>, resource_id: &str) -> Option<(&'a str, &'a str)> {
    let s = cx.snapshot.subnets.get(resource_id)?;
    let owner = s.owner_id.as_deref()?;
    let account = cx.snapshot.account_of(cx.snapshot.vpc_scope(&s.vpc_id))?;
    (owner != account).then_some((owner, account))
}
