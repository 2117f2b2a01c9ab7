//! What-if overlays: `vpcreach analyze BASE.json CHANGE.json…` merges each later file into the
//! ones before it, by resource ID, before validation.
//!
//! - A resource in an overlay replaces, whole, the resource with the same ID under the same key
//!   (`VpcEndpoints`, `RouteTables`, …) in the same account and region, or is added when there
//!   is none. An object-valued key (`VpcBlockPublicAccessOptions`) is replaced whole.
//! - A top-level `"Delete": ["id", …]` removes every resource with that ID from the earlier
//!   files, under any key (deleting `vpc-…` removes its `Vpcs` and `VpcAttributes` entries). It
//!   applies before the overlay's own resources, so deleting and adding one ID replaces it.
//!   Deleting an ID that no earlier file defines is an error pointing at the ID: a typo would
//!   otherwise silently answer a different question.
//! - A route to a deleted NAT gateway, internet gateway or endpoint becomes a blackhole route, as
//!   AWS leaves it; other references to a deleted resource are checked like any snapshot's.
//! - An overlay without `Region`/`AccountId` applies to the base's account and region when the
//!   base has only one; with several, the overlay must name them.
//!
//! Nothing is rewritten: the replaced items are only skipped by validation, so every resource
//! keeps its byte span in the file it came from and diagnostics point into the overlay for
//! overlay resources.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::value::RawValue;

use super::load::{span_in, Document, Problem};
use super::span::{SourceId, Span};
use super::{Scope, ScopeId, RESOURCE_KEYS};

/// The top-level key of an overlay that lists IDs to remove.
pub const DELETE_KEY: &str = "Delete";

/// Where one resource sits: its document and its byte offset in that document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Slot {
    document: usize,
    offset: usize,
}

/// The field that identifies an item of each key (AWS's own ID field).
fn id_fields(key: &str) -> &'static [&'static str] {
    match key {
        "Vpcs" | "VpcAttributes" => &["VpcId"],
        "Subnets" => &["SubnetId"],
        "RouteTables" => &["RouteTableId"],
        "InternetGateways" => &["InternetGatewayId"],
        "EgressOnlyInternetGateways" => &["EgressOnlyInternetGatewayId"],
        "NatGateways" => &["NatGatewayId"],
        "VpcEndpoints" => &["VpcEndpointId"],
        "VpcPeeringConnections" => &["VpcPeeringConnectionId"],
        "SecurityGroups" => &["GroupId"],
        "NetworkAcls" => &["NetworkAclId"],
        "NetworkInterfaces" => &["NetworkInterfaceId"],
        "PrefixLists" | "ManagedPrefixLists" => &["PrefixListId"],
        "Addresses" => &["AllocationId", "PublicIp"],
        "DhcpOptions" => &["DhcpOptionsId"],
        "EcsServices" => &["serviceArn", "serviceName"],
        "ResolverRules" | "ResolverRuleAssociations" | "ResolverEndpoints" => &["Id"],
        "FirewallRuleGroupAssociations" | "FirewallDomainLists" | "ProfileAssociations" => &["Id"],
        "ProfileResourceAssociations" => &["Id", "ResourceArn"],
        "TransitGateways" => &["TransitGatewayId"],
        "TransitGatewayAttachments" | "TransitGatewayVpcAttachments" => &["TransitGatewayAttachmentId"],
        "TransitGatewayRouteTables" | "TransitGatewayPropagations" | "TransitGatewayStaticRoutes" | "TransitGatewayRoutes" => {
            &["TransitGatewayRouteTableId"]
        }
        "VpcBlockPublicAccessExclusions" => &["ExclusionId"],
        "Gaps" => &["Key"],
        _ => &[],
    }
}

/// The ID of one item of `key`, when it has one.
fn item_id(key: &str, item: &str) -> Option<String> {
    let map: BTreeMap<String, &RawValue> = serde_json::from_str(item).ok()?;
    if key == "HostedZones" {
        let zone: BTreeMap<String, &RawValue> = serde_json::from_str(map.get("HostedZone")?.get()).ok()?;
        let id: String = serde_json::from_str(zone.get("Id")?.get()).ok()?;
        return Some(normalize_zone_id(&id));
    }
    if key == "FirewallRules" {
        // A DNS Firewall rule has no ID: its priority is unique within its rule group.
        let group: String = serde_json::from_str(map.get("FirewallRuleGroupId")?.get()).ok()?;
        let priority: i64 = serde_json::from_str(map.get("Priority")?.get()).ok()?;
        return Some(format!("{group} priority {priority}"));
    }
    id_fields(key).iter().find_map(|field| map.get(*field).and_then(|v| serde_json::from_str::<String>(v.get()).ok()))
}

/// `/hostedzone/Z123` and `Z123` name the same zone.
fn normalize_zone_id(id: &str) -> String {
    id.trim_start_matches("/hostedzone/").to_owned()
}

/// The items of one key's value with their offsets; an object-valued key is one item with an
/// empty ID.
fn items<'a>(document: &Document<'a>, key: &str, raw: &'a RawValue) -> Vec<(String, usize)> {
    let text = raw.get();
    if text.trim_start().starts_with('{') {
        return vec![(String::new(), span_in(document.source, document.text, text).offset)];
    }
    let Ok(list) = serde_json::from_str::<Vec<&RawValue>>(text) else { return Vec::new() };
    list.into_iter()
        .filter_map(|item| item_id(key, item.get()).map(|id| (id, span_in(document.source, document.text, item.get()).offset)))
        .collect()
}

/// Applies the overlays (every document from `first_overlay` on) to the documents before them.
/// Returns the deleted IDs.
///
/// # Errors
/// Every `Delete` of an unknown ID, a malformed `Delete`, and an overlay without a scope on a
/// snapshot of several.
pub(crate) fn apply(documents: &mut [Document<'_>], first_overlay: SourceId, scopes: &[Scope]) -> Result<BTreeSet<String>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut deleted = BTreeSet::new();
    // (scope, key, id) → the live resources with that identity.
    let mut live: BTreeMap<(ScopeId, String, String), Vec<Slot>> = BTreeMap::new();
    let base_scopes: BTreeSet<ScopeId> = documents.iter().filter(|d| d.source < first_overlay).map(|d| d.scope).collect();
    let mut removals: Vec<Slot> = Vec::new();
    for index in 0..documents.len() {
        let Some(document) = documents.get(index) else { continue };
        let is_overlay = document.source >= first_overlay;
        let mut own: Vec<(ScopeId, String, String, Slot)> = Vec::new();
        if is_overlay {
            let unscoped = scopes.get(document.scope.0 as usize).is_some_and(|s| *s == Scope::default());
            if unscoped && base_scopes.len() > 1 && !base_scopes.contains(&document.scope) {
                let span = Span::new(document.source, 0, document.text.len().min(1));
                problems.push(
                    Problem::new("this overlay names no `Region`, and the snapshot it changes has several accounts or regions", Some(span))
                        .label("overlay")
                        .help("add `\"Region\": \"<region>\"` (and `\"AccountId\"`) to the overlay, or use `Regions` as the snapshot does"),
                );
                continue;
            }
            // A `Region` without the `AccountId` of a base with several accounts in that region
            // matches none of them: its resources would be added beside the ones they mean to
            // replace (reported as duplicates, which reads as the wrong advice).
            let scope = scopes.get(document.scope.0 as usize);
            let same_region: Vec<&Scope> = base_scopes
                .iter()
                .filter_map(|id| scopes.get(id.0 as usize))
                .filter(|b| scope.is_some_and(|s| s.account.is_none() && s.region.is_some() && b.region == s.region && b.account.is_some()))
                .collect();
            if !base_scopes.contains(&document.scope) && same_region.len() > 1 {
                let span = Span::new(document.source, 0, document.text.len().min(1));
                let accounts: Vec<&str> = same_region.iter().filter_map(|s| s.account.as_deref()).collect();
                problems.push(
                    Problem::new(
                        format!(
                            "this overlay names `Region` {} but no `AccountId`, and the snapshot it changes has several accounts there ({})",
                            scope.and_then(|s| s.region.as_deref()).unwrap_or("?"),
                            accounts.join(", ")
                        ),
                        Some(span),
                    )
                    .label("overlay")
                    .help("add the `\"AccountId\"` of the resources it changes to the overlay, or use `Regions` with `AccountId` as the snapshot does"),
                );
                continue;
            }
            for (key, raw) in &document.entries {
                if key == DELETE_KEY {
                    delete(document, raw, &mut live, &mut removals, &mut deleted, &mut problems);
                } else if !RESOURCE_KEYS.contains(&key.as_str()) && !key.starts_with(super::load::TGW_ROUTES_PREFIX) {
                    problems.push(unknown_overlay_key(document, key, raw));
                }
            }
        }
        for (key, raw) in &document.entries {
            if !RESOURCE_KEYS.contains(&key.as_str()) {
                continue;
            }
            for (id, offset) in items(document, key, raw) {
                own.push((document.scope, key.clone(), id, Slot { document: index, offset }));
            }
        }
        for (scope, key, id, slot) in own {
            let entry = live.entry((scope, key, id)).or_default();
            if is_overlay {
                // Replace what earlier files hold; a repeat inside this file stays a duplicate.
                let (earlier, same): (Vec<Slot>, Vec<Slot>) =
                    entry.drain(..).partition(|s| documents.get(s.document).is_some_and(|d| d.source < document.source));
                removals.extend(earlier);
                *entry = same;
            }
            entry.push(slot);
        }
    }
    // An ID deleted and then added again (by a later overlay, or the same one) is not gone.
    let still_defined: BTreeSet<&str> = live.iter().filter(|(_, slots)| !slots.is_empty()).map(|((_, _, id), _)| id.as_str()).collect();
    deleted.retain(|id: &String| !still_defined.contains(id.as_str()));
    for slot in removals {
        if let Some(document) = documents.get_mut(slot.document) {
            document.removed.insert(slot.offset);
        }
    }
    for document in documents.iter_mut() {
        document.entries.retain(|(key, _)| key != DELETE_KEY || document.source < first_overlay);
    }
    if problems.is_empty() {
        Ok(deleted)
    } else {
        Err(problems)
    }
}

/// One overlay's `Delete` list: each ID removes every live resource with that ID.
/// A key an overlay holds that is neither a resource list nor `Delete`. In a snapshot such a key
/// is a warning (VPCR001: AWS adds keys); an overlay exists only to make a change, and a
/// misspelt key (`delete`, `Routetables`) would drop that change and answer another question.
fn unknown_overlay_key(document: &Document<'_>, key: &str, raw: &RawValue) -> Problem {
    let value = span_in(document.source, document.text, raw.get());
    let quoted = format!("\"{key}\"");
    let span = document
        .text
        .get(..value.offset)
        .and_then(|before| before.rfind(&quoted))
        .map_or(value, |at| Span::new(document.source, at, quoted.len()));
    let known = RESOURCE_KEYS.iter().copied().chain([DELETE_KEY]).find(|k| k.eq_ignore_ascii_case(key));
    let help = match known {
        Some(known) => format!("did you mean `{known}`? Keys are case-sensitive"),
        None => format!(
            "an overlay holds resource lists ({}, …) and `{DELETE_KEY}`",
            RESOURCE_KEYS.iter().take(4).map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        ),
    };
    Problem::new(
        format!("overlay key `{key}` is not a resource list or `{DELETE_KEY}`: the overlay would change nothing through it"),
        Some(span),
    )
    .label("unknown key")
    .help(help)
}

fn delete(
    document: &Document<'_>,
    raw: &RawValue,
    live: &mut BTreeMap<(ScopeId, String, String), Vec<Slot>>,
    removals: &mut Vec<Slot>,
    deleted: &mut BTreeSet<String>,
    problems: &mut Vec<Problem>,
) {
    let list_span = span_in(document.source, document.text, raw.get());
    let Ok(ids) = serde_json::from_str::<Vec<&RawValue>>(raw.get()) else {
        problems.push(
            Problem::new("`Delete` must be a list of resource IDs", Some(list_span))
                .label("expected a JSON array of strings")
                .help("write `\"Delete\": [\"nat-…\", \"vpce-…\"]`"),
        );
        return;
    };
    for item in ids {
        let span = span_in(document.source, document.text, item.get());
        let Ok(id) = serde_json::from_str::<String>(item.get()) else {
            problems.push(Problem::new("an item of `Delete` is not a string", Some(span)).label("expected a resource ID"));
            continue;
        };
        let wanted = normalize_zone_id(&id);
        let matching: Vec<(ScopeId, String, String)> = live.keys().filter(|(_, _, i)| *i == wanted || *i == id).cloned().collect();
        if matching.is_empty() && deleted.contains(&id) {
            problems.push(Problem::new(format!("`Delete` names `{id}` twice"), Some(span)).label("second time").help("list each ID once"));
            continue;
        }
        if matching.is_empty() {
            problems.push(
                Problem::new(format!("`Delete` names `{id}`, which no earlier file defines"), Some(span))
                    .label("unknown ID")
                    .help("check the ID against the snapshot; a deletion must remove something"),
            );
            continue;
        }
        for key in matching {
            if let Some(slots) = live.remove(&key) {
                removals.extend(slots);
            }
        }
        deleted.insert(id);
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::super::{load_with_overlays, LoadError};

    fn write(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("vpcreach-overlay-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name).join("snapshot.json")
    }

    fn problems(err: LoadError) -> Vec<String> {
        match err {
            LoadError::Invalid { problems, .. } => problems.into_iter().map(|p| p.message).collect(),
            LoadError::Io { .. } => panic!("{err}"),
        }
    }

    /// An object-valued key is replaced whole.
    #[test]
    fn block_public_access_options_are_replaced() {
        let base = fixture("bpa-blocks-public-ip");
        let before = load_with_overlays(&base, &[]).unwrap();
        assert_eq!(before.block_public_access.values().next().unwrap().mode, "block-ingress");
        let overlay =
            write("bpa-off.json", r#"{"VpcBlockPublicAccessOptions": {"State": "update-complete", "InternetGatewayBlockMode": "off"}}"#);
        let after = load_with_overlays(&base, &[overlay]).unwrap();
        assert_eq!(after.block_public_access.len(), 1);
        assert_eq!(after.block_public_access.values().next().unwrap().mode, "off");
    }

    /// `Z…` and `/hostedzone/Z…` name the same zone.
    #[test]
    fn hosted_zones_are_deleted_by_either_id_form() {
        let base = fixture("hub-endpoints-phz");
        let count = load_with_overlays(&base, &[]).unwrap().hosted_zones.len();
        let overlay = write("delete-zone.json", r#"{"Delete": ["/hostedzone/Z02U2MWUN2O2D457HGRO9"]}"#);
        let after = load_with_overlays(&base, &[overlay]).unwrap();
        assert_eq!(after.hosted_zones.len(), count - 1);
    }

    /// A base of several regions needs the overlay to say which one it changes.
    #[test]
    fn an_unscoped_overlay_of_a_multi_region_base_is_refused() {
        let base = write("two-regions.json", r#"{"Regions": [{"Region": "us-east-1", "Vpcs": []}, {"Region": "eu-west-1", "Vpcs": []}]}"#);
        let overlay = write("unscoped.json", r#"{"Vpcs": [{"VpcId": "vpc-0123456789abcdef0", "CidrBlock": "10.9.0.0/16"}]}"#);
        let messages = problems(load_with_overlays(&base, &[overlay]).unwrap_err());
        assert!(messages.iter().any(|m| m.contains("names no `Region`")), "{messages:?}");
        let scoped =
            write("scoped.json", r#"{"Region": "eu-west-1", "Vpcs": [{"VpcId": "vpc-0123456789abcdef0", "CidrBlock": "10.9.0.0/16"}]}"#);
        let snapshot = load_with_overlays(&base, &[scoped]).unwrap();
        assert_eq!(snapshot.vpcs.len(), 1);
    }

    /// An overlay with a `Region` but no `AccountId`, on a base with two accounts in that
    /// region, says which accounts it could mean (it was "duplicate NAT gateway").
    #[test]
    fn an_overlay_without_the_account_of_a_multi_account_base_is_refused() {
        let base = write(
            "two-accounts.json",
            r#"{"Regions": [{"Region": "us-east-1", "AccountId": "111122223333", "Vpcs": []}, {"Region": "us-east-1", "AccountId": "222233334444", "Vpcs": []}]}"#,
        );
        let overlay = write(
            "region-only.json",
            r#"{"Region": "us-east-1", "Vpcs": [{"VpcId": "vpc-0123456789abcdef0", "CidrBlock": "10.9.0.0/16"}]}"#,
        );
        let messages = problems(load_with_overlays(&base, &[overlay]).unwrap_err());
        assert!(messages.iter().any(|m| m.contains("no `AccountId`") && m.contains("111122223333, 222233334444")), "{messages:?}");
        let scoped = write(
            "with-account.json",
            r#"{"Region": "us-east-1", "AccountId": "222233334444", "Vpcs": [{"VpcId": "vpc-0123456789abcdef0", "CidrBlock": "10.9.0.0/16"}]}"#,
        );
        assert_eq!(load_with_overlays(&base, &[scoped]).unwrap().vpcs.len(), 1);
    }

    /// A repeat of one ID inside one overlay is still a duplicate.
    #[test]
    fn a_duplicate_inside_an_overlay_is_reported() {
        let base = fixture("nat-gateway");
        let nat = r#"{"NatGatewayId": "nat-09d86fe5cd1d54dca", "State": "available", "SubnetId": "subnet-03504b3bf2fc57109", "VpcId": "vpc-0e825ac7db2816231", "ConnectivityType": "public"}"#;
        let overlay = write("twice.json", &format!(r#"{{"NatGateways": [{nat}, {nat}]}}"#));
        let messages = problems(load_with_overlays(&base, &[overlay]).unwrap_err());
        assert!(messages.iter().any(|m| m.contains("duplicate")), "{messages:?}");
    }
}
