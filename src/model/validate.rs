//! From parsed documents to a typed [`Snapshot`]: every resource is deserialised into its
//! [`raw`] type, converted (IDs, CIDRs, rule order) and cross-checked (dangling
//! references, duplicate IDs, subnets outside their VPC). Every problem is collected with its
//! location; nothing stops at the first.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use ipnet::{IpNet, Ipv4Net};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::load::{json_problem, span_in, Document, Problem};
use super::raw;
use super::span::Span;
use super::*;

/// A parsed element with where it came from.
struct Item<'a, T> {
    value: T,
    span: Span,
    raw: &'a str,
    scope: ScopeId,
}

/// Transit gateway routes gathered from every key before the tables are completed.
#[derive(Default)]
struct TgwRouteSources {
    listed: BTreeMap<String, Vec<Route>>,
    /// Tables whose routes came from a full search (static and propagated).
    complete: BTreeSet<String>,
    propagations: BTreeMap<String, Vec<(TransitGatewayAttachmentId, Span)>>,
    propagations_captured: BTreeSet<String>,
    truncated: BTreeSet<String>,
}

#[derive(Default)]
struct Builder {
    snapshot: Snapshot,
    problems: Vec<Problem>,
    unknown_keys: BTreeMap<String, (usize, Option<Span>)>,
    /// First definition of each ID, for duplicate reports.
    seen: BTreeMap<String, Span>,
    /// IDs an overlay deleted: a route to one of them is a blackhole, as AWS leaves it.
    overlay_deleted: BTreeSet<String>,
    /// Each source's name and text, to say where a first definition is.
    sources: Vec<(String, std::sync::Arc<String>)>,
    /// Resources without `State`, by kind: taken as `available` (a design leaves it out), and
    /// said (VPCR006).
    states_assumed: BTreeMap<&'static str, Vec<String>>,
}

pub(crate) fn validate(
    sources: &[SourceFile],
    documents: &[Document<'_>],
    scopes: Vec<Scope>,
    overlay_deleted: &BTreeSet<String>,
) -> Result<Snapshot, Vec<Problem>> {
    let mut b = Builder {
        overlay_deleted: overlay_deleted.clone(),
        sources: sources.iter().map(|f| (f.name.clone(), f.text.clone())).collect(),
        ..Builder::default()
    };
    b.snapshot.scopes = scopes;

    // Parse every key of every document first, then convert, so cross-references can be
    // checked regardless of key or file order.
    let mut vpcs: Vec<Item<'_, raw::Vpc>> = Vec::new();
    let mut attributes: Vec<Item<'_, raw::VpcAttributes>> = Vec::new();
    let mut subnets: Vec<Item<'_, raw::Subnet>> = Vec::new();
    let mut route_tables = Vec::new();
    let mut igws = Vec::new();
    let mut nats = Vec::new();
    let mut endpoints = Vec::new();
    let mut peerings = Vec::new();
    let mut groups = Vec::new();
    let mut acls = Vec::new();
    let mut enis = Vec::new();
    let mut prefix_lists = Vec::new();
    let mut managed_lists = Vec::new();
    let mut dhcp = Vec::new();
    let mut services = Vec::new();
    let mut zones = Vec::new();
    let mut rules = Vec::new();
    let mut rule_assocs = Vec::new();
    let mut firewall_assocs = Vec::new();
    let mut firewall_rules = Vec::new();
    let mut firewall_lists = Vec::new();
    let mut profile_assocs = Vec::new();
    let mut profile_resources = Vec::new();
    let mut tgws = Vec::new();
    let mut tgw_attachments = Vec::new();
    let mut tgw_vpc_attachments = Vec::new();
    let mut tgw_tables = Vec::new();
    let mut tgw_propagations = Vec::new();
    let mut tgw_searches: Vec<(Item<'_, raw::TransitGatewayRouteSearch>, bool)> = Vec::new();
    let mut bpa_exclusions = Vec::new();
    let mut tgw_plain: Vec<(String, Span, &RawValue, SourceId, &str)> = Vec::new();
    let mut tgw_plain_truncated: Vec<String> = Vec::new();

    // Security groups are about half of a large snapshot's text (their rules): they are parsed
    // on another thread while this one reads the other keys (issue 7). Their items and
    // problems are put back where the sequential reading would have put them.
    let group_lists: Vec<(&Document<'_>, &str, &RawValue)> = documents
        .iter()
        .flat_map(|doc| doc.entries.iter().filter(|(key, _)| key == "SecurityGroups").map(move |(key, raw)| (doc, key.as_str(), *raw)))
        .collect();
    let mut group_slots: Vec<usize> = Vec::new();
    let mut built_early = false;
    let mut later_problems = Vec::new();
    let parsed_groups = std::thread::scope(|scope| {
        let parser = scope.spawn(|| {
            group_lists
                .iter()
                .map(|&(doc, key, raw)| {
                    let (items, problems) = parse_items::<raw::SecurityGroup>(doc, key, raw);
                    (items.into_iter().map(prepare_group).collect::<Vec<_>>(), problems)
                })
                .collect::<Vec<_>>()
        });
        for doc in documents {
            for (key, raw) in &doc.entries {
                if let Some(rest) = key.strip_prefix(super::load::TGW_ROUTES_PREFIX) {
                    // A plain route search answer read from a file named after its table.
                    if let Some(table) = rest.strip_suffix(":Routes") {
                        b.snapshot.captured.insert((doc.scope, "TransitGatewayRoutes".to_owned()));
                        tgw_plain.push((table.to_owned(), span_in(doc.source, doc.text, raw.get()), *raw, doc.source, doc.text));
                    } else if let Some(table) = rest.strip_suffix(":AdditionalRoutesAvailable") {
                        // TGW-7: the search returned its first 1,000 routes only.
                        if raw.get().trim() == "true" {
                            tgw_plain_truncated.push(table.to_owned());
                        }
                    }
                    continue;
                }
                // One page of a paginated answer (`--max-items`): whether the other pages are in the
                // snapshot cannot be told, and a missing one changes verdicts (a subnet whose
                // association is on it falls back to the main table): refused, not guessed.
                if key == "NextToken" {
                    let resources: Vec<&str> = doc.entries.iter().map(|(k, _)| k.as_str()).filter(|k| RESOURCE_KEYS.contains(k)).collect();
                    b.problem(
                        format!("this file is one page of a paginated answer (`NextToken`){}", if resources.is_empty() { String::new() } else { format!(" of `{}`", resources.join("`, `")) }),
                        span_in(doc.source, doc.text, raw.get()),
                        "more pages exist",
                    )
                    .help = Some(
                        "export again without `--max-items` (the AWS CLI fetches every page by default); if every page is already in the snapshot, delete the `NextToken` lines"
                            .to_owned(),
                    );
                    continue;
                }
                // A raw answer of a call whose data the snapshot holds under another key: read as
                // an unknown key, it would leave that key "not captured" and its default assumed
                // (DNS support on, no private zone, no ECS service) against what the file says.
                if let Some(help) = raw_answer_help(key) {
                    b.problem(
                        format!("`{key}` is the raw answer of `{}`, which vpcreach reads under another key", help.0),
                        super::load::key_span(doc.source, doc.text, key, raw.get()),
                        "raw CLI output",
                    )
                    .help = Some(help.1.to_owned());
                    continue;
                }
                if !RESOURCE_KEYS.contains(&key.as_str()) {
                    let count = serde_json::from_str::<Vec<serde::de::IgnoredAny>>(raw.get()).map_or(1, |v| v.len());
                    let entry = b.unknown_keys.entry(key.clone()).or_insert((0, None));
                    entry.0 += count;
                    entry.1.get_or_insert(span_in(doc.source, doc.text, raw.get()));
                    continue;
                }
                b.snapshot.captured.insert((doc.scope, key.clone()));
                match key.as_str() {
                    "Vpcs" => b.items(doc, key, raw, &mut vpcs),
                    "VpcAttributes" => b.items(doc, key, raw, &mut attributes),
                    "Subnets" => b.items(doc, key, raw, &mut subnets),
                    "RouteTables" => b.items(doc, key, raw, &mut route_tables),
                    "InternetGateways" => b.items(doc, key, raw, &mut igws),
                    "NatGateways" => b.items(doc, key, raw, &mut nats),
                    "VpcEndpoints" => b.items(doc, key, raw, &mut endpoints),
                    "VpcPeeringConnections" => b.items(doc, key, raw, &mut peerings),
                    // Parsed on the other thread; its problems go here.
                    "SecurityGroups" => group_slots.push(b.problems.len()),
                    "NetworkAcls" => b.items(doc, key, raw, &mut acls),
                    "NetworkInterfaces" => b.items(doc, key, raw, &mut enis),
                    "PrefixLists" => b.items(doc, key, raw, &mut prefix_lists),
                    "ManagedPrefixLists" => b.items(doc, key, raw, &mut managed_lists),
                    "DhcpOptions" => b.items(doc, key, raw, &mut dhcp),
                    "EcsServices" => b.items(doc, key, raw, &mut services),
                    "HostedZones" => b.items(doc, key, raw, &mut zones),
                    "ResolverRules" => b.items(doc, key, raw, &mut rules),
                    "ResolverRuleAssociations" => b.items(doc, key, raw, &mut rule_assocs),
                    "FirewallRuleGroupAssociations" => b.items(doc, key, raw, &mut firewall_assocs),
                    "FirewallRules" => b.items(doc, key, raw, &mut firewall_rules),
                    "FirewallDomainLists" => b.items(doc, key, raw, &mut firewall_lists),
                    "ProfileAssociations" => b.items(doc, key, raw, &mut profile_assocs),
                    "ProfileResourceAssociations" => b.items(doc, key, raw, &mut profile_resources),
                    "TransitGateways" => b.items(doc, key, raw, &mut tgws),
                    "TransitGatewayAttachments" => b.items(doc, key, raw, &mut tgw_attachments),
                    "TransitGatewayVpcAttachments" => b.items(doc, key, raw, &mut tgw_vpc_attachments),
                    "TransitGatewayRouteTables" => b.items(doc, key, raw, &mut tgw_tables),
                    "TransitGatewayPropagations" => b.items(doc, key, raw, &mut tgw_propagations),
                    // One object per account and region, as `describe-vpc-block-public-access-options`
                    // prints it (a one-item list is accepted too).
                    "VpcBlockPublicAccessOptions" => {
                        let mut found: Vec<Item<'_, raw::BlockPublicAccessOptions>> = Vec::new();
                        if doc.removed.contains(&span_in(doc.source, doc.text, raw.get()).offset) {
                            // Replaced by an overlay.
                        } else if raw.get().trim_start().starts_with('{') {
                            match serde_json::from_str::<raw::BlockPublicAccessOptions>(raw.get()) {
                                Ok(value) => found.push(Item {
                                    value,
                                    span: span_in(doc.source, doc.text, raw.get()),
                                    raw: raw.get(),
                                    scope: doc.scope,
                                }),
                                Err(e) => {
                                    let mut p = json_problem(doc.source, doc.text, raw.get(), &e);
                                    p.message = format!("invalid `VpcBlockPublicAccessOptions`: {}", p.message);
                                    b.problems.push(p);
                                }
                            }
                        } else {
                            b.items(doc, key, raw, &mut found);
                        }
                        for item in found {
                            b.block_public_access(item);
                        }
                    }
                    "VpcBlockPublicAccessExclusions" => b.items(doc, key, raw, &mut bpa_exclusions),
                    "Gaps" => {
                        // Not a resource: which keys an export could not capture. The keys themselves
                        // are absent, so they are "not captured"; this says why.
                        b.snapshot.captured.remove(&(doc.scope, key.clone()));
                        let mut found: Vec<Item<'_, raw::Gap>> = Vec::new();
                        b.items(doc, key, raw, &mut found);
                        for item in found {
                            let g = item.value;
                            b.snapshot.gaps.push(Gap {
                                key: g.key,
                                operation: g.operation,
                                error_code: g.error_code.unwrap_or_default(),
                                span: item.span,
                            });
                        }
                    }
                    "TransitGatewayStaticRoutes" | "TransitGatewayRoutes" => {
                        let mut found = Vec::new();
                        b.items(doc, key, raw, &mut found);
                        let is_complete = key == "TransitGatewayRoutes";
                        tgw_searches.extend(found.into_iter().map(|i| (i, is_complete)));
                    }
                    // Captured, shape-checked as a list, not modelled yet (CAPTURED_NOT_MODELLED).
                    _ => {
                        let mut ignored: Vec<Item<'_, serde::de::IgnoredAny>> = Vec::new();
                        b.items(doc, key, raw, &mut ignored);
                    }
                }
            }
        }
        // While the other thread reads and prepares the security groups, this one builds what
        // comes before them and prepares the route tables and NACLs (issue 7). That is done
        // only when every other list is valid, and undone if a security group is not.
        if b.problems.is_empty() {
            built_early = true;
            let owners: BTreeMap<String, String> =
                vpcs.iter().filter_map(|i| Some((i.value.vpc_id.clone(), i.value.owner_id.clone()?))).collect();
            let scopes = &b.snapshot.scopes;
            let mut views = Vec::new();
            vpcs = without_shared_views(std::mem::take(&mut vpcs), scopes, |v| (&v.vpc_id, v.owner_id.clone()), &mut views);
            subnets = without_shared_views(std::mem::take(&mut subnets), scopes, |s| (&s.subnet_id, s.owner_id.clone()), &mut views);
            // The DNS attributes of a VPC are the VPC's, whichever account read them: a
            // participant's copy left out is not reported.
            attributes = without_shared_views(
                std::mem::take(&mut attributes),
                scopes,
                |a| (&a.vpc_id, owners.get(&a.vpc_id).cloned()),
                &mut Vec::new(),
            );
            b.report_shared_views(views);
            for item in std::mem::take(&mut vpcs) {
                b.vpc(item);
            }
            for item in std::mem::take(&mut attributes) {
                b.vpc_attributes(item);
            }
            for item in std::mem::take(&mut subnets) {
                b.subnet(item);
            }
            for item in std::mem::take(&mut igws) {
                b.internet_gateway(item);
            }
            for item in std::mem::take(&mut nats) {
                b.nat_gateway(item);
            }
            for item in std::mem::take(&mut peerings) {
                b.peering(item);
            }
            for item in std::mem::take(&mut prefix_lists) {
                b.prefix_list(item);
            }
            for item in std::mem::take(&mut managed_lists) {
                b.managed_prefix_list(item);
            }
            // Route tables and NACLs read nothing built after them up to security groups,
            // network interfaces and endpoints (which come before them), so they are built now;
            // their problems are kept apart and reported where building them in order would.
            let before = std::mem::take(&mut b.problems);
            for item in std::mem::take(&mut route_tables) {
                let table = prepare_route_table(item, &b.overlay_deleted);
                b.route_table(table);
            }
            for item in std::mem::take(&mut acls) {
                b.network_acl(prepare_acl(item));
            }
            later_problems = std::mem::replace(&mut b.problems, before);
        }
        match parser.join() {
            Ok(parsed) => parsed,
            Err(payload) => std::panic::resume_unwind(payload),
        }
    });
    let mut parsed_groups = parsed_groups;
    // Without the early building, some list was invalid.
    if !built_early || parsed_groups.iter().any(|(_, problems)| !problems.is_empty()) {
        if built_early {
            // What was built meanwhile is not reported while a resource list is invalid.
            b.problems.clear();
        }
        // Each list's problems where its key was met, the last first so the earlier places hold.
        for (slot, (_, problems)) in group_slots.iter().zip(&mut parsed_groups).rev() {
            b.problems.splice(*slot..*slot, std::mem::take(problems));
        }
        return Err(b.problems);
    }
    groups.extend(parsed_groups.into_iter().flat_map(|(items, _)| items));

    // The route searches' routes (a transit gateway table's 20,000 at 1,000 VPCs) are read on
    // the other core while this one builds what comes before them (issue 7).
    let (searched, plain) = std::thread::scope(|scope| {
        let prepare = || {
            let searched: Vec<PreparedRoutes> = tgw_searches.iter().map(|(item, _)| prepare_search(item)).collect();
            let plain: Vec<Option<PreparedRoutes>> =
                tgw_plain.iter().map(|&(_, _, raw, source, text)| prepare_plain(raw, source, text)).collect();
            (searched, plain)
        };
        let helper = std::thread::Builder::new().spawn_scoped(scope, prepare).ok();
        for item in groups {
            b.security_group(item);
        }
        for item in enis {
            b.network_interface(item);
        }
        for item in endpoints {
            b.vpc_endpoint(item);
        }
        // The route tables' and NACLs' (built above).
        b.problems.append(&mut later_problems);
        for item in dhcp {
            b.dhcp_options(item);
        }
        for item in services {
            b.ecs_service(item);
        }
        for item in zones {
            b.hosted_zone(item);
        }
        for item in rules {
            b.resolver_rule(item);
        }
        for item in rule_assocs {
            b.resolver_rule_association(item);
        }
        for item in firewall_assocs {
            b.firewall_association(item);
        }
        for item in firewall_rules {
            b.firewall_rule(item);
        }
        for item in firewall_lists {
            b.firewall_domain_list(item);
        }
        for item in profile_assocs {
            b.profile_association(item);
        }
        for item in profile_resources {
            b.profile_resource(item);
        }
        for item in tgws {
            b.transit_gateway(item);
        }
        for item in bpa_exclusions {
            b.bpa_exclusion(item);
        }
        for item in tgw_attachments {
            b.tgw_attachment(item);
        }
        for item in tgw_vpc_attachments {
            b.tgw_vpc_attachment(item);
        }
        for item in tgw_tables {
            b.tgw_route_table(item);
        }
        match helper.map(std::thread::ScopedJoinHandle::join) {
            Some(Ok(prepared)) => prepared,
            Some(Err(payload)) => std::panic::resume_unwind(payload),
            // No thread could be started: read here.
            None => prepare(),
        }
    });
    let mut tgw_routes = TgwRouteSources::default();
    for item in tgw_propagations {
        b.tgw_propagations(item, &mut tgw_routes);
    }
    for ((item, is_complete), routes) in tgw_searches.into_iter().zip(searched) {
        let table = item.value.transit_gateway_route_table_id.clone();
        if item.value.additional_routes_available {
            tgw_routes.truncated.insert(table.clone());
        }
        b.tgw_routes(&table, routes, is_complete, &mut tgw_routes);
    }
    tgw_routes.truncated.extend(tgw_plain_truncated);
    for ((table, span, ..), routes) in tgw_plain.into_iter().zip(plain) {
        let Some(routes) = routes else {
            b.problem("`Routes` of a route search answer must be a list", span, "expected a JSON array");
            continue;
        };
        b.tgw_routes(&table, routes, true, &mut tgw_routes);
    }
    b.finish_tgw_routes(tgw_routes);
    b.check_route_targets();
    b.snapshot.firewall_associations.sort_by(|a, z| (&a.vpc_id, a.priority, &a.id).cmp(&(&z.vpc_id, z.priority, &z.id)));
    b.snapshot.profile_associations.sort_by(|a, z| (&a.vpc_id, &a.id).cmp(&(&z.vpc_id, &z.id)));
    b.snapshot.profile_resources.sort_by(|a, z| (&a.profile_id, &a.id).cmp(&(&z.profile_id, &z.id)));

    for (kind, ids) in std::mem::take(&mut b.states_assumed) {
        b.snapshot.warnings.push(LoadWarning::StateAssumed { kind, ids });
    }
    if !b.unknown_keys.is_empty() {
        let span = b.unknown_keys.values().find_map(|(_, s)| *s);
        let keys = b.unknown_keys.iter().map(|(k, (n, _))| (k.clone(), *n)).collect();
        // Each key's first place: the keys may come from several files of a folder.
        let places = b.unknown_keys.values().filter_map(|(_, s)| *s).collect();
        b.snapshot.warnings.push(LoadWarning::UnknownKeys { keys, span, places });
    }
    if b.problems.is_empty() {
        Ok(b.snapshot)
    } else {
        Err(b.problems)
    }
}

/// The call whose raw answer has the top-level `key`, and how to give its data to vpcreach
/// (README, "Snapshot format").
fn raw_answer_help(key: &str) -> Option<(&'static str, &'static str)> {
    match key {
        "EnableDnsSupport" | "EnableDnsHostnames" => Some((
            "aws ec2 describe-vpc-attribute",
            "put each VPC's attributes in `VpcAttributes`: `{\"VpcAttributes\": [{\"VpcId\": \"vpc-…\", \"EnableDnsSupport\": {\"Value\": true}, \"EnableDnsHostnames\": {\"Value\": true}}]}` (the README's export loop writes it)",
        )),
        "HostedZone" | "ResourceRecordSets" | "DelegationSet" => Some((
            "aws route53 get-hosted-zone / list-resource-record-sets",
            "combine each private zone, its `VPCs` and its `ResourceRecordSets` into one item of `HostedZones` (the README's export loop writes it)",
        )),
        "services" => Some((
            "aws ecs describe-services",
            "rename `services` to `EcsServices` (`jq '{EcsServices: .services}'`, as the README's export does)",
        )),
        _ => None,
    }
}

/// A route search answer's routes, each read into its raw form (or why it could not be), with
/// its span.
type PreparedRoutes = Vec<(serde_json::Result<raw::TransitGatewayRoute>, Span)>;

/// The routes of a `TransitGatewayRoutes` / `TransitGatewayStaticRoutes` item.
fn prepare_search(item: &Item<'_, raw::TransitGatewayRouteSearch>) -> PreparedRoutes {
    let spans = Builder::field_spans(item.raw, item.span, "Routes");
    let raws: Vec<&RawValue> = serde_json::from_str::<BTreeMap<String, &RawValue>>(item.raw)
        .ok()
        .and_then(|m| m.get("Routes").and_then(|r| serde_json::from_str(r.get()).ok()))
        .unwrap_or_default();
    raws.into_iter().zip(spans).map(|(raw, span)| (serde_json::from_str(raw.get()), span)).collect()
}

/// The routes of a plain route search answer (`None`: not a list).
fn prepare_plain(raw: &RawValue, source: SourceId, text: &str) -> Option<PreparedRoutes> {
    let raws: Vec<&RawValue> = serde_json::from_str(raw.get()).ok()?;
    Some(raws.into_iter().map(|r| (serde_json::from_str(r.get()), span_in(source, text, r.get()))).collect())
}

/// A VPC shared through RAM is listed by its owner and, with the owner's `OwnerId`, by every
/// participant account (`describe-vpcs`, and `describe-subnets` for the subnets shared with it;
/// also its `VpcAttributes` when a participant's export has them): a snapshot of several
/// accounts holds those copies once per account. A copy from an account other than its owner is a view of the same resource,
/// so it is left out when the owner's own listing (or another copy whose owner is not known to
/// be another account) is in the snapshot, and only the first view is kept otherwise. Copies in
/// the same account, or two that both claim to be the owner's, are kept, and reported as
/// duplicates.
///
/// What is left out goes to `dropped`: the listing account, the owner, the ID and the place.
fn without_shared_views<'a, T>(
    items: Vec<Item<'a, T>>,
    scopes: &[Scope],
    id_and_owner: impl Fn(&T) -> (&str, Option<String>),
    dropped: &mut Vec<SharedView>,
) -> Vec<Item<'a, T>> {
    // Each item's listing account and owner when it is a view, worked out once.
    let views: Vec<Option<(String, String)>> = items
        .iter()
        .map(|item| {
            let account = scopes.get(item.scope.0 as usize).and_then(|s| s.account.as_deref())?;
            let owner = id_and_owner(&item.value).1?;
            (owner != account).then(|| (account.to_owned(), owner))
        })
        .collect();
    if views.iter().all(Option::is_none) {
        return items;
    }
    let listed: BTreeSet<String> =
        items.iter().zip(&views).filter(|(_, view)| view.is_none()).map(|(item, _)| id_and_owner(&item.value).0.to_owned()).collect();
    let mut viewed = BTreeSet::new();
    let mut kept = Vec::with_capacity(items.len());
    for (item, view) in items.into_iter().zip(views) {
        let Some((account, owner)) = view else {
            kept.push(item);
            continue;
        };
        let id = id_and_owner(&item.value).0.to_owned();
        if listed.contains(&id) || !viewed.insert(id.clone()) {
            dropped.push(SharedView { account, owner, id, span: item.span });
        } else {
            kept.push(item);
        }
    }
    kept
}

/// A copy of a shared VPC or subnet left out by [`without_shared_views`].
struct SharedView {
    account: String,
    owner: String,
    id: String,
    span: Span,
}

/// A security group with its rules converted, and what converting them found: made on the
/// thread that read the group (issue 7), kept only if the group is not a duplicate.
struct PreparedGroup<'a> {
    item: Item<'a, raw::SecurityGroup>,
    ingress: Vec<SecurityGroupRule>,
    egress: Vec<SecurityGroupRule>,
    problems: Vec<Problem>,
    warnings: Vec<LoadWarning>,
}

impl PreparedGroup<'_> {
    fn problem(&mut self, message: impl Into<String>, span: Span, label: impl Into<String>) {
        self.problems.push(Problem::new(message, Some(span)).label(label));
    }
}

fn prepare_group(mut item: Item<'_, raw::SecurityGroup>) -> PreparedGroup<'_> {
    let [in_spans, out_spans] = Builder::fields_spans(item.raw, item.span, ["IpPermissions", "IpPermissionsEgress"]);
    let (ingress, egress) = (std::mem::take(&mut item.value.ip_permissions), std::mem::take(&mut item.value.ip_permissions_egress));
    let (id, span) = (item.value.group_id.clone(), item.span);
    let mut group = PreparedGroup { item, ingress: Vec::new(), egress: Vec::new(), problems: Vec::new(), warnings: Vec::new() };
    group.ingress = sg_rules(&id, ingress, in_spans, span, &mut group);
    group.egress = sg_rules(&id, egress, out_spans, span, &mut group);
    group
}

fn sg_rules(
    group_id: &str,
    perms: Vec<raw::IpPermission>,
    spans: Vec<Span>,
    group_span: Span,
    out: &mut PreparedGroup<'_>,
) -> Vec<SecurityGroupRule> {
    let mut rules = Vec::new();
    for (index, p) in perms.into_iter().enumerate() {
        let span = spans.get(index).copied().unwrap_or(group_span);
        let Some(protocol) = Protocol::parse(&p.ip_protocol) else {
            out.problem(format!("security group `{group_id}`: unknown protocol `{}`", p.ip_protocol), span, "in this rule");
            continue;
        };
        let ports = match (protocol, opt_port(p.from_port), opt_port(p.to_port)) {
            (Protocol::Tcp | Protocol::Udp, Some(from), Some(to)) => Some((from.min(to), from.max(to))),
            // SG-5 port ranges: for TCP and UDP the ports are 0..=65535; -1 ("all") exists
            // only for ICMP types and protocol -1 (EC2 API IpPermission). A negative TCP port
            // must not be read as "all ports".
            (Protocol::Tcp | Protocol::Udp, _, _) if p.from_port.is_some() || p.to_port.is_some() => {
                let show = |v: Option<i64>| v.map_or_else(|| "(none)".to_owned(), |v| v.to_string());
                out.problem(
                    format!("security group `{group_id}`: port range {}..{} is out of range", show(p.from_port), show(p.to_port)),
                    span,
                    "in this rule",
                );
                continue;
            }
            _ => None,
        };
        let mut cidrs = Vec::new();
        for range in &p.ip_ranges {
            match parse_cidr_v4(&range.cidr_ip) {
                Ok(net) => {
                    if net.trunc() != net {
                        // SG-8: AWS stores rules canonicalised; tolerate and say so.
                        out.warnings.push(LoadWarning::HostBitsTruncated {
                            resource_id: group_id.to_owned(),
                            cidr: range.cidr_ip.clone(),
                            span,
                        });
                    }
                    cidrs.push(net.trunc());
                }
                Err(e) => {
                    out.problem(format!("security group `{group_id}`: {e}"), span, "in this rule");
                }
            }
        }
        let mut group_ids = Vec::new();
        for pair in p.user_id_group_pairs {
            let Some(id) = pair.group_id else { continue };
            // SG-11, PCX-9: a reference across a peering connection that is no longer active
            // is stale and matches nothing (`describe-stale-security-groups` lists them).
            match pair.peering_status.as_deref() {
                Some(status) if !status.eq_ignore_ascii_case("active") => out.warnings.push(LoadWarning::StaleGroupReference {
                    group: SecurityGroupId::from(group_id),
                    referenced: id,
                    peering: pair.vpc_peering_connection_id,
                    status: status.to_owned(),
                    span,
                }),
                _ => group_ids.push(SecurityGroupId::from(id)),
            }
        }
        rules.push(SecurityGroupRule {
            protocol,
            ports,
            cidrs,
            prefix_list_ids: p.prefix_list_ids.into_iter().map(|r| PrefixListId::from(r.prefix_list_id)).collect(),
            group_ids,
            has_ipv6: !p.ipv6_ranges.is_empty(),
            index,
            span,
        });
    }
    rules
}

/// A route table with its routes converted, and the problems converting them found: made
/// while the security groups are read (issue 7), kept only if the table is not a duplicate.
struct PreparedTable<'a> {
    item: Item<'a, raw::RouteTable>,
    assoc_spans: Vec<Span>,
    routes: Vec<Route>,
    problems: Vec<Problem>,
}

fn prepare_route_table<'a>(mut item: Item<'a, raw::RouteTable>, overlay_deleted: &BTreeSet<String>) -> PreparedTable<'a> {
    let [assoc_spans, route_spans] = Builder::fields_spans(item.raw, item.span, ["Associations", "Routes"]);
    let what = format!("route table `{}`", item.value.route_table_id);
    let (mut routes, mut problems) = (Vec::new(), Vec::new());
    for (index, r) in std::mem::take(&mut item.value.routes).into_iter().enumerate() {
        let span = route_spans.get(index).copied().unwrap_or(item.span);
        match route(&what, r, index, span, overlay_deleted) {
            // RT-5: EC2 refuses a second route to the same destination (RouteAlreadyExists),
            // the `local` one included; only a propagated route may repeat a static one's.
            Ok(route)
                if route.origin == RouteOrigin::Static
                    && routes.iter().any(|r: &Route| r.origin == RouteOrigin::Static && r.destination == route.destination) =>
            {
                problems.push(
                    Problem::new(format!("{what}: a second route to {}", route.destination), Some(span))
                        .label("same destination as an earlier route")
                        .help("EC2 holds one route per destination (RouteAlreadyExists): keep one of them; VPC CIDRs that overlap cannot both be routed"),
                );
            }
            Ok(route) => routes.push(route),
            Err(problem) => problems.push(problem),
        }
    }
    PreparedTable { item, assoc_spans, routes, problems }
}

fn route(what: &str, r: raw::Route, index: usize, span: Span, overlay_deleted: &BTreeSet<String>) -> Result<Route, Problem> {
    let destination = if let Some(text) = &r.destination_cidr_block {
        match parse_cidr_v4(text) {
            Ok(net) if net.trunc() == net => RouteDestination::Ipv4(net),
            Ok(net) => {
                return Err(Problem::new(format!("{what}: route destination `{text}` has host bits set"), Some(span))
                    .label("in this route")
                    .help(format!("AWS rejects such routes: did you mean `{}`?", net.trunc())));
            }
            Err(e) => {
                return Err(Problem::new(format!("{what}: {e}"), Some(span)).label("in this route"));
            }
        }
    } else if let Some(text) = r.destination_ipv6_cidr_block {
        RouteDestination::Ipv6(text)
    } else if let Some(pl) = r.destination_prefix_list_id {
        RouteDestination::PrefixList(PrefixListId::from(pl))
    } else {
        return Err(Problem::new(format!("{what}: route has no destination"), Some(span))
            .label("this route")
            .help("a route needs DestinationCidrBlock, DestinationIpv6CidrBlock or DestinationPrefixListId"));
    };
    let target = if let Some(g) = r.gateway_id {
        if g == "local" {
            RouteTarget::Local
        } else if g.starts_with("igw-") {
            RouteTarget::InternetGateway(InternetGatewayId::from(g))
        } else if g.starts_with("vpce-") {
            RouteTarget::VpcEndpoint(VpcEndpointId::from(g))
        } else if g.starts_with("vgw-") {
            RouteTarget::VirtualPrivateGateway(g)
        } else {
            RouteTarget::Other("GatewayId", g)
        }
    } else if let Some(id) = r.nat_gateway_id {
        RouteTarget::NatGateway(NatGatewayId::from(id))
    } else if let Some(id) = r.transit_gateway_id {
        RouteTarget::TransitGateway(TransitGatewayId::from(id))
    } else if let Some(id) = r.vpc_peering_connection_id {
        RouteTarget::PeeringConnection(PeeringConnectionId::from(id))
    } else if let Some(id) = r.egress_only_internet_gateway_id {
        RouteTarget::EgressOnlyInternetGateway(EgressOnlyInternetGatewayId::from(id))
    } else if let Some(id) = r.instance_id {
        RouteTarget::Instance(id)
    } else if let Some(id) = r.network_interface_id {
        RouteTarget::NetworkInterface(NetworkInterfaceId::from(id))
    } else if let Some(id) = r.local_gateway_id {
        RouteTarget::Other("LocalGatewayId", id)
    } else if let Some(id) = r.carrier_gateway_id {
        RouteTarget::Other("CarrierGatewayId", id)
    } else if let Some(id) = r.core_network_arn {
        RouteTarget::Other("CoreNetworkArn", id)
    } else if let Some(id) = r.odb_network_arn {
        RouteTarget::Other("OdbNetworkArn", id)
    } else if let Some(ip) = r.ip_address {
        // RT-10: a VPC Route Server route, whose next hop is an IP address.
        RouteTarget::Other("IpAddress", ip)
    } else {
        return Err(Problem::new(format!("{what}: route to {destination} has no target"), Some(span)).label("this route"));
    };
    // IGW-7: an egress-only internet gateway carries IPv6 only; EC2 refuses an IPv4 route to it.
    if let (RouteDestination::Ipv4(net), RouteTarget::EgressOnlyInternetGateway(id)) = (&destination, &target) {
        return Err(Problem::new(format!("{what}: route {net} → {id}: an egress-only internet gateway takes IPv6 routes only (IGW-7)"), Some(span))
            .label("IPv4 destination")
            .help("EC2 refuses this route: IPv4 traffic to the internet goes through a NAT gateway (or an internet gateway with a public IP); check the export"));
    }
    // RT-10: routes a virtual private gateway propagates.
    let origin = match r.origin.as_deref() {
        Some("EnableVgwRoutePropagation") => RouteOrigin::Propagated,
        _ => RouteOrigin::Static,
    };
    let is_blackhole = r.state.as_deref() == Some("blackhole") || overlay_deleted.contains(target.id());
    Ok(Route { destination, target, origin, is_blackhole, index, span })
}

/// A network ACL with its entries converted and sorted, and the problems converting them
/// found: made while the security groups are read (issue 7), kept only if the ACL is not a
/// duplicate.
struct PreparedAcl<'a> {
    item: Item<'a, raw::NetworkAcl>,
    assoc_spans: Vec<Span>,
    inbound: Vec<NetworkAclEntry>,
    outbound: Vec<NetworkAclEntry>,
    /// The listed `*` entries' places (inbound, outbound).
    defaults: (Option<Span>, Option<Span>),
    problems: Vec<Problem>,
}

fn prepare_acl(mut item: Item<'_, raw::NetworkAcl>) -> PreparedAcl<'_> {
    let [assoc_spans, entry_spans] = Builder::fields_spans(item.raw, item.span, ["Associations", "Entries"]);
    let what = format!("network ACL `{}`", item.value.network_acl_id);
    let mut problems = Vec::new();
    let mut problem = |message: String, span: Span, label: &str| problems.push(Problem::new(message, Some(span)).label(label));
    let mut inbound = Vec::new();
    let mut outbound = Vec::new();
    let (mut inbound_default, mut outbound_default) = (None, None);
    let mut numbers = BTreeSet::new();
    for (index, e) in std::mem::take(&mut item.value.entries).into_iter().enumerate() {
        let span = entry_spans.get(index).copied().unwrap_or(item.span);
        // The `*` rule (32767) is implicit in the engine; moto omits it, AWS prints it (its
        // IPv4 entry is kept as the place a default denial points at).
        if e.rule_number == 32767 {
            if e.cidr_block.is_some() {
                *if e.egress { &mut outbound_default } else { &mut inbound_default } = Some(span);
            }
            continue;
        }
        // The IPv6 `*` rule of a VPC with an IPv6 CIDR, as `describe-network-acls` prints it
        // (NACL-2): implicit too, and IPv6 entries never match IPv4.
        if e.rule_number == 32768 && e.cidr_block.is_none() {
            continue;
        }
        if !(1..=32766).contains(&e.rule_number) {
            problem(format!("{what}: rule number {} is outside 1..=32766", e.rule_number), span, "in this entry");
            continue;
        }
        if !numbers.insert((e.egress, e.rule_number)) {
            problem(format!("{what}: rule number {} appears twice in the same direction", e.rule_number), span, "duplicate rule number");
            continue;
        }
        let Some(protocol) = Protocol::parse(&e.protocol) else {
            problem(format!("{what}: unknown protocol `{}`", e.protocol), span, "in this entry");
            continue;
        };
        let is_allow = match e.rule_action.to_ascii_lowercase().as_str() {
            "allow" => true,
            "deny" => false,
            other => {
                problem(format!("{what}: rule action `{other}` is neither allow nor deny"), span, "in this entry");
                continue;
            }
        };
        let cidr = match (&e.cidr_block, &e.ipv6_cidr_block) {
            (Some(text), _) => match parse_cidr_v4(text) {
                Ok(net) => Some(net.trunc()),
                Err(err) => {
                    problem(format!("{what}: {err}"), span, "in this entry");
                    continue;
                }
            },
            (None, Some(_)) => None,
            (None, None) => {
                problem(format!("{what}: entry {} has no CIDR", e.rule_number), span, "in this entry");
                continue;
            }
        };
        let ports = match (protocol, &e.port_range) {
            (Protocol::Tcp | Protocol::Udp, Some(range)) => match (opt_port(range.from), opt_port(range.to)) {
                (Some(from), Some(to)) => Some((from.min(to), from.max(to))),
                _ => {
                    problem(format!("{what}: entry {} has a port range outside 0..=65535", e.rule_number), span, "in this entry");
                    continue;
                }
            },
            _ => None,
        };
        let entry = NetworkAclEntry { rule_number: e.rule_number, protocol, is_allow, is_egress: e.egress, cidr, ports, span };
        if e.egress {
            outbound.push(entry);
        } else {
            inbound.push(entry);
        }
    }
    // NACL-2: lowest rule number first.
    inbound.sort_by_key(|e| e.rule_number);
    outbound.sort_by_key(|e| e.rule_number);
    PreparedAcl { item, assoc_spans, inbound, outbound, defaults: (inbound_default, outbound_default), problems }
}

fn parse_cidr_v4(text: &str) -> Result<Ipv4Net, String> {
    match text.parse::<IpNet>() {
        Ok(IpNet::V4(net)) => Ok(net),
        Ok(IpNet::V6(_)) => Err(format!("`{text}` is an IPv6 CIDR where IPv4 is expected")),
        Err(_) => Err(format!("`{text}` is not a valid CIDR")),
    }
}

/// The offset of the first `[` that opens a list directly inside another list, in a JSON text
/// that has already parsed (strings are skipped, escapes included). In valid JSON a `[` opens
/// a list's element exactly when the last byte before it, spaces aside, is `[` or `,` (an
/// object's value follows `:`, and a `,` in an object is followed by a key). Strings, most of
/// the text, are skipped by `memchr` (issue 7: this check read every byte of the snapshot one
/// at a time).
fn nested_list_offset(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    // Most resources hold a few lists and no list in a list: when no `[` at all, in a string
    // or not, follows a `[` or `,`, there is nothing to find, and only the `[`s were looked at
    // (issue 7: following every string took a seventh of the load).
    let follows_list_or_comma =
        |i: usize| matches!(bytes.get(..i).and_then(|b| b.iter().rev().find(|b| !b.is_ascii_whitespace())), Some(b'[' | b','));
    if !memchr::memchr_iter(b'[', bytes).any(follows_list_or_comma) {
        return None;
    }
    let mut at = 0;
    while let Some(found) = memchr::memchr2(b'"', b'[', bytes.get(at..)?) {
        let i = at + found;
        if bytes.get(i) == Some(&b'"') {
            // To the closing quote: the first one that no backslash escapes.
            let mut j = i + 1;
            loop {
                let k = j + memchr::memchr2(b'"', b'\\', bytes.get(j..)?)?;
                if bytes.get(k) == Some(&b'\\') {
                    j = k + 2;
                } else {
                    j = k + 1;
                    break;
                }
            }
            at = j;
        } else {
            let before = bytes.get(..i)?.iter().rev().find(|b| !b.is_ascii_whitespace());
            if matches!(before, Some(b'[' | b',')) {
                return Some(i);
            }
            at = i + 1;
        }
    }
    None
}

fn opt_port(value: Option<i64>) -> Option<u16> {
    value.and_then(|v| u16::try_from(v).ok())
}

/// Reads an object's `fields` that are lists, as their elements' texts; the other fields are
/// skipped. The last of a repeated field counts. Only items that parsed into their type are
/// asked about, and there every wanted field is a list (a field that is not fails the reading,
/// which then gives no spans, as an item that is not JSON does).
struct WantedLists<'f, const N: usize>(&'f [&'f str; N]);

impl<'de, const N: usize> serde::de::Visitor<'de> for WantedLists<'_, N> {
    type Value = [Vec<&'de RawValue>; N];

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found: Self::Value = std::array::from_fn(|_| Vec::new());
        while let Some(key) = map.next_key::<Key<'de>>()? {
            match self.0.iter().position(|f| *f == key.0.as_ref()).and_then(|i| found.get_mut(i)) {
                Some(slot) => *slot = map.next_value::<Vec<&'de RawValue>>()?,
                None => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }
}

/// An object key, borrowed from the text unless it holds escapes.
struct Key<'de>(std::borrow::Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> serde::de::Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// The resources of list `key` of `doc`, and the problems of those that are not valid.
fn parse_items<'a, T: Deserialize<'a>>(doc: &Document<'a>, key: &str, raw: &'a RawValue) -> (Vec<Item<'a, T>>, Vec<Problem>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    // The list was read with the document, so it is valid JSON: cut into its elements by
    // following strings and brackets (issue 7), else as serde_json reads it.
    let list = scan::elements(raw.get())
        .or_else(|| serde_json::from_str::<Vec<&'a RawValue>>(raw.get()).ok().map(|l| l.into_iter().map(RawValue::get).collect()));
    let list: Vec<&'a str> = match list {
        Some(list) => list,
        None => {
            problems.push(
                Problem::new(format!("`{key}` must be a list of resources"), Some(span_in(doc.source, doc.text, raw.get())))
                    .label("expected a JSON array")
                    .help(format!("write `\"{key}\": [ … ]` as the AWS CLI prints it")),
            );
            return (out, problems);
        }
    };
    for element in list {
        if !doc.removed.is_empty() && doc.removed.contains(&span_in(doc.source, doc.text, element).offset) {
            continue; // replaced or deleted by an overlay
        }
        // serde lets a struct be read from a list, field by field in declaration order; AWS
        // never prints a resource as a list (`--query [*].[A, B]` does), so refuse it.
        if element.starts_with('[') {
            let span = span_in(doc.source, doc.text, element);
            problems.push(
                Problem::new(
                    format!("invalid item in `{key}`: a resource is a JSON object, found a list"),
                    Some(Span::new(span.source, span.offset, 1)),
                )
                .label("a list")
                .help("export the whole resources (`--output json` without a `--query` that selects fields)"),
            );
            continue;
        }
        // The same positional reading one level down (`"Tags": [["Name", "x"]]`,
        // `"Attachments": [["vpc-1", "attached"]]` would fill fields in declaration order):
        // AWS never nests a list directly in a list, so refuse it.
        if let Some(at) = nested_list_offset(element) {
            let span = span_in(doc.source, doc.text, element);
            problems.push(
                Problem::new(
                    format!("invalid item in `{key}`: a list directly inside a list (AWS prints lists of objects)"),
                    Some(Span::new(span.source, span.offset + at, 1)),
                )
                .label("a list inside a list")
                .help("export the whole resources (`--output json` without a `--query` that selects fields)"),
            );
            continue;
        }
        match serde_json::from_str::<T>(element) {
            Ok(value) => out.push(Item { value, span: span_in(doc.source, doc.text, element), raw: element, scope: doc.scope }),
            Err(e) => {
                let mut p = json_problem(doc.source, doc.text, element, &e);
                // A list the API always prints: absent means not captured (a `--query`
                // projection), which is refused rather than read as none.
                let always_printed = ["Routes", "Associations", "IpPermissions", "IpPermissionsEgress", "Entries"]
                    .into_iter()
                    .find(|field| p.message == format!("missing field `{field}`"));
                if let Some(field) = always_printed {
                    p.help = Some(format!(
                        "the API always prints `{field}`, `[]` when there are none: write `\"{field}\": []` if there are none, else export the whole resource (no `--query` that leaves it out)"
                    ));
                }
                p.message = format!("invalid item in `{key}`: {}", p.message);
                problems.push(p);
            }
        }
    }
    (out, problems)
}

impl Builder {
    fn items<'a, T: Deserialize<'a>>(&mut self, doc: &Document<'a>, key: &str, raw: &'a RawValue, out: &mut Vec<Item<'a, T>>) {
        let (items, problems) = parse_items(doc, key, raw);
        out.extend(items);
        self.problems.extend(problems);
    }

    /// A resource's `State`, or `available` when it has none, recorded as assumed.
    fn state_or_assumed(&mut self, kind: &'static str, id: &str, state: Option<String>) -> String {
        state.unwrap_or_else(|| {
            self.states_assumed.entry(kind).or_default().push(id.to_owned());
            "available".to_owned()
        })
    }

    fn problem(&mut self, message: impl Into<String>, span: Span, label: impl Into<String>) -> &mut Problem {
        self.problems.push(Problem::new(message, Some(span)).label(label));
        let last = self.problems.len() - 1;
        #[allow(clippy::indexing_slicing)] // just pushed: the list is not empty
        &mut self.problems[last]
    }

    /// Records a new ID; reports a duplicate and returns false when it was seen before.
    fn first_definition(&mut self, kind: &str, id: &str, span: Span) -> bool {
        let key = format!("{kind}:{id}");
        if let Some(first) = self.seen.get(&key).copied() {
            let at = self.sources.get(first.source.0 as usize).map_or_else(String::new, |(name, text)| {
                let (line, column) = super::span::line_col(text, first.offset);
                format!(" at {name}:{line}:{column}")
            });
            self.problem(format!("duplicate {kind} `{id}`"), span, "defined again here").help =
                Some(format!("each ID may appear once; the first definition is{at}"));
            false
        } else {
            self.seen.insert(key, span);
            true
        }
    }

    /// Like [`Self::first_definition`], for resources that several accounts of one snapshot
    /// legitimately list (a TGW shared through RAM): only a repeat in the same scope is an error.
    fn first_definition_in_scope(&mut self, kind: &str, id: &str, scope: ScopeId, span: Span) -> bool {
        let key = format!("{kind}:{}:{id}", scope.0);
        if let std::collections::btree_map::Entry::Vacant(entry) = self.seen.entry(key) {
            entry.insert(span);
            true
        } else {
            self.problem(format!("duplicate {kind} `{id}`"), span, "defined again here").help =
                Some("each ID may appear once per account and region".to_owned());
            false
        }
    }

    /// Spans of the elements of array `field` inside one resource's JSON text.
    fn field_spans(item_raw: &str, item_span: Span, field: &str) -> Vec<Span> {
        let [spans] = Self::fields_spans(item_raw, item_span, [field]);
        spans
    }

    /// [`Self::field_spans`] of several fields, the resource's text read once: the other
    /// fields skipped, the lists' elements taken as they are read (issue 7).
    fn fields_spans<const N: usize>(item_raw: &str, item_span: Span, fields: [&str; N]) -> [Vec<Span>; N] {
        // The resource was read into its type, so it is valid JSON: its fields found by
        // following strings and brackets (issue 7), else as serde_json reads them.
        if let Some(found) = scan::fields(item_raw) {
            let mut lists: [Vec<Span>; N] = std::array::from_fn(|_| Vec::new());
            for (key, value) in found {
                if let Some(slot) = fields.iter().position(|f| *f == key).and_then(|i| lists.get_mut(i)) {
                    // The last of a repeated field counts; a wanted field that is not a list
                    // gives no spans at all, as `WantedLists` does.
                    let Some(elements) = scan::elements(value) else { return std::array::from_fn(|_| Vec::new()) };
                    *slot = elements.into_iter().map(|e| item_span.sub(item_raw, e)).collect();
                }
            }
            return lists;
        }
        let mut de = serde_json::Deserializer::from_str(item_raw);
        match serde::Deserializer::deserialize_map(&mut de, WantedLists(&fields)) {
            Ok(lists) => lists.map(|list| list.iter().map(|v| item_span.sub(item_raw, v.get())).collect()),
            Err(_) => std::array::from_fn(|_| Vec::new()),
        }
    }

    fn vpc(&mut self, item: Item<'_, raw::Vpc>) {
        let v = item.value;
        if !self.first_definition("VPC", &v.vpc_id, item.span) {
            return;
        }
        let mut cidrs = Vec::new();
        let mut texts: Vec<String> = v
            .cidr_block_association_set
            .iter()
            .filter(|a| {
                a.cidr_block_state.as_ref().and_then(|s| s.state.as_deref()).is_none_or(|s| s == "associated" || s == "associating")
            })
            .map(|a| a.cidr_block.clone())
            .collect();
        if let Some(primary) = &v.cidr_block {
            if !texts.contains(primary) {
                texts.insert(0, primary.clone());
            }
        }
        for text in texts {
            match parse_cidr_v4(&text) {
                Ok(net) if net.trunc() == net => cidrs.push(net),
                Ok(net) => {
                    self.problem(format!("VPC `{}` CIDR `{text}` has host bits set", v.vpc_id), item.span, "in this VPC").help =
                        Some(format!("AWS stores VPC CIDRs without host bits: did you mean `{}`?", net.trunc()));
                }
                Err(e) => {
                    self.problem(format!("VPC `{}`: {e}", v.vpc_id), item.span, "in this VPC");
                }
            }
        }
        let primary_cidr = v.cidr_block.as_deref().and_then(|text| parse_cidr_v4(text).ok()).filter(|net| cidrs.contains(net));
        let id = VpcId::from(v.vpc_id);
        self.snapshot.vpcs.insert(
            id.clone(),
            Vpc {
                id,
                scope: item.scope,
                cidrs,
                primary_cidr,
                is_default: v.is_default,
                has_ipv6: !v.ipv6_cidr_block_association_set.is_empty(),
                dhcp_options_id: v.dhcp_options_id.map(DhcpOptionsId::from),
                name: name_tag(&v.tags),
                span: item.span,
                dns: None,
            },
        );
    }

    /// Says which copies of shared VPCs and subnets were left out (VPCR005): one warning per
    /// listing account and owner, not one per copy (a participant sees every subnet shared with it).
    fn report_shared_views(&mut self, views: Vec<SharedView>) {
        let mut by_accounts: BTreeMap<(String, String), Vec<SharedView>> = BTreeMap::new();
        for view in views {
            by_accounts.entry((view.account.clone(), view.owner.clone())).or_default().push(view);
        }
        for ((account, owner), views) in by_accounts {
            let Some(first) = views.first() else { continue };
            let others = match views.len() {
                1 => String::new(),
                2 => " and 1 more shared VPC or subnet".to_owned(),
                n => format!(" and {} more shared VPCs or subnets", n - 1),
            };
            self.snapshot.warnings.push(LoadWarning::Ignored {
                resource_id: first.id.clone(),
                reason: format!(
                    "account {account} lists it{others} again, as views of what account {owner} shares with it (RAM); {owner}'s own listing, also in the snapshot, is used"
                ),
                span: first.span,
            });
        }
    }

    fn vpc_attributes(&mut self, item: Item<'_, raw::VpcAttributes>) {
        let v = item.value;
        if !self.first_definition("VpcAttributes entry for", &v.vpc_id, item.span) {
            return;
        }
        let attrs = DnsAttributes {
            enable_dns_support: v.enable_dns_support.map(|b| b.value),
            enable_dns_hostnames: v.enable_dns_hostnames.map(|b| b.value),
            span: item.span,
        };
        match self.snapshot.vpcs.get_mut(&VpcId::from(v.vpc_id.clone())) {
            Some(vpc) => vpc.dns = Some(attrs),
            None => {
                if self.snapshot.is_captured_anywhere("Vpcs") {
                    self.problem(format!("`VpcAttributes` names VPC `{}`, which is not in `Vpcs`", v.vpc_id), item.span, "unknown VPC");
                }
            }
        }
    }

    fn check_vpc_ref(&mut self, what: impl std::fmt::Display, vpc: &str, span: Span) -> bool {
        if self.snapshot.vpcs.contains_key(vpc) || !self.snapshot.is_captured_anywhere("Vpcs") {
            return true;
        }
        self.problem(format!("{what} refers to VPC `{vpc}`, which is not in `Vpcs`"), span, "dangling VPC reference").help =
            Some("export the VPC too, or remove resources of VPCs that are not part of the snapshot".to_owned());
        false
    }

    fn subnet(&mut self, item: Item<'_, raw::Subnet>) {
        let s = item.value;
        if !self.first_definition("subnet", &s.subnet_id, item.span) {
            return;
        }
        self.check_vpc_ref(format_args!("subnet `{}`", s.subnet_id), &s.vpc_id, item.span);
        let cidr = if s.cidr_block.is_empty() {
            // A subnet has an IPv4 CIDR unless it is IPv6-only, and then it has an IPv6 one.
            if !s.ipv6_native && s.ipv6_cidr_block_association_set.is_empty() {
                self.problem(format!("subnet `{}` has no `CidrBlock`", s.subnet_id), item.span, "in this subnet").help = Some(
                    "every subnet has an IPv4 CIDR unless it is IPv6-only (`\"Ipv6Native\": true` with an `Ipv6CidrBlockAssociationSet`): export it again"
                        .to_owned(),
                );
            }
            None
        } else {
            match parse_cidr_v4(&s.cidr_block) {
                Ok(net) if net.trunc() != net => {
                    self.problem(
                        format!("subnet `{}` CIDR `{}` has host bits set", s.subnet_id, s.cidr_block),
                        item.span,
                        "in this subnet",
                    )
                    .help = Some(format!("AWS stores subnet CIDRs without host bits: did you mean `{}`?", net.trunc()));
                    None
                }
                Ok(net) => Some(net),
                Err(e) => {
                    self.problem(format!("subnet `{}`: {e}", s.subnet_id), item.span, "in this subnet");
                    None
                }
            }
        };
        if let (Some(net), Some(vpc)) = (cidr, self.snapshot.vpcs.get(s.vpc_id.as_str())) {
            if !vpc.cidrs.is_empty() && !vpc.cidrs.iter().any(|c| c.contains(&net)) {
                let list = vpc.cidrs.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
                self.problem(
                    format!("subnet `{}` CIDR {net} lies outside VPC `{}` ({list})", s.subnet_id, s.vpc_id),
                    item.span,
                    "subnet outside its VPC",
                )
                .help = Some("AWS only creates subnets inside an associated VPC CIDR: check the VpcId and CidrBlock".to_owned());
            }
        }
        let id = SubnetId::from(s.subnet_id);
        self.snapshot.subnets.insert(
            id.clone(),
            Subnet {
                id,
                vpc_id: VpcId::from(s.vpc_id),
                cidr,
                availability_zone: s.availability_zone,
                availability_zone_id: s.availability_zone_id,
                owner_id: s.owner_id,
                has_ipv6: !s.ipv6_cidr_block_association_set.is_empty(),
                dns64: s.enable_dns64,
                name: name_tag(&s.tags),
                span: item.span,
            },
        );
    }

    fn internet_gateway(&mut self, item: Item<'_, raw::InternetGateway>) {
        let g = item.value;
        if !self.first_definition("internet gateway", &g.internet_gateway_id, item.span) {
            return;
        }
        // IGW-2: `available` is what DescribeInternetGateways prints for an attached IGW.
        let attached_vpcs = g
            .attachments
            .iter()
            .filter(|a| matches!(a.state.as_deref(), Some("available" | "attached") | None))
            .filter_map(|a| a.vpc_id.clone().map(VpcId::from))
            .collect();
        let id = InternetGatewayId::from(g.internet_gateway_id);
        self.snapshot.internet_gateways.insert(id.clone(), InternetGateway { id, attached_vpcs, span: item.span });
    }

    fn nat_gateway(&mut self, item: Item<'_, raw::NatGateway>) {
        let n = item.value;
        if !self.first_definition("NAT gateway", &n.nat_gateway_id, item.span) {
            return;
        }
        if let Some(vpc) = &n.vpc_id {
            self.check_vpc_ref(format_args!("NAT gateway `{}`", n.nat_gateway_id), vpc, item.span);
        }
        if let Some(subnet) = &n.subnet_id {
            if !self.snapshot.subnets.contains_key(subnet.as_str()) && self.snapshot.is_captured_anywhere("Subnets") {
                self.problem(
                    format!("NAT gateway `{}` is in subnet `{subnet}`, which is not in `Subnets`", n.nat_gateway_id),
                    item.span,
                    "dangling subnet reference",
                );
            }
        }
        let public_ips = n.nat_gateway_addresses.iter().filter_map(|a| a.public_ip.as_deref()?.parse().ok()).collect();
        let id = NatGatewayId::from(n.nat_gateway_id);
        let state = self.state_or_assumed("NAT gateway", id.as_str(), n.state);
        self.snapshot.nat_gateways.insert(
            id.clone(),
            NatGateway {
                id,
                vpc_id: n.vpc_id.map(VpcId::from),
                subnet_id: n.subnet_id.map(SubnetId::from),
                state,
                is_private: n.connectivity_type.as_deref() == Some("private"),
                is_regional: n.availability_mode.as_deref() == Some("regional"),
                public_ips,
                span: item.span,
            },
        );
    }

    fn peering(&mut self, item: Item<'_, raw::VpcPeeringConnection>) {
        let p = item.value;
        // PCX-10, PCX-11: a cross-account or cross-region peering is listed by both sides; the
        // same ID in another scope is the same connection (the first listing is kept).
        if !self.first_definition_in_scope("peering connection", &p.vpc_peering_connection_id, item.scope, item.span) {
            return;
        }
        if self.snapshot.peering_connections.contains_key(p.vpc_peering_connection_id.as_str()) {
            return;
        }
        let id = PeeringConnectionId::from(p.vpc_peering_connection_id);
        let status = p.status.and_then(|s| s.code).unwrap_or_default();
        let side = |info: Option<raw::PeeringVpcInfo>| {
            let info = info.unwrap_or(raw::PeeringVpcInfo { vpc_id: None, owner_id: None, region: None, cidr_block: None });
            PeeringSide { vpc_id: info.vpc_id.map(VpcId::from), region: info.region, owner_id: info.owner_id }
        };
        let requester = side(p.requester_vpc_info);
        let accepter = side(p.accepter_vpc_info);
        self.snapshot.peering_connections.insert(id.clone(), PeeringConnection { id, status, requester, accepter, span: item.span });
    }

    fn add_prefix_list(&mut self, id: String, name: Option<String>, cidr_texts: Option<Vec<String>>, item_span: Span, scope: ScopeId) {
        let mut cidrs = None;
        if let Some(texts) = cidr_texts {
            let mut list = Vec::new();
            for text in texts {
                match text.parse::<IpNet>() {
                    Ok(IpNet::V4(net)) => list.push(net.trunc()),
                    Ok(IpNet::V6(_)) => {}
                    Err(_) => {
                        self.problem(format!("prefix list `{id}`: `{text}` is not a valid CIDR"), item_span, "in this prefix list");
                    }
                }
            }
            cidrs = Some(list);
        }
        let key = PrefixListId::from(id);
        match self.snapshot.prefix_lists.get_mut(&key) {
            // describe-prefix-lists and describe-managed-prefix-lists both list AWS-managed
            // lists: merge, keeping whichever has the entries.
            Some(existing) => {
                // An empty list (moto's describe-prefix-lists) is no better than none.
                if existing.cidrs.as_ref().is_none_or(Vec::is_empty) && cidrs.as_ref().is_some_and(|c| !c.is_empty()) {
                    existing.cidrs = cidrs;
                }
                if existing.name.is_none() {
                    existing.name = name;
                }
            }
            None => {
                self.snapshot.prefix_lists.insert(key.clone(), PrefixList { id: key, name, cidrs, scope, span: item_span });
            }
        }
    }

    /// An IPv6 prefix list is left out (IPv6 paths are not analysed), and said.
    fn ipv6_list_ignored(&mut self, id: &str, family: Option<&str>, span: Span) -> bool {
        let is_ipv6 = family == Some("IPv6");
        if is_ipv6 {
            self.snapshot.warnings.push(LoadWarning::Ignored {
                resource_id: id.to_owned(),
                reason: "IPv6 prefix list: IPv6 paths are not analysed".to_owned(),
                span,
            });
        }
        is_ipv6
    }

    fn prefix_list(&mut self, item: Item<'_, raw::PrefixList>) {
        let p = item.value;
        if self.ipv6_list_ignored(&p.prefix_list_id, p.address_family.as_deref(), item.span) {
            return;
        }
        // `Cidrs` (describe-prefix-lists), or `Entries` added to a describe-managed-prefix-lists
        // item, which the CLI also lists under `PrefixLists`.
        let cidrs = match (p.cidrs, p.entries) {
            (Some(mut cidrs), Some(entries)) => {
                cidrs.extend(entries.into_iter().map(|e| e.cidr));
                Some(cidrs)
            }
            (cidrs, entries) => cidrs.or_else(|| entries.map(|e| e.into_iter().map(|x| x.cidr).collect())),
        };
        self.add_prefix_list(p.prefix_list_id, p.prefix_list_name, cidrs, item.span, item.scope);
    }

    fn managed_prefix_list(&mut self, item: Item<'_, raw::ManagedPrefixList>) {
        let p = item.value;
        if self.ipv6_list_ignored(&p.prefix_list_id, p.address_family.as_deref(), item.span) {
            return;
        }
        let cidrs = p.entries.map(|e| e.into_iter().map(|x| x.cidr).collect());
        self.add_prefix_list(p.prefix_list_id, p.prefix_list_name, cidrs, item.span, item.scope);
    }

    fn security_group(&mut self, group: PreparedGroup<'_>) {
        let PreparedGroup { item, ingress, egress, problems, warnings } = group;
        let g = item.value;
        if !self.first_definition("security group", &g.group_id, item.span) {
            return;
        }
        if let Some(vpc) = &g.vpc_id {
            self.check_vpc_ref(format_args!("security group `{}`", g.group_id), vpc, item.span);
        }
        self.problems.extend(problems);
        self.snapshot.warnings.extend(warnings);
        let id = SecurityGroupId::from(g.group_id);
        if g.group_name.as_deref() == Some("default") {
            if let Some(vpc) = &g.vpc_id {
                self.snapshot.default_security_group.insert(VpcId::from(vpc.clone()), id.clone());
            }
        }
        self.snapshot.security_groups.insert(
            id.clone(),
            SecurityGroup { id, name: g.group_name, vpc_id: g.vpc_id.map(VpcId::from), ingress, egress, span: item.span },
        );
    }

    fn check_subnet_ref(&mut self, what: impl std::fmt::Display, subnet: &str, span: Span) -> bool {
        if self.snapshot.subnets.contains_key(subnet) || !self.snapshot.is_captured_anywhere("Subnets") {
            return true;
        }
        self.problem(format!("{what} refers to subnet `{subnet}`, which is not in `Subnets`"), span, "dangling subnet reference").help =
            Some("export the subnet too, or fix the ID".to_owned());
        false
    }

    fn check_group_ref(&mut self, what: impl std::fmt::Display, group: &str, span: Span) {
        if !self.snapshot.security_groups.contains_key(group) && self.snapshot.is_captured_anywhere("SecurityGroups") {
            self.problem(
                format!("{what} refers to security group `{group}`, which is not in `SecurityGroups`"),
                span,
                "dangling security group reference",
            );
        }
    }

    fn network_interface(&mut self, item: Item<'_, raw::NetworkInterface>) {
        let n = item.value;
        if !self.first_definition("network interface", &n.network_interface_id, item.span) {
            return;
        }
        if let Some(subnet) = &n.subnet_id {
            self.check_subnet_ref(format_args!("network interface `{}`", n.network_interface_id), subnet, item.span);
        }
        let mut private_ips: Vec<Ipv4Addr> = Vec::new();
        for text in n.private_ip_address.iter().chain(n.private_ip_addresses.iter().filter_map(|p| p.private_ip_address.as_ref())) {
            match text.parse::<Ipv4Addr>() {
                Ok(ip) if !private_ips.contains(&ip) => private_ips.push(ip),
                Ok(_) => {}
                Err(_) => {
                    self.problem(
                        format!("network interface `{}`: `{text}` is not an IPv4 address", n.network_interface_id),
                        item.span,
                        "in this interface",
                    );
                }
            }
        }
        // AWS never assigns an address outside the subnet, but emulators and hand edits do: such
        // an address is left out (it could not be reached through this subnet), and said so.
        let subnet_cidr = n.subnet_id.as_ref().and_then(|s| self.snapshot.subnets.get(s.as_str())).and_then(|s| s.cidr);
        if let Some(cidr) = subnet_cidr {
            let (inside, outside): (Vec<Ipv4Addr>, Vec<Ipv4Addr>) = private_ips.iter().partition(|ip| cidr.contains(*ip));
            for ip in &outside {
                self.snapshot.warnings.push(LoadWarning::Ignored {
                    resource_id: n.network_interface_id.clone(),
                    reason: format!(
                        "address {ip} of network interface {} lies outside its subnet {} ({cidr}), so it is left out",
                        n.network_interface_id,
                        n.subnet_id.as_deref().unwrap_or("?")
                    ),
                    span: item.span,
                });
            }
            private_ips = inside;
        }
        let id = NetworkInterfaceId::from(n.network_interface_id);
        self.snapshot.network_interfaces.insert(
            id.clone(),
            NetworkInterface {
                id,
                subnet_id: n.subnet_id.map(SubnetId::from),
                vpc_id: n.vpc_id.map(VpcId::from),
                interface_type: n.interface_type,
                private_ips,
                security_group_ids: n.groups.into_iter().map(|g| SecurityGroupId::from(g.group_id)).collect(),
                public_ip: n.association.and_then(|a| a.public_ip?.parse().ok()),
                span: item.span,
            },
        );
    }

    fn vpc_endpoint(&mut self, item: Item<'_, raw::VpcEndpoint>) {
        let e = item.value;
        if !self.first_definition("VPC endpoint", &e.vpc_endpoint_id, item.span) {
            return;
        }
        let what = format!("VPC endpoint `{}`", e.vpc_endpoint_id);
        self.check_vpc_ref(&what, &e.vpc_id, item.span);
        for s in &e.subnet_ids {
            self.check_subnet_ref(&what, s, item.span);
        }
        for g in &e.groups {
            self.check_group_ref(&what, &g.group_id, item.span);
        }
        for r in &e.route_table_ids {
            // Route tables are converted after endpoints; checked in check_route_targets.
            let _ = r;
        }
        let endpoint_type = match e.vpc_endpoint_type.as_deref().map(str::to_ascii_lowercase).as_deref() {
            Some("interface") => EndpointType::Interface,
            Some("gateway") => EndpointType::Gateway,
            Some("gatewayloadbalancer") => EndpointType::GatewayLoadBalancer,
            None if !e.route_table_ids.is_empty() => EndpointType::Gateway,
            None if !e.subnet_ids.is_empty() => EndpointType::Interface,
            _ => EndpointType::Other,
        };
        if endpoint_type == EndpointType::Other {
            // EP-26: resource and service-network endpoints (VPC Lattice) do not serve AWS
            // services' names; kept in the model, used by no path, and said so.
            self.snapshot.warnings.push(LoadWarning::Ignored {
                resource_id: e.vpc_endpoint_id.clone(),
                reason: format!(
                    "VPC endpoint of type `{}` (VPC Lattice resource or service-network endpoint, EP-26): no path to an AWS service uses it",
                    e.vpc_endpoint_type.as_deref().unwrap_or("?")
                ),
                span: item.span,
            });
        }
        let id = VpcEndpointId::from(e.vpc_endpoint_id);
        let state = self.state_or_assumed("VPC endpoint", id.as_str(), e.state);
        self.snapshot.vpc_endpoints.insert(
            id.clone(),
            VpcEndpoint {
                id,
                vpc_id: VpcId::from(e.vpc_id),
                endpoint_type,
                service_name: e.service_name,
                service_region: e.service_region,
                state,
                private_dns_enabled: e.private_dns_enabled.unwrap_or(false),
                private_dns_only_for_inbound_resolver: e
                    .dns_options
                    .as_ref()
                    .and_then(|d| d.private_dns_only_for_inbound_resolver_endpoint)
                    .unwrap_or(false),
                dns_records_ipv6_only: e.dns_options.as_ref().and_then(|d| d.dns_record_ip_type.as_deref()) == Some("ipv6"),
                dns_records_dualstack: e.dns_options.as_ref().and_then(|d| d.dns_record_ip_type.as_deref()) == Some("dualstack"),
                dns_names: e.dns_entries.into_iter().filter_map(|d| d.dns_name).collect(),
                // Sets, not sequences: sorted, so nothing depends on the order AWS listed them in.
                subnet_ids: sorted(e.subnet_ids.into_iter().map(SubnetId::from).collect()),
                security_group_ids: sorted(e.groups.into_iter().map(|g| SecurityGroupId::from(g.group_id)).collect()),
                network_interface_ids: sorted(e.network_interface_ids.into_iter().map(NetworkInterfaceId::from).collect()),
                route_table_ids: sorted(e.route_table_ids.into_iter().map(RouteTableId::from).collect()),
                policy_document: e.policy_document,
                name: name_tag(&e.tags),
                span: item.span,
            },
        );
    }

    fn route_table(&mut self, table: PreparedTable<'_>) {
        let PreparedTable { item, assoc_spans, routes, problems } = table;
        let t = item.value;
        if !self.first_definition("route table", &t.route_table_id, item.span) {
            return;
        }
        let what = format!("route table `{}`", t.route_table_id);
        self.check_vpc_ref(&what, &t.vpc_id, item.span);
        let id = RouteTableId::from(t.route_table_id.clone());
        let vpc_id = VpcId::from(t.vpc_id.clone());
        let mut is_main = false;
        let mut subnet_ids = Vec::new();
        for (index, a) in t.associations.iter().enumerate() {
            let span = assoc_spans.get(index).copied().unwrap_or(item.span);
            let state = a.association_state.as_ref().and_then(|s| s.state.as_deref());
            if matches!(state, Some("disassociated" | "disassociating" | "failed")) {
                continue;
            }
            if a.main {
                is_main = true;
            }
            if let Some(subnet) = &a.subnet_id {
                if !self.check_subnet_ref(&what, subnet, span) {
                    continue;
                }
                if let Some(s) = self.snapshot.subnets.get(subnet.as_str()) {
                    if s.vpc_id != vpc_id {
                        let other = s.vpc_id.clone();
                        self.problem(
                            format!("{what} of VPC `{vpc_id}` is associated with subnet `{subnet}` of VPC `{other}`"),
                            span,
                            "association across VPCs",
                        );
                        continue;
                    }
                }
                let subnet = SubnetId::from(subnet.clone());
                if let Some(previous) = self.snapshot.subnet_route_table.insert(subnet.clone(), id.clone()) {
                    if previous != id {
                        self.problem(
                            format!("subnet `{subnet}` is explicitly associated with both `{previous}` and `{id}`"),
                            span,
                            "second association",
                        )
                        .help = Some("RT-1: a subnet has exactly one route table at a time".to_owned());
                    }
                }
                subnet_ids.push(subnet);
            }
            // RT-9: an edge association routes what enters the VPC through the gateway.
            if let Some(gateway) = &a.gateway_id {
                if let Some(previous) = self.snapshot.gateway_route_table.insert(gateway.clone(), id.clone()) {
                    if previous != id {
                        self.problem(
                            format!("gateway `{gateway}` is associated with both `{previous}` and `{id}`"),
                            span,
                            "second gateway association",
                        )
                        .help = Some("RT-9: a gateway has at most one gateway route table".to_owned());
                    }
                }
            }
        }
        if is_main {
            if let Some(previous) = self.snapshot.main_route_table.insert(vpc_id.clone(), id.clone()) {
                self.problem(
                    format!("VPC `{vpc_id}` has two main route tables, `{previous}` and `{id}`"),
                    item.span,
                    "second main route table",
                )
                .help = Some("RT-1: each VPC has exactly one main route table".to_owned());
            }
        }
        self.problems.extend(problems);
        self.snapshot
            .route_tables
            .insert(id.clone(), RouteTable { id, vpc_id, is_main, subnet_ids, routes, name: name_tag(&t.tags), span: item.span });
    }

    /// RT-12: NAT, IGW and endpoint targets are objects of the table's own account; when
    /// their list was captured, an active route to an ID that is not there is inconsistent.
    fn check_route_targets(&mut self) {
        let mut found = Vec::new();
        for table in self.snapshot.route_tables.values() {
            let scope = self.snapshot.vpc_scope(&table.vpc_id);
            for route in &table.routes {
                if route.is_blackhole {
                    continue;
                }
                let (key, exists) = match &route.target {
                    RouteTarget::NatGateway(id) => ("NatGateways", self.snapshot.nat_gateways.contains_key(id)),
                    RouteTarget::InternetGateway(id) => ("InternetGateways", self.snapshot.internet_gateways.contains_key(id)),
                    RouteTarget::VpcEndpoint(id) => ("VpcEndpoints", self.snapshot.vpc_endpoints.contains_key(id)),
                    _ => continue,
                };
                if !exists && (self.snapshot.is_captured(scope, key) || self.snapshot.is_captured_anywhere(key)) {
                    found.push((table.id.clone(), route.target.id().to_owned(), key, route.span));
                }
            }
        }
        for (table, target, key, span) in found {
            self.problem(format!("route table `{table}` has an active route to `{target}`, which is not in `{key}`"), span, "dangling route target")
                .help = Some(format!("a deleted target leaves the route in state `blackhole`; export `{key}` again, or mark the route `\"State\": \"blackhole\"`"));
        }
        // RT-12: a NAT gateway, endpoint or network interface target is in the table's own VPC;
        // EC2 refuses a route to another VPC's (a spoke reaches a hub's NAT through a TGW, NAT-9).
        let mut foreign = Vec::new();
        for table in self.snapshot.route_tables.values() {
            for route in &table.routes {
                let (what, vpc) = match &route.target {
                    RouteTarget::NatGateway(id) => (
                        "NAT gateway",
                        self.snapshot.nat_gateways.get(id).and_then(|n| {
                            n.vpc_id
                                .clone()
                                .or_else(|| n.subnet_id.as_ref().and_then(|s| self.snapshot.subnets.get(s)).map(|s| s.vpc_id.clone()))
                        }),
                    ),
                    RouteTarget::VpcEndpoint(id) => ("VPC endpoint", self.snapshot.vpc_endpoints.get(id).map(|e| e.vpc_id.clone())),
                    RouteTarget::NetworkInterface(id) => {
                        ("network interface", self.snapshot.network_interfaces.get(id).and_then(|e| e.vpc_id.clone()))
                    }
                    _ => continue,
                };
                if let Some(vpc) = vpc.filter(|v| *v != table.vpc_id) {
                    foreign.push((table.id.clone(), table.vpc_id.clone(), what, route.target.id().to_owned(), vpc, route.span));
                }
            }
        }
        for (table, table_vpc, what, target, vpc, span) in foreign {
            self.problem(
                format!("route table `{table}` of `{table_vpc}` has a route to {what} `{target}` of another VPC, `{vpc}`"),
                span,
                "target in another VPC",
            )
            .help = Some(format!(
                "RT-12: a route's {what} must be in the table's own VPC (EC2 refuses this route); reach `{vpc}` through a transit gateway or a peering connection and route there from its own tables (NAT-9)"
            ));
        }
        // EP-11: AWS keeps a gateway endpoint's route tables and their prefix-list routes in step
        // (the route cannot be added or removed on its own); an export or an overlay where they
        // disagree would be analysed from the stale side.
        let mut disagree = Vec::new();
        for table in self.snapshot.route_tables.values() {
            for route in table.routes.iter().filter(|r| !r.is_blackhole) {
                let RouteTarget::VpcEndpoint(id) = &route.target else { continue };
                if let Some(endpoint) = self.snapshot.vpc_endpoints.get(id).filter(|e| e.endpoint_type == EndpointType::Gateway) {
                    // The route's destination is the service's own prefix list (its name is the
                    // endpoint's service name), when the list is in the snapshot.
                    if let RouteDestination::PrefixList(pl) = &route.destination {
                        let name = self.snapshot.prefix_lists.get(pl).and_then(|p| p.name.as_deref());
                        if let Some(name) = name.filter(|n| !n.eq_ignore_ascii_case(&endpoint.service_name)) {
                            disagree.push((
                                format!(
                                    "route table `{}` sends prefix list `{pl}` ({name}) to gateway endpoint `{id}` of {}",
                                    table.id, endpoint.service_name
                                ),
                                route.span,
                                "another service's list",
                                format!(
                                    "AWS writes the endpoint's own service list in this route (EP-11): use the prefix list named {}",
                                    endpoint.service_name
                                ),
                            ));
                        }
                    }
                    if !endpoint.route_table_ids.contains(&table.id) {
                        disagree.push((
                            format!("route table `{}` has a route to gateway endpoint `{id}`, whose `RouteTableIds` does not list it", table.id),
                            route.span,
                            "route to the endpoint",
                            format!("AWS keeps the two in step (EP-11): add `{}` to the endpoint's `RouteTableIds` (in an overlay, give the endpoint with it), or remove the route", table.id),
                        ));
                    }
                }
            }
        }
        for endpoint in self.snapshot.vpc_endpoints.values().filter(|e| e.endpoint_type == EndpointType::Gateway) {
            for rtb in &endpoint.route_table_ids {
                let Some(table) = self.snapshot.route_tables.get(rtb) else { continue };
                let routed = table.routes.iter().any(|r| r.target == RouteTarget::VpcEndpoint(endpoint.id.clone()));
                if !routed {
                    disagree.push((
                        format!("gateway endpoint `{}` lists route table `{rtb}`, which has no route to it", endpoint.id),
                        endpoint.span,
                        "this endpoint",
                        format!(
                            "AWS adds the prefix-list route to every table the endpoint lists (EP-11): add the `DestinationPrefixListId` route to `{}` to the table (in an overlay, give the table with it), or remove `{rtb}` from `RouteTableIds`",
                            endpoint.id
                        ),
                    ));
                }
            }
        }
        for (message, span, label, help) in disagree {
            self.problem(message, span, label).help = Some(help);
        }
        let mut missing = Vec::new();
        for endpoint in self.snapshot.vpc_endpoints.values() {
            for rtb in &endpoint.route_table_ids {
                if !self.snapshot.route_tables.contains_key(rtb) && self.snapshot.is_captured_anywhere("RouteTables") {
                    missing.push((endpoint.id.clone(), rtb.clone(), endpoint.span));
                }
            }
        }
        for (endpoint, rtb, span) in missing {
            self.problem(
                format!("VPC endpoint `{endpoint}` names route table `{rtb}`, which is not in `RouteTables`"),
                span,
                "dangling route table reference",
            );
        }
    }

    fn transit_gateway(&mut self, item: Item<'_, raw::TransitGateway>) {
        let t = item.value;
        // A TGW shared through RAM is listed by its owner and by every account it is shared
        // with: the same ID in another scope is the same gateway (the first listing is kept).
        if !self.first_definition_in_scope("transit gateway", &t.transit_gateway_id, item.scope, item.span) {
            return;
        }
        if self.snapshot.transit_gateways.contains_key(t.transit_gateway_id.as_str()) {
            return;
        }
        let options = t.options.unwrap_or_default();
        let id = TransitGatewayId::from(t.transit_gateway_id);
        let state = self.state_or_assumed("transit gateway", id.as_str(), t.state);
        self.snapshot.transit_gateways.insert(
            id.clone(),
            TransitGateway {
                id,
                scope: item.scope,
                owner_id: t.owner_id,
                state,
                // TGW-12: the TGW-level default is disable.
                sg_referencing: options.security_group_referencing_support.as_deref() == Some("enable"),
                name: name_tag(&t.tags),
                span: item.span,
            },
        );
    }

    fn tgw_attachment(&mut self, item: Item<'_, raw::TransitGatewayAttachment>) {
        let a = item.value;
        // A TGW peering attachment has one ID on both gateways: the pair is the key.
        let key = format!("{}/{}", a.transit_gateway_id, a.transit_gateway_attachment_id);
        if !self.first_definition_in_scope("transit gateway attachment", &key, item.scope, item.span) {
            return;
        }
        let kind = TgwAttachmentKind::parse(a.resource_type.as_deref().unwrap_or("vpc"));
        let association = a
            .association
            .filter(|x| matches!(x.state.as_deref(), Some("associated" | "associating") | None))
            .and_then(|x| x.transit_gateway_route_table_id)
            .map(TransitGatewayRouteTableId::from);
        let tgw = TransitGatewayId::from(a.transit_gateway_id);
        let id = TransitGatewayAttachmentId::from(a.transit_gateway_attachment_id);
        if let Some(existing) = self.snapshot.tgw_attachments.get_mut(&(tgw.clone(), id.clone())) {
            // Listed again by another account of a shared TGW: fill in what the first lacked.
            if existing.association.is_none() {
                existing.association = association;
            }
            existing.association_span.get_or_insert(item.span);
            return;
        }
        let state = self.state_or_assumed("transit gateway attachment", id.as_str(), a.state);
        self.snapshot.tgw_attachments.insert(
            (tgw.clone(), id.clone()),
            TgwAttachment {
                id,
                tgw,
                kind,
                resource_id: a.resource_id.unwrap_or_default(),
                resource_owner_id: a.resource_owner_id,
                state,
                association,
                subnet_ids: Vec::new(),
                appliance_mode: false,
                sg_referencing: None,
                name: name_tag(&a.tags),
                span: item.span,
                association_span: Some(item.span),
            },
        );
    }

    fn tgw_vpc_attachment(&mut self, item: Item<'_, raw::TransitGatewayVpcAttachment>) {
        let a = item.value;
        let key = format!("{}/{}", a.transit_gateway_id, a.transit_gateway_attachment_id);
        if !self.first_definition_in_scope("transit gateway VPC attachment", &key, item.scope, item.span) {
            return;
        }
        let what = format!("transit gateway attachment `{}`", a.transit_gateway_attachment_id);
        self.check_vpc_ref(&what, &a.vpc_id, item.span);
        let mut subnet_ids = Vec::new();
        let mut azs: BTreeMap<String, String> = BTreeMap::new();
        for subnet in &a.subnet_ids {
            if !self.check_subnet_ref(&what, subnet, item.span) {
                continue;
            }
            if let Some(s) = self.snapshot.subnets.get(subnet.as_str()) {
                if s.vpc_id.as_str() != a.vpc_id {
                    let other = s.vpc_id.clone();
                    self.problem(
                        format!("{what} of VPC `{}` names subnet `{subnet}` of VPC `{other}`", a.vpc_id),
                        item.span,
                        "subnet of another VPC",
                    );
                    continue;
                }
                if let Some(az) = &s.availability_zone {
                    if let Some(first) = azs.insert(az.clone(), subnet.clone()) {
                        self.problem(
                            format!("{what} names two subnets in {az}, `{first}` and `{subnet}`"),
                            item.span,
                            "two subnets in one AZ",
                        )
                        .help = Some("TGW-2: a VPC attachment has exactly one subnet per Availability Zone".to_owned());
                    }
                }
            }
            subnet_ids.push(SubnetId::from(subnet.clone()));
        }
        let options = a.options.unwrap_or_default();
        let tgw = TransitGatewayId::from(a.transit_gateway_id);
        let id = TransitGatewayAttachmentId::from(a.transit_gateway_attachment_id);
        let entry = self.snapshot.tgw_attachments.entry((tgw.clone(), id.clone())).or_insert_with(|| TgwAttachment {
            id,
            tgw,
            kind: TgwAttachmentKind::Vpc,
            resource_id: a.vpc_id.clone(),
            resource_owner_id: None,
            state: a.state.clone().unwrap_or_else(|| "available".to_owned()),
            association: None,
            subnet_ids: Vec::new(),
            appliance_mode: false,
            sg_referencing: None,
            name: name_tag(&a.tags),
            span: item.span,
            association_span: None,
        });
        entry.kind = TgwAttachmentKind::Vpc;
        entry.resource_id = a.vpc_id;
        if let Some(state) = a.state {
            entry.state = state;
        }
        entry.subnet_ids = sorted(subnet_ids);
        entry.appliance_mode = options.appliance_mode_support.as_deref() == Some("enable");
        entry.sg_referencing = options.security_group_referencing_support.map(|v| v == "enable");
        // The VPC attachment carries the subnets: point diagnostics at it.
        entry.span = item.span;
    }

    fn tgw_route_table(&mut self, item: Item<'_, raw::TransitGatewayRouteTable>) {
        let t = item.value;
        if !self.first_definition_in_scope("transit gateway route table", &t.transit_gateway_route_table_id, item.scope, item.span) {
            return;
        }
        if self.snapshot.tgw_route_tables.contains_key(t.transit_gateway_route_table_id.as_str()) {
            return;
        }
        let id = TransitGatewayRouteTableId::from(t.transit_gateway_route_table_id);
        self.snapshot.tgw_route_tables.insert(
            id.clone(),
            TgwRouteTable {
                id,
                tgw: TransitGatewayId::from(t.transit_gateway_id),
                state: t.state.unwrap_or_else(|| "available".to_owned()),
                routes: Vec::new(),
                routes_captured: false,
                is_truncated: false,
                unresolved_propagations: Vec::new(),
                name: name_tag(&t.tags),
                span: item.span,
            },
        );
    }

    fn tgw_propagations(&mut self, item: Item<'_, raw::TransitGatewayPropagations>, out: &mut TgwRouteSources) {
        let spans = Self::field_spans(item.raw, item.span, "TransitGatewayRouteTablePropagations");
        let table = item.value.transit_gateway_route_table_id;
        for (index, p) in item.value.transit_gateway_route_table_propagations.into_iter().enumerate() {
            if matches!(p.state.as_deref(), Some("enabled" | "enabling") | None) {
                let span = spans.get(index).copied().unwrap_or(item.span);
                out.propagations
                    .entry(table.clone())
                    .or_default()
                    .push((TransitGatewayAttachmentId::from(p.transit_gateway_attachment_id), span));
            }
        }
        out.propagations_captured.insert(table);
    }

    fn tgw_routes(&mut self, table: &str, routes: PreparedRoutes, is_complete: bool, out: &mut TgwRouteSources) {
        let what = format!("transit gateway route table `{table}`");
        let list = out.listed.entry(table.to_owned()).or_default();
        if is_complete {
            out.complete.insert(table.to_owned());
        }
        let mut problems = Vec::new();
        for (read, span) in routes {
            let r: raw::TransitGatewayRoute = match read {
                Ok(r) => r,
                Err(e) => {
                    let mut p = Problem::new(format!("{what}: invalid route: {e}"), Some(span));
                    p.label = "this route".to_owned();
                    problems.push(p);
                    continue;
                }
            };
            let destination = match (&r.destination_cidr_block, &r.prefix_list_id) {
                (Some(text), _) => match parse_cidr_v4(text) {
                    Ok(net) if net.trunc() == net => RouteDestination::Ipv4(net),
                    Ok(net) => {
                        let mut p = Problem::new(format!("{what}: route destination `{text}` has host bits set"), Some(span));
                        p.label = "this route".to_owned();
                        p.help = Some(format!("did you mean `{}`?", net.trunc()));
                        problems.push(p);
                        continue;
                    }
                    // IPv6 TGW routes are not followed (IPv4 analysis).
                    Err(_) if text.contains(':') => continue,
                    Err(e) => {
                        let mut p = Problem::new(format!("{what}: {e}"), Some(span));
                        p.label = "this route".to_owned();
                        problems.push(p);
                        continue;
                    }
                },
                (None, Some(pl)) => RouteDestination::PrefixList(PrefixListId::from(pl.clone())),
                (None, None) => {
                    let mut p = Problem::new(format!("{what}: route has no destination"), Some(span));
                    p.label = "this route".to_owned();
                    problems.push(p);
                    continue;
                }
            };
            let is_blackhole = r.state.as_deref() == Some("blackhole");
            let origin = match r.route_type.as_deref() {
                Some("propagated") => RouteOrigin::Propagated,
                _ => RouteOrigin::Static,
            };
            let attachments: Vec<&str> =
                r.transit_gateway_attachments.iter().filter_map(|a| a.transit_gateway_attachment_id.as_deref()).collect();
            if attachments.is_empty() || is_blackhole {
                let index = list.len();
                list.push(Route {
                    destination,
                    target: RouteTarget::Other("blackhole", "blackhole".to_owned()),
                    origin,
                    is_blackhole: true,
                    index,
                    span,
                });
                continue;
            }
            // TGW-8: several attachments on one route is ECMP; each becomes a candidate.
            for attachment in attachments {
                let index = list.len();
                list.push(Route {
                    destination: destination.clone(),
                    target: RouteTarget::TgwAttachment(TransitGatewayAttachmentId::from(attachment.to_owned())),
                    origin,
                    is_blackhole: false,
                    index,
                    span,
                });
            }
        }
        self.problems.extend(problems);
    }

    /// TGW-7, TGW-8: a table's routes are the listed ones; when only static routes were
    /// listed, the propagated ones are computed from the propagations (the VPC CIDRs of each
    /// propagating VPC attachment).
    fn finish_tgw_routes(&mut self, sources: TgwRouteSources) {
        let TgwRouteSources { listed, complete, propagations, propagations_captured, truncated } = sources;
        let mut missing = Vec::new();
        for (table_id, routes) in &listed {
            if !self.snapshot.tgw_route_tables.contains_key(table_id.as_str()) {
                missing.push(table_id.clone());
            }
            let _ = routes;
        }
        for table in self.snapshot.tgw_route_tables.values_mut() {
            let key = table.id.as_str();
            let mut routes = listed.get(key).cloned().unwrap_or_default();
            table.routes_captured = listed.contains_key(key);
            table.is_truncated = truncated.contains(key);
            if !complete.contains(key) {
                if !propagations_captured.contains(key) {
                    table.unresolved_propagations.push(super::PROPAGATIONS_NOT_CAPTURED.to_owned());
                }
                for (attachment, span) in propagations.get(key).into_iter().flatten() {
                    let found = self.snapshot.tgw_attachments.get(&(table.tgw.clone(), attachment.clone()));
                    match found {
                        Some(a) if a.kind == TgwAttachmentKind::Vpc => {
                            let vpc = VpcId::from(a.resource_id.clone());
                            match self.snapshot.vpcs.get(&vpc) {
                                Some(v) => {
                                    for cidr in &v.cidrs {
                                        let already = routes.iter().any(|r| {
                                            r.origin == RouteOrigin::Propagated
                                                && r.destination == RouteDestination::Ipv4(*cidr)
                                                && r.target == RouteTarget::TgwAttachment(attachment.clone())
                                        });
                                        if !already {
                                            let index = routes.len();
                                            routes.push(Route {
                                                destination: RouteDestination::Ipv4(*cidr),
                                                target: RouteTarget::TgwAttachment(attachment.clone()),
                                                origin: RouteOrigin::Propagated,
                                                is_blackhole: false,
                                                index,
                                                span: *span,
                                            });
                                        }
                                    }
                                }
                                None => table
                                    .unresolved_propagations
                                    .push(format!("{attachment} propagates {vpc}, whose CIDRs are not captured")),
                            }
                        }
                        // TGW-7: peering attachments do not propagate.
                        Some(a) if a.kind == TgwAttachmentKind::Peering => {}
                        Some(a) => table.unresolved_propagations.push(format!(
                            "{attachment} ({}) propagates routes learned over BGP, which a snapshot does not hold",
                            a.kind.as_str()
                        )),
                        None => table.unresolved_propagations.push(format!("propagating attachment {attachment} is not captured")),
                    }
                }
            }
            table.routes = routes;
        }
        for table in missing {
            if self.snapshot.is_captured_anywhere("TransitGatewayRouteTables") {
                self.snapshot.warnings.push(LoadWarning::Ignored {
                    resource_id: table.clone(),
                    reason: format!("routes of transit gateway route table {table}, which is not in `TransitGatewayRouteTables`"),
                    span: Span::default(),
                });
            }
        }
    }

    fn network_acl(&mut self, acl: PreparedAcl<'_>) {
        let PreparedAcl { item, assoc_spans, inbound, outbound, defaults: (inbound_default, outbound_default), problems } = acl;
        let a = item.value;
        if !self.first_definition("network ACL", &a.network_acl_id, item.span) {
            return;
        }
        let what = format!("network ACL `{}`", a.network_acl_id);
        self.check_vpc_ref(&what, &a.vpc_id, item.span);
        let id = NetworkAclId::from(a.network_acl_id.clone());
        let mut subnet_ids = Vec::new();
        for (index, assoc) in a.associations.iter().enumerate() {
            let Some(subnet) = &assoc.subnet_id else { continue };
            let span = assoc_spans.get(index).copied().unwrap_or(item.span);
            if !self.check_subnet_ref(&what, subnet, span) {
                continue;
            }
            let subnet = SubnetId::from(subnet.clone());
            if let Some(previous) = self.snapshot.subnet_network_acl.insert(subnet.clone(), id.clone()) {
                if previous != id {
                    self.problem(
                        format!("subnet `{subnet}` is associated with both `{previous}` and `{id}`"),
                        span,
                        "second association",
                    )
                    .help = Some("NACL-3: each subnet has exactly one network ACL".to_owned());
                }
            }
            subnet_ids.push(subnet);
        }
        let vpc_id = VpcId::from(a.vpc_id.clone());
        if a.is_default {
            if let Some(previous) = self.snapshot.default_network_acl.insert(vpc_id.clone(), id.clone()) {
                self.problem(format!("VPC `{vpc_id}` has two default network ACLs, `{previous}` and `{id}`"), item.span, "second default");
            }
        }
        self.problems.extend(problems);
        self.snapshot.network_acls.insert(
            id.clone(),
            NetworkAcl {
                id,
                vpc_id,
                is_default: a.is_default,
                subnet_ids,
                inbound,
                outbound,
                inbound_default,
                outbound_default,
                span: item.span,
            },
        );
    }

    fn dhcp_options(&mut self, item: Item<'_, raw::DhcpOptions>) {
        let d = item.value;
        if !self.first_definition("DHCP options set", &d.dhcp_options_id, item.span) {
            return;
        }
        let servers = d
            .dhcp_configurations
            .iter()
            .filter(|c| c.key == "domain-name-servers")
            .flat_map(|c| c.values.iter().map(|v| v.value.clone()))
            .collect();
        let id = DhcpOptionsId::from(d.dhcp_options_id);
        self.snapshot.dhcp_options.insert(id.clone(), DhcpOptions { id, domain_name_servers: servers, span: item.span });
    }

    fn ecs_service(&mut self, item: Item<'_, raw::EcsService>) {
        let s = item.value;
        let key = s.service_arn.clone().unwrap_or_else(|| s.service_name.clone());
        if !self.first_definition("ECS service", &key, item.span) {
            return;
        }
        let what = format!("ECS service `{}`", s.service_name);
        // FG-1: Fargate tasks run in `awsvpc` mode; a service without this configuration is not one.
        let Some(cfg) = s.network_configuration.and_then(|n| n.awsvpc_configuration) else {
            self.snapshot.warnings.push(LoadWarning::Ignored {
                resource_id: key,
                reason: "ECS service without networkConfiguration.awsvpcConfiguration (not a Fargate/awsvpc service)".to_owned(),
                span: item.span,
            });
            return;
        };
        let mut vpcs = BTreeSet::new();
        for subnet in &cfg.subnets {
            self.check_subnet_ref(&what, subnet, item.span);
            if let Some(sub) = self.snapshot.subnets.get(subnet.as_str()) {
                vpcs.insert(sub.vpc_id.clone());
            }
        }
        if vpcs.len() > 1 {
            self.problem(format!("{what} lists subnets of several VPCs"), item.span, "this service").help =
                Some("FG-2: ECS requires all subnets of a service to be in one VPC".to_owned());
        }
        if cfg.subnets.is_empty() {
            self.problem(format!("{what} has no subnets"), item.span, "this service");
        }
        for group in cfg.security_groups.iter().flatten() {
            self.check_group_ref(&what, group, item.span);
            // FG-2: the task ENI is in the service's VPC, and so are its security groups.
            let group_vpc = self.snapshot.security_groups.get(group.as_str()).and_then(|g| g.vpc_id.clone());
            if let (Some(group_vpc), [vpc]) = (group_vpc, vpcs.iter().collect::<Vec<_>>().as_slice()) {
                // (A subnet of a missing VPC is reported as such already.)
                if group_vpc != **vpc && self.snapshot.vpcs.contains_key(vpc.as_str()) {
                    self.problem(
                        format!("{what}: security group `{group}` is in `{group_vpc}`, the service's subnets in `{vpc}`"),
                        item.span,
                        "this service",
                    )
                    .help = Some("FG-2: a task's security groups belong to the VPC of its subnets (ECS refuses others)".to_owned());
                }
            }
        }
        let assign_public_ip = match cfg.assign_public_ip.as_deref() {
            None | Some("DISABLED") => false,
            Some("ENABLED") => true,
            Some(other) => {
                self.problem(format!("{what}: assignPublicIp is `{other}`, expected ENABLED or DISABLED"), item.span, "this service");
                false
            }
        };
        let cluster = s.cluster_arn.as_deref().map(|a| a.rsplit('/').next().unwrap_or(a).to_owned());
        self.snapshot.ecs_services.push(EcsService {
            name: s.service_name,
            arn: s.service_arn,
            cluster,
            subnet_ids: cfg.subnets.into_iter().map(SubnetId::from).collect(),
            security_group_ids: cfg.security_groups.filter(|g| !g.is_empty()).map(|g| g.into_iter().map(SecurityGroupId::from).collect()),
            assign_public_ip,
            platform_version: s.platform_version,
            scope: item.scope,
            span: item.span,
        });
    }

    fn hosted_zone(&mut self, item: Item<'_, raw::HostedZoneEntry>) {
        let z = item.value;
        let id_text = z.hosted_zone.id.trim_start_matches("/hostedzone/").to_owned();
        if !self.first_definition("hosted zone", &id_text, item.span) {
            return;
        }
        let record_spans = Self::field_spans(item.raw, item.span, "ResourceRecordSets");
        let records = z
            .resource_record_sets
            .into_iter()
            .enumerate()
            .map(|(index, r)| DnsRecord {
                name: normalize_dns_name(&r.name),
                record_type: r.record_type,
                values: r.resource_records.into_iter().map(|v| v.value).collect(),
                alias_dns_name: r.alias_target.map(|a| normalize_dns_name(&a.dns_name)),
                span: record_spans.get(index).copied().unwrap_or(item.span),
            })
            .collect();
        let id = HostedZoneId::from(id_text);
        self.snapshot.hosted_zones.insert(
            id.clone(),
            HostedZone {
                id,
                name: normalize_dns_name(&z.hosted_zone.name),
                is_private: z.hosted_zone.config.is_some_and(|c| c.private_zone),
                vpc_ids: z.vpcs.into_iter().map(|v| VpcId::from(v.vpc_id)).collect(),
                records,
                span: item.span,
            },
        );
    }

    fn block_public_access(&mut self, item: Item<'_, raw::BlockPublicAccessOptions>) {
        let o = item.value;
        if self.snapshot.block_public_access.contains_key(&item.scope) {
            self.problem("duplicate `VpcBlockPublicAccessOptions` for one account and region", item.span, "defined again here");
            return;
        }
        let mode = o.internet_gateway_block_mode.to_ascii_lowercase();
        if !matches!(mode.as_str(), "off" | "block-bidirectional" | "block-ingress") {
            self.problem(
                format!("unknown InternetGatewayBlockMode `{mode}`"),
                item.span,
                "expected off, block-bidirectional or block-ingress",
            );
            return;
        }
        // The setting is eventually consistent; a pending update is reported as read.
        let _ = o.state;
        self.snapshot.block_public_access.insert(item.scope, BlockPublicAccess { mode, span: item.span });
    }

    fn bpa_exclusion(&mut self, item: Item<'_, raw::BlockPublicAccessExclusion>) {
        let x = item.value;
        let active = x.state.as_deref().is_none_or(|s| matches!(s, "create-complete" | "update-complete"));
        if !active {
            self.snapshot.warnings.push(LoadWarning::Ignored {
                resource_id: x.exclusion_id.clone(),
                reason: format!(
                    "Block Public Access exclusion {} is `{}`, so it does not apply",
                    x.exclusion_id,
                    x.state.unwrap_or_default()
                ),
                span: item.span,
            });
            return;
        }
        // arn:aws:ec2:<region>:<account>:vpc/vpc-… or …:subnet/subnet-…
        let Some(resource_id) = x.resource_arn.rsplit('/').next().filter(|id| id.starts_with("vpc-") || id.starts_with("subnet-")) else {
            self.problem(format!("exclusion `{}`: `{}` names no VPC or subnet", x.exclusion_id, x.resource_arn), item.span, "ResourceArn");
            return;
        };
        self.snapshot.bpa_exclusions.push(BlockPublicAccessExclusion {
            id: x.exclusion_id,
            resource_id: resource_id.to_owned(),
            mode: x.internet_gateway_exclusion_mode.to_ascii_lowercase(),
            scope: item.scope,
            span: item.span,
        });
    }

    fn resolver_rule(&mut self, item: Item<'_, raw::ResolverRule>) {
        let r = item.value;
        if !self.first_definition("resolver rule", &r.id, item.span) {
            return;
        }
        let id = ResolverRuleId::from(r.id);
        self.snapshot.resolver_rules.insert(
            id.clone(),
            ResolverRule {
                id,
                domain_name: normalize_dns_name(&r.domain_name),
                rule_type: r.rule_type.to_ascii_uppercase(),
                span: item.span,
            },
        );
    }

    fn resolver_rule_association(&mut self, item: Item<'_, raw::ResolverRuleAssociation>) {
        let a = item.value;
        // DNS-7: only a live association changes resolution; say which ones are left out.
        let what = format!("resolver rule {}", a.resolver_rule_id);
        if self.association_left_out(a.status.as_deref(), &["DELETING", "FAILED"], &a.resolver_rule_id, &what, &a.vpc_id, item.span) {
            return;
        }
        self.snapshot.resolver_rule_associations.push(ResolverRuleAssociation {
            rule_id: ResolverRuleId::from(a.resolver_rule_id),
            vpc_id: VpcId::from(a.vpc_id),
            span: item.span,
        });
    }

    /// Whether an association of `what` with `with` (a VPC, a Profile) is in one of the `ignored`
    /// states, where it no longer applies: then it is left out, and said (`VPCR005`).
    fn association_left_out(
        &mut self,
        status: Option<&str>,
        ignored: &[&str],
        resource_id: &str,
        what: &str,
        with: &str,
        span: Span,
    ) -> bool {
        let Some(status) = status.filter(|s| ignored.contains(s)) else { return false };
        self.snapshot.warnings.push(LoadWarning::Ignored {
            resource_id: resource_id.to_owned(),
            reason: format!("the association of {what} with {with} is {status}, so it does not apply"),
            span,
        });
        true
    }

    /// DNS-8: a Route 53 Profile associated with a VPC; one not yet created, being deleted or
    /// failed does not apply.
    fn profile_association(&mut self, item: Item<'_, raw::ProfileAssociation>) {
        let a = item.value;
        if !self.first_definition("Route 53 Profile association", &a.id, item.span) {
            return;
        }
        let what = format!("Route 53 Profile {}", a.profile_id);
        if self.association_left_out(a.status.as_deref(), PROFILE_LEFT_OUT, &a.id, &what, &a.resource_id, item.span) {
            return;
        }
        self.snapshot.profile_associations.push(ProfileAssociation {
            id: a.id,
            profile_id: a.profile_id,
            vpc_id: VpcId::from(a.resource_id),
            span: item.span,
        });
    }

    /// DNS-8: a resource of a Route 53 Profile, told by its ARN.
    fn profile_resource(&mut self, item: Item<'_, raw::ProfileResourceAssociation>) {
        let r = item.value;
        let id = r.id.clone().unwrap_or_else(|| r.resource_arn.clone());
        if !self.first_definition("Route 53 Profile resource association", &format!("{}/{id}", r.profile_id), item.span) {
            return;
        }
        let profile = format!("Route 53 Profile {}", r.profile_id);
        if self.association_left_out(r.status.as_deref(), PROFILE_LEFT_OUT, &id, &r.resource_arn, &profile, item.span) {
            return;
        }
        let Some(kind) = profile_resource_kind(&r.resource_arn, r.resource_properties.as_deref()) else {
            self.problem(format!("Route 53 Profile resource: `{}` is not an ARN", r.resource_arn), item.span, "in this association");
            return;
        };
        self.snapshot.profile_resources.push(ProfileResource { id, profile_id: r.profile_id, arn: r.resource_arn, kind, span: item.span });
    }

    /// DNS-5: a rule group associated with a VPC. Like a Resolver rule association, one that
    /// is being deleted (or whose owner account is closed) no longer applies.
    fn firewall_association(&mut self, item: Item<'_, raw::FirewallRuleGroupAssociation>) {
        let a = item.value;
        if !self.first_definition("DNS Firewall rule group association", &a.id, item.span) {
            return;
        }
        let what = format!("DNS Firewall rule group {}", a.firewall_rule_group_id);
        if self.association_left_out(
            a.status.as_deref(),
            &["DELETING", "INACTIVE_OWNER_ACCOUNT_CLOSED"],
            &a.id,
            &what,
            &a.vpc_id,
            item.span,
        ) {
            return;
        }
        self.snapshot.firewall_associations.push(FirewallAssociation {
            id: a.id,
            vpc_id: VpcId::from(a.vpc_id),
            rule_group_id: a.firewall_rule_group_id,
            priority: a.priority,
            name: a.name.filter(|n| !n.is_empty()),
            span: item.span,
        });
    }

    fn firewall_rule(&mut self, item: Item<'_, raw::FirewallRule>) {
        let r = item.value;
        // A rule has no ID: its priority is unique within its group.
        if !self.first_definition("DNS Firewall rule", &format!("{} priority {}", r.firewall_rule_group_id, r.priority), item.span) {
            return;
        }
        let action = match r.action.to_ascii_uppercase().as_str() {
            "ALLOW" => FirewallAction::Allow,
            "ALERT" => FirewallAction::Alert,
            "BLOCK" => FirewallAction::Block,
            other => {
                self.problem(format!("DNS Firewall rule: unknown action `{other}`"), item.span, "in this rule").help =
                    Some("the action is ALLOW, ALERT or BLOCK".to_owned());
                return;
            }
        };
        if r.firewall_domain_list_id.is_none() && r.firewall_threat_protection_id.is_none() {
            self.problem("DNS Firewall rule without `FirewallDomainListId` or `FirewallThreatProtectionId`", item.span, "in this rule");
            return;
        }
        let rule = FirewallRule {
            rule_group_id: r.firewall_rule_group_id,
            name: r.name.filter(|n| !n.is_empty()),
            priority: r.priority,
            action,
            domain_list_id: r.firewall_domain_list_id,
            threat_protection_id: r.firewall_threat_protection_id,
            block_response: r.block_response,
            qtype: r.qtype.filter(|q| !q.is_empty()),
            trusts_redirection: r.firewall_domain_redirection_action.as_deref() == Some("TRUST_REDIRECTION_DOMAIN"),
            span: item.span,
        };
        let rules = self.snapshot.firewall_rules.entry(rule.rule_group_id.clone()).or_default();
        let at = rules.partition_point(|x| x.priority < rule.priority);
        rules.insert(at, rule);
    }

    fn firewall_domain_list(&mut self, item: Item<'_, raw::FirewallDomainList>) {
        let l = item.value;
        if !self.first_definition("DNS Firewall domain list", &l.id, item.span) {
            return;
        }
        let domains = l.domains.map(|d| d.iter().map(|x| normalize_dns_name(x)).collect());
        self.snapshot.firewall_domain_lists.insert(
            l.id.clone(),
            FirewallDomainList {
                id: l.id,
                name: l.name.filter(|n| !n.is_empty()),
                managed_owner: l.managed_owner_name.filter(|n| !n.is_empty()),
                domains,
                span: item.span,
            },
        );
    }
}

/// DNS-8: the states in which a Profile association, or a Profile's resource association, does
/// not (or no longer) apply.
const PROFILE_LEFT_OUT: &[&str] = &["CREATING", "DELETING", "DELETED", "FAILED"];

/// What a Profile's resource is, from its ARN (`arn:aws:route53:::hostedzone/Z…`,
/// `arn:aws:route53resolver:…:resolver-rule/rslvr-rr-…`, `…:firewall-rule-group/rslvr-frg-…`,
/// `arn:aws:ec2:…:vpc-endpoint/vpce-…`); `None` when it is not an ARN.
fn profile_resource_kind(arn: &str, properties: Option<&str>) -> Option<ProfileResourceKind> {
    let resource = arn.strip_prefix("arn:")?.splitn(5, ':').nth(4)?;
    let (kind, id) = resource.split_once('/')?;
    Some(match kind {
        "hostedzone" => ProfileResourceKind::HostedZone(HostedZoneId::from(id)),
        "resolver-rule" => ProfileResourceKind::ResolverRule(ResolverRuleId::from(id)),
        "firewall-rule-group" => {
            // `{"priority": 102}`: where the group is inspected among the Profile's.
            let priority = properties
                .and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok())
                .and_then(|v| v.get("priority").and_then(serde_json::Value::as_i64));
            ProfileResourceKind::FirewallRuleGroup { id: id.to_owned(), priority }
        }
        "vpc-endpoint" => ProfileResourceKind::VpcEndpoint(VpcEndpointId::from(id)),
        _ => ProfileResourceKind::Other,
    })
}

/// A list whose order carries no meaning, in one canonical order.
fn sorted<T: Ord>(mut list: Vec<T>) -> Vec<T> {
    list.sort();
    list.dedup();
    list
}

/// Lower-case, no trailing dot, Route 53's `\052` escape turned back into `*` (DNS-9).
pub fn normalize_dns_name(name: &str) -> String {
    name.trim_end_matches('.').replace("\\052", "*").to_ascii_lowercase()
}

#[cfg(test)]
pub(super) mod tests {
    use super::nested_list_offset;

    /// The reading this check replaced: every byte, a stack of open containers.
    fn oracle(text: &str) -> Option<usize> {
        let mut stack: Vec<u8> = Vec::new();
        let mut in_string = false;
        let mut escaped = false;
        for (offset, byte) in text.bytes().enumerate() {
            if in_string {
                match byte {
                    _ if escaped => escaped = false,
                    b'\\' => escaped = true,
                    b'"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            match byte {
                b'"' => in_string = true,
                b'[' if stack.last() == Some(&b'[') => return Some(offset),
                b'[' | b'{' => stack.push(byte),
                b']' | b'}' => {
                    stack.pop();
                }
                _ => {}
            }
        }
        None
    }

    /// JSON values whose strings and keys are full of what the scans look for.
    pub(in crate::model) fn json() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            (0i64..100).prop_map(Value::from),
            // Strings full of what the check looks for.
            proptest::collection::vec(prop_oneof![Just('['), Just('"'), Just('\\'), Just(','), Just('a'), Just(' ')], 0..5)
                .prop_map(|c| Value::from(c.into_iter().collect::<String>())),
        ];
        leaf.prop_recursive(4, 40, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::vec((prop_oneof![Just("A"), Just("[\""), Just("b\\")], inner), 0..4)
                    .prop_map(|fields| Value::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
            ]
        })
    }

    proptest::proptest! {
        /// Compact and pretty-printed, the check finds what the byte-by-byte reading finds.
        #[test]
        fn nested_list_offset_matches_the_byte_by_byte_reading(value in json()) {
            for text in [serde_json::to_string(&value).unwrap(), serde_json::to_string_pretty(&value).unwrap()] {
                proptest::prop_assert_eq!(nested_list_offset(&text), oracle(&text), "{}", text);
            }
        }
    }

    /// Security groups are parsed on another thread; their problems are still reported where
    /// the file has them, between the other keys' and region by region.
    #[test]
    fn problems_keep_the_file_order_across_the_security_group_thread() {
        let text = r#"{"Regions": [
            {"Region": "us-east-1", "Subnets": [{"SubnetId": 1}], "SecurityGroups": [{"GroupId": 2}], "RouteTables": [{"RouteTableId": 3}]},
            {"Region": "eu-west-1", "SecurityGroups": [{"GroupId": 4}], "Vpcs": [{"VpcId": 5}]}
        ]}"#;
        let Err(crate::model::LoadError::Invalid { problems, .. }) = crate::model::load_str("order.json", text) else {
            panic!("the snapshot is not valid")
        };
        let keys: Vec<&str> = problems
            .iter()
            .map(|p| {
                ["Subnets", "SecurityGroups", "RouteTables", "Vpcs"]
                    .into_iter()
                    .find(|k| p.message.contains(&format!("`{k}`")))
                    .unwrap_or("?")
            })
            .collect();
        assert_eq!(keys, ["Subnets", "SecurityGroups", "RouteTables", "SecurityGroups", "Vpcs"], "{problems:?}");
    }

    /// A VPC shared through RAM is listed by its owner and by each participant account, with
    /// the owner's `OwnerId`: the participants' copies are left out and said so, once per
    /// account; a participant's copy alone is used; two copies in one account, or two that both
    /// claim the VPC, are still duplicates, and their help says where the first one is.
    #[test]
    fn shared_vpc_copies_from_participant_accounts_are_one_vpc() {
        let vpc = |owner: &str| format!(r#"{{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "OwnerId": "{owner}"}}"#);
        let subnet = |id: &str, owner: &str| {
            format!(r#"{{"SubnetId": "{id}", "VpcId": "vpc-1", "CidrBlock": "10.0.{}.0/24", "OwnerId": "{owner}"}}"#, id.len())
        };
        let region = |account: &str, vpcs: &str, subnets: &str| {
            format!(r#"{{"Region": "us-east-1", "AccountId": "{account}", "Vpcs": [{vpcs}], "Subnets": [{subnets}]}}"#)
        };
        // The participant first, then the owner: the owner's copies are kept.
        let participant = region("222222222222", &vpc("111111111111"), &subnet("subnet-1", "111111111111"));
        let owner = region(
            "111111111111",
            &vpc("111111111111"),
            &[subnet("subnet-1", "111111111111"), subnet("subnet-22", "111111111111")].join(","),
        );
        let text = format!(r#"{{"Regions": [{participant}, {owner}]}}"#);
        let snapshot = crate::model::load_str("shared.json", &text).expect("one shared VPC");
        let owner_scope = snapshot.scopes.iter().position(|s| s.account.as_deref() == Some("111111111111")).expect("owner scope");
        assert_eq!(snapshot.vpcs.len(), 1);
        assert_eq!(snapshot.vpc_scope(&crate::model::VpcId::from("vpc-1".to_owned())).0 as usize, owner_scope);
        assert_eq!(snapshot.subnets.len(), 2);
        let ignored: Vec<&str> = snapshot
            .warnings
            .iter()
            .filter_map(|w| match w {
                crate::model::LoadWarning::Ignored { resource_id, reason, .. } => Some((resource_id.as_str(), reason.as_str())),
                _ => None,
            })
            .map(|(id, reason)| {
                assert!(reason.contains("account 222222222222 lists it and 1 more shared VPC or subnet again"), "{reason}");
                id
            })
            .collect();
        assert_eq!(ignored, ["vpc-1"]);
        // Only the participant's view: used as it is.
        let text = format!(r#"{{"Regions": [{participant}]}}"#);
        let snapshot = crate::model::load_str("view.json", &text).expect("a view alone");
        assert_eq!((snapshot.vpcs.len(), snapshot.subnets.len()), (1, 1));
        // Twice in one account, or claimed by two accounts: duplicates.
        for text in [
            region("111111111111", &[vpc("111111111111"), vpc("111111111111")].join(","), ""),
            format!(
                r#"{{"Regions": [{}, {}]}}"#,
                region("111111111111", &vpc("111111111111"), ""),
                region("222222222222", &vpc("222222222222"), "")
            ),
        ] {
            let Err(crate::model::LoadError::Invalid { problems, .. }) = crate::model::load_str("dup.json", &text) else {
                panic!("duplicates accepted: {text}")
            };
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!(problems[0].message, "duplicate VPC `vpc-1`");
            let help = problems[0].help.as_deref().unwrap_or_default();
            assert!(help.starts_with("each ID may appear once; the first definition is at dup.json:1:"), "{help}");
        }
    }

    /// EP-26: a VPC Lattice resource or service-network endpoint is loaded and said to be used by
    /// no path; an interface endpoint is not.
    #[test]
    fn lattice_endpoints_are_reported_as_unused() {
        let endpoint = |id: &str, kind: &str| {
            format!(
                r#"{{"VpcEndpointId": "{id}", "VpcId": "vpc-1", "VpcEndpointType": "{kind}", "ServiceName": "x", "State": "available"}}"#
            )
        };
        let text = format!(
            r#"{{"Vpcs": [{{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}}], "VpcEndpoints": [{}, {}]}}"#,
            endpoint("vpce-1", "Resource"),
            endpoint("vpce-2", "Interface")
        );
        let snapshot = crate::model::load_str("lattice.json", &text).expect("valid");
        let ignored: Vec<(&str, &str)> = snapshot
            .warnings
            .iter()
            .filter_map(|w| match w {
                crate::model::LoadWarning::Ignored { resource_id, reason, .. } => Some((resource_id.as_str(), reason.as_str())),
                _ => None,
            })
            .collect();
        assert_eq!(ignored.len(), 1, "{ignored:?}");
        assert_eq!(ignored[0].0, "vpce-1");
        assert!(ignored[0].1.contains("type `Resource`") && ignored[0].1.contains("EP-26"), "{}", ignored[0].1);
        assert_eq!(snapshot.vpc_endpoints.len(), 2);
    }

    fn problem_messages(text: &str) -> Vec<String> {
        let Err(crate::model::LoadError::Invalid { problems, .. }) = crate::model::load_str("prepared.json", text) else {
            panic!("the snapshot is not valid")
        };
        problems.into_iter().map(|p| p.message).collect()
    }

    /// Route tables, NACLs and security groups are converted before they are built (issue 7):
    /// what converting them finds is reported where building them reported it, not at all for
    /// a duplicate, and nothing built meanwhile is reported while a security group is invalid.
    #[test]
    fn prepared_resources_report_as_built_ones() {
        let vpcs = r#""Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}, {"VpcId": "vpc-2", "CidrBlock": "10.1.0.0/16"},
                {"VpcId": "vpc-3", "CidrBlock": "10.2.0.1/16"}],
            "Subnets": [{"SubnetId": "subnet-2", "VpcId": "vpc-2", "CidrBlock": "10.1.0.0/24"}]"#;
        let text = format!(
            r#"{{{vpcs}, "RouteTables": [
                {{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Associations": [{{"SubnetId": "subnet-2"}}],
                  "Routes": [{{"DestinationCidrBlock": "10.0.0.1/16", "GatewayId": "local"}}]}},
                {{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Associations": [], "Routes": [{{"GatewayId": "local"}}]}}],
              "NetworkAcls": [{{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": true, "Associations": [],
                  "Entries": [{{"RuleNumber": 0, "Protocol": "-1", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0"}}]}},
                {{"NetworkAclId": "acl-2", "VpcId": "vpc-1", "IsDefault": true, "Associations": [], "Entries": []}},
                {{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "Associations": [], "Entries": [{{"RuleNumber": 5, "Protocol": "x", "RuleAction": "allow", "Egress": false}}]}}],
              "SecurityGroups": [{{"GroupId": "sg-1", "VpcId": "vpc-9", "IpPermissions": [{{"IpProtocol": "bogus"}}], "IpPermissionsEgress": []}},
                {{"GroupId": "sg-1", "IpPermissions": [{{"IpProtocol": "bogus"}}], "IpPermissionsEgress": []}}]}}"#
        );
        assert_eq!(
            problem_messages(&text),
            [
                "VPC `vpc-3` CIDR `10.2.0.1/16` has host bits set",
                "security group `sg-1` refers to VPC `vpc-9`, which is not in `Vpcs`",
                "security group `sg-1`: unknown protocol `bogus`",
                "duplicate security group `sg-1`",
                "route table `rtb-1` of VPC `vpc-1` is associated with subnet `subnet-2` of VPC `vpc-2`",
                "route table `rtb-1`: route destination `10.0.0.1/16` has host bits set",
                "duplicate route table `rtb-1`",
                "network ACL `acl-1`: rule number 0 is outside 1..=32766",
                "VPC `vpc-1` has two default network ACLs, `acl-1` and `acl-2`",
                "duplicate network ACL `acl-1`",
            ]
        );
        // A VPC with host bits (found while the groups are read) and a group that is not an
        // object: only the group is reported, as when nothing was built before the groups.
        let text = r#"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.1/16"}], "SecurityGroups": [5]}"#;
        let messages = problem_messages(text);
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages.iter().all(|m| m.starts_with("invalid item in `SecurityGroups`")), "{messages:?}");
    }

    /// The routes of route search answers are read on another core while the resources before
    /// them are built (issue 7): what reading them finds is reported after what building those
    /// found, in route order.
    #[test]
    fn route_search_problems_follow_earlier_ones_in_route_order() {
        let text = r#"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}],
            "SecurityGroups": [{"GroupId": "sg-1", "VpcId": "vpc-9", "IpPermissions": [], "IpPermissionsEgress": []}],
            "TransitGateways": [{"TransitGatewayId": "tgw-1", "State": "available"}],
            "TransitGatewayRouteTables": [{"TransitGatewayRouteTableId": "tgw-rtb-1", "TransitGatewayId": "tgw-1"}],
            "TransitGatewayRoutes": [{"TransitGatewayRouteTableId": "tgw-rtb-1", "Routes": [
                {"DestinationCidrBlock": 5},
                {"DestinationCidrBlock": "10.0.0.1/16", "State": "active"},
                {"State": "active"}]}]}"#;
        assert_eq!(
            problem_messages(text),
            [
                "security group `sg-1` refers to VPC `vpc-9`, which is not in `Vpcs`",
                "transit gateway route table `tgw-rtb-1`: invalid route: invalid type: integer `5`, expected a string at line 1 column 26",
                "transit gateway route table `tgw-rtb-1`: route destination `10.0.0.1/16` has host bits set",
                "transit gateway route table `tgw-rtb-1`: route has no destination",
            ]
        );
    }

    /// `describe-managed-prefix-lists` answers under the CLI's own key `PrefixLists`: `Entries`
    /// added to an item are its CIDRs; without them the entries are not captured.
    #[test]
    fn managed_prefix_list_entries_under_the_cli_key_are_read() {
        let text = r#"{"PrefixLists": [
            {"PrefixListId": "pl-1", "AddressFamily": "IPv4", "Entries": [{"Cidr": "10.0.0.0/16"}, {"Cidr": "192.168.0.0/24"}]},
            {"PrefixListId": "pl-2", "AddressFamily": "IPv4"},
            {"PrefixListId": "pl-3", "AddressFamily": "IPv6", "Entries": [{"Cidr": "2600::/16"}]}]}"#;
        let snapshot = crate::model::load_str("lists.json", text).expect("loads");
        let cidrs = |id: &str| {
            snapshot.prefix_lists.get(id).map(|p| p.cidrs.as_ref().map(|c| c.iter().map(ToString::to_string).collect::<Vec<_>>()))
        };
        assert_eq!(cidrs("pl-1"), Some(Some(vec!["10.0.0.0/16".to_owned(), "192.168.0.0/24".to_owned()])));
        assert_eq!(cidrs("pl-2"), Some(None));
        assert_eq!(cidrs("pl-3"), None);
    }

    #[test]
    fn nested_list_found_outside_strings_only() {
        assert_eq!(nested_list_offset(r#"{"Tags": [{"Key": "[[", "Value": "x"}]}"#), None);
        assert_eq!(nested_list_offset(r#"{"A": "\"[[", "B": [1, {"C": [2]}]}"#), None);
        assert_eq!(nested_list_offset(r#"{"A": "\\", "B": [ [1]]}"#), Some(19));
        assert_eq!(nested_list_offset(r#"{"Tags": [["Name", "x"]]}"#), Some(10));
        // A list after another element, spaces and line breaks between.
        assert_eq!(nested_list_offset("{\"A\": [{\"B\": [1]},\n   [2]]}"), Some(22));
        assert_eq!(nested_list_offset(r#"{"A": [1], "B": [2], "C": {"D": []}}"#), None);
        assert_eq!(nested_list_offset(r#"{"A": "x\\", "B": "[", "C": [[]]}"#), Some(29));
        assert_eq!(nested_list_offset(r#"[[1]]"#), Some(1));
    }
}
