//! Findings that do not change a verdict: what works but is fragile or costly, and the
//! explanations that need several results at once (one subnet's services, one workload's
//! subnets, one VPC's endpoints).

use std::collections::{BTreeMap, BTreeSet};

use super::services::EndpointKinds;
use super::*;

fn hop_of<'r>(r: &'r PairResult, kind: &str) -> Option<&'r str> {
    r.path.iter().find(|h| h.kind == kind).map(|h| &*h.resource_id)
}

fn interface_endpoint_for<'s>(snapshot: &'s Snapshot, vpc: &VpcId, suffix: &str) -> Option<&'s VpcEndpoint> {
    let suffix = format!(".{suffix}");
    snapshot.endpoints_in_vpc(vpc).find(|e| e.endpoint_type == EndpointType::Interface && e.service_name.ends_with(&suffix))
}

/// The interface endpoints of the snapshot that serve each service asked about, in ID order:
/// kept by the caller across the subnets it analyses (issue 7: each failing pair scanned every
/// endpoint of the snapshot).
pub(super) type Serving<'s> = super::fxhash::FastMap<&'static str, Vec<&'s VpcEndpoint>>;

/// Explanations within one (workload, subnet): the results of all its services.
pub(super) fn per_subnet<'s>(snapshot: &'s Snapshot, results: &mut [PairResult], serving: &mut Serving<'s>) {
    for r in results.iter_mut() {
        let Some(vpc) = r.vpc_id.clone() else { continue };
        remote_endpoint_without_dns(snapshot, &vpc, r, serving);
        match r.service.id {
            // EP-20: ecr.api and ecr.dkr come as a pair.
            this @ ("ecr.api" | "ecr.dkr") if r.verdict != Verdict::Reachable => {
                let other = if this == "ecr.api" { "ecr.dkr" } else { "ecr.api" };
                if let (Some(present), None) = (interface_endpoint_for(snapshot, &vpc, other), interface_endpoint_for(snapshot, &vpc, this))
                {
                    r.facts.push(Fact::EcrEndpointIncomplete { vpc, present: present.id.clone(), missing_service: this.to_owned() });
                }
            }
            "s3" if r.verdict == Verdict::Reachable => match r.egress {
                // EP-20: the ECS documentation supports layer pulls through the S3 gateway endpoint.
                Some(Egress::InterfaceEndpoint) => {
                    if let Some(endpoint) = hop_of(r, "interface_endpoint") {
                        r.facts.push(Fact::EcrS3InterfaceOnly { endpoint: VpcEndpointId::from(endpoint) });
                    }
                }
                // EP-8: the gateway endpoint's policy must let the layer bucket through (also
                // behind a NAT gateway whose subnet routes S3 to the endpoint).
                Some(Egress::GatewayEndpoint | Egress::NatGateway) => {
                    let endpoint = hop_of(r, "gateway_endpoint").and_then(|id| snapshot.vpc_endpoints.get(id));
                    if let Some((endpoint, policy)) = endpoint.and_then(|e| e.policy_document.as_deref().map(|p| (e, p))) {
                        let region = endpoint.service_name.split('.').nth(2).unwrap_or("<region>");
                        let bucket = format!("arn:aws:s3:::prod-{region}-starport-layer-bucket");
                        if super::policy::allows(policy, "s3:GetObject", &format!("{bucket}/sha256/layer")) == Some(false) {
                            r.facts.push(Fact::EndpointPolicyDenies {
                                endpoint: endpoint.id.clone(),
                                needed: format!("s3:GetObject on {bucket}/*"),
                            });
                        }
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
}

/// DNS-9, DNS-11: the service resolved to public addresses and failed, while a hub VPC holds an
/// interface endpoint for it that no zone, rule or Route 53 Profile points the task's VPC at.
fn remote_endpoint_without_dns<'s>(snapshot: &'s Snapshot, vpc: &VpcId, r: &mut PairResult, serving: &mut Serving<'s>) {
    let public_answer = matches!(r.access_type, Some(AccessType::NatGateway | AccessType::InternetGateway));
    let explained = r.facts.iter().any(|f| {
        matches!(
            f,
            Fact::PhzNotAssociated { .. } | Fact::PhzMisspelt { .. } | Fact::ResolverRuleNotAssociated { .. } | Fact::PhzNxdomain { .. }
        )
    });
    if r.verdict != Verdict::Unreachable || !public_answer || explained {
        return;
    }
    let service = r.service;
    let candidates = serving.entry(service.id).or_insert_with(|| {
        let suffix = format!(".{}", service.endpoint_suffix);
        let serves = |e: &VpcEndpoint| match (service.kinds, service.privatelink) {
            (EndpointKinds::PrivateLink, Some((name, _))) => e.service_name == name,
            (EndpointKinds::Interface | EndpointKinds::GatewayOrInterface, _) => {
                e.service_name.starts_with("com.amazonaws.") && e.service_name.ends_with(&suffix)
            }
            _ => false,
        };
        snapshot.vpc_endpoints.values().filter(|e| e.endpoint_type == EndpointType::Interface && serves(e)).collect()
    });
    let remote = candidates.iter().find(|e| &e.vpc_id != vpc);
    if let Some(e) = remote {
        r.facts.push(Fact::RemoteEndpointNoDns {
            endpoint: e.id.clone(),
            endpoint_vpc: e.vpc_id.clone(),
            vpc: vpc.clone(),
            hostname: r.hostname.to_string(),
        });
        // DNS-8: a Profile could carry a zone for the name, or the endpoint itself, to the VPC.
        if snapshot.vpcs.get(vpc).is_some_and(|v| !snapshot.is_captured(v.scope, "ProfileAssociations")) {
            r.facts.push(Fact::Assumption {
                text: format!(
                    "Route 53 Profiles (`ProfileAssociations`) are not captured: assumed none carries {} or a zone for {} to {vpc} (DNS-8)",
                    e.id, r.hostname
                ),
                resource_id: Some(vpc.to_string()),
            });
        }
    }
}

/// Findings about the whole analysis; `meanwhile` runs on this thread while another core makes
/// half of the checks.
pub(super) fn global(snapshot: &Snapshot, workloads: &[Workload], results: &[PairResult], meanwhile: impl FnOnce()) -> Vec<Fact> {
    let mut facts = Vec::new();
    // DNS-6: an absent `HostedZones` is "not captured": say once per workload VPC that private
    // zones were assumed away.
    if !snapshot.is_captured_anywhere("HostedZones") {
        let vpcs: BTreeSet<&VpcId> = results.iter().filter_map(|r| r.vpc_id.as_ref()).collect();
        for vpc in vpcs {
            facts.push(Fact::Assumption {
                text: format!("private hosted zones (`HostedZones`) are not captured: assumed none is associated with {vpc}"),
                resource_id: Some(vpc.to_string()),
            });
        }
    }
    // DNS-5: DNS Firewall can block any name; its rule group associations not captured for a
    // VPC's account and region are assumed away, and said once per workload VPC, as are the
    // rules the snapshot cannot evaluate (AWS's managed lists, Advanced rules).
    // A subnet's results come one after the other: its VPC is looked at once.
    let mut vpcs: BTreeSet<&VpcId> = BTreeSet::new();
    let mut last: Option<&VpcId> = None;
    for vpc in results.iter().filter_map(|r| r.vpc_id.as_ref()) {
        if last != Some(vpc) {
            vpcs.insert(vpc);
            last = Some(vpc);
        }
    }
    for vpc in vpcs {
        let Some(v) = snapshot.vpcs.get(vpc) else { continue };
        facts.extend(super::dns_firewall::assumptions(snapshot, v));
        if !snapshot.is_captured(v.scope, "FirewallRuleGroupAssociations") {
            facts.push(Fact::Assumption {
                text: format!(
                    "DNS Firewall rule group associations (`FirewallRuleGroupAssociations`) are not captured: assumed none filters the queries of {vpc}"
                ),
                resource_id: Some(vpc.to_string()),
            });
        }
    }
    // Each check reads every result (190,000 at 1,000 VPCs): half of them on another core,
    // their facts joined in the same order as one thread would give (issue 7).
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| {
            let mut nat = Vec::new();
            nat_for_aws_services(results, &mut nat);
            let mut facts = Vec::new();
            endpoint_fewer_azs(snapshot, results, &mut facts);
            legacy_platform(snapshot, workloads, &mut facts);
            endpoint_cost(snapshot, results, &mut facts);
            (nat, facts)
        });
        // This thread also frees the analysis's caches.
        meanwhile();
        let mut first = Vec::new();
        subnets_inconsistent(results, &mut first);
        public_ip_unused(workloads, results, &mut first);
        (first, second.join())
    });
    facts.extend(first);
    match second {
        Ok((nat, second)) => {
            facts.extend(nat);
            facts.extend(second);
        }
        Err(payload) => std::panic::resume_unwind(payload),
    }
    facts
}

/// FG-2: tasks are placed in any of the service's subnets.
fn subnets_inconsistent(results: &[PairResult], facts: &mut Vec<Fact>) {
    // Most (workload, service) groups pass (or fail) everywhere: a first pass marks what each
    // group does, without listing its results (issue 7: 190,000 results at 1,000 VPCs).
    const PASSES: u8 = 1;
    const FAILS: u8 = 2;
    let outcome = |r: &PairResult| if r.verdict == Verdict::Reachable { PASSES } else { FAILS };
    let mut seen: super::fxhash::FastMap<(&str, &str), u8> = super::fxhash::FastMap::default();
    for r in results {
        *seen.entry((&*r.workload, r.service.id)).or_default() |= outcome(r);
    }
    if !seen.values().any(|&both| both == PASSES | FAILS) {
        return;
    }
    // Groups that both pass and fail, in first-seen order, found through an index (a list
    // search per result was quadratic in the number of workloads).
    let mut groups: Vec<((&str, &str), Vec<&PairResult>)> = Vec::new();
    let mut index: super::fxhash::FastMap<(&str, &str), usize> = super::fxhash::FastMap::default();
    for r in results {
        let key = (&*r.workload, r.service.id);
        if seen.get(&key) != Some(&(PASSES | FAILS)) {
            continue;
        }
        match index.get(&key).and_then(|&i| groups.get_mut(i)) {
            Some((_, list)) => list.push(r),
            None => {
                index.insert(key, groups.len());
                groups.push((key, vec![r]));
            }
        }
    }
    // One finding per workload and split: the services that pass in the same subnets and fail
    // in the same others are listed together.
    /// Workload, passing subnets, failing subnets, services.
    type Split = (String, Vec<SubnetId>, Vec<SubnetId>, Vec<String>);
    let mut found: Vec<Split> = Vec::new();
    let mut found_index: BTreeMap<(String, Vec<SubnetId>, Vec<SubnetId>), usize> = BTreeMap::new();
    for ((workload, service), list) in groups {
        let (passing, failing): (Vec<&PairResult>, Vec<&PairResult>) = list.iter().partition(|r| outcome(r) == PASSES);
        let passing: Vec<SubnetId> = passing.iter().map(|r| r.subnet_id.clone()).collect();
        let failing: Vec<SubnetId> = failing.iter().map(|r| r.subnet_id.clone()).collect();
        let key = (workload.to_owned(), passing, failing);
        match found_index.get(&key).and_then(|&i| found.get_mut(i)) {
            Some((_, _, _, services)) => services.push(service.to_owned()),
            None => {
                found_index.insert(key.clone(), found.len());
                found.push((key.0, key.1, key.2, vec![service.to_owned()]));
            }
        }
    }
    for (workload, passing, failing, services) in found {
        facts.push(Fact::ServiceSubnetsInconsistent { workload, services, passing, failing });
    }
}

/// IGW-5, IGW-10, §12: a public IPv4 per task (billed hourly) that nothing routes through an IGW.
fn public_ip_unused(workloads: &[Workload], results: &[PairResult], facts: &mut Vec<Fact>) {
    // What the results of each workload with a public IP leave by.
    let mut egress_of: super::fxhash::FastMap<&str, Vec<Egress>> =
        workloads.iter().filter(|w| w.assign_public_ip).map(|w| (w.name.as_str(), Vec::new())).collect();
    if egress_of.is_empty() {
        return;
    }
    // A workload's results are consecutive: its entry is looked up once per run of them.
    for run in results.chunk_by(|a, b| std::sync::Arc::ptr_eq(&a.workload, &b.workload)) {
        let Some(egress) = run.first().and_then(|r| egress_of.get_mut(&*r.workload)) else { continue };
        for e in run.iter().filter_map(|r| r.egress) {
            if !egress.contains(&e) {
                egress.push(e);
            }
        }
    }
    for w in workloads.iter().filter(|w| w.assign_public_ip) {
        let mine = egress_of.get(w.name.as_str()).map_or(&[][..], Vec::as_slice);
        let uses_igw = mine.contains(&Egress::InternetGateway);
        let egress: BTreeSet<String> = mine.iter().map(snake).collect();
        if !uses_igw && !egress.is_empty() {
            facts.push(Fact::PublicIpUnused { workload: w.name.clone(), egress: egress.into_iter().collect(), span: w.span });
        }
    }
}

fn snake<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// NAT-12, EP-18, §12: AWS services through a NAT gateway, which gateway endpoints carry for
/// free and interface endpoints for less per GB.
fn nat_for_aws_services(results: &[PairResult], facts: &mut Vec<Fact>) {
    // Per NAT gateway: gateway services, interface services, and the task (VPC, table) pairs.
    type Carried<'r> = (Vec<&'r str>, Vec<&'r str>, BTreeSet<(String, String)>);
    let mut by_nat: BTreeMap<&str, Carried<'_>> = BTreeMap::new();
    for r in results.iter().filter(|r| r.verdict == Verdict::Reachable && r.egress == Some(Egress::NatGateway)) {
        let Some(nat) = hop_of(r, "nat_gateway") else { continue };
        let (gateway, interface, tables) = by_nat.entry(nat).or_default();
        let service = r.service.id;
        match r.service.kinds {
            EndpointKinds::GatewayOrInterface => {
                if !gateway.contains(&service) {
                    gateway.push(service);
                }
                // The task's own table: the first route table of the path.
                if let (Some(vpc), Some(table)) = (&r.vpc_id, hop_of(r, "route_table")) {
                    tables.insert((vpc.to_string(), table.to_owned()));
                }
            }
            EndpointKinds::Interface if !interface.contains(&service) => interface.push(service),
            _ => {}
        }
    }
    for (nat, (gateway_services, interface_services, tables)) in by_nat {
        if !gateway_services.is_empty() || !interface_services.is_empty() {
            let owned = |services: Vec<&str>| services.into_iter().map(str::to_owned).collect();
            facts.push(Fact::NatCarriesAwsServices {
                nat: NatGatewayId::from(nat),
                gateway_services: owned(gateway_services),
                interface_services: owned(interface_services),
                task_tables: tables.into_iter().collect(),
            });
        }
    }
}

/// The task's AZ as the endpoint's VPC names it (found by AZ ID among that VPC's subnets: the
/// VPC may be another account's); else its own name, with its ID when the endpoint has a subnet
/// of that name in another AZ.
fn az_named_in_vpc(snapshot: &Snapshot, task: &Subnet, name: &str, endpoint_subnets: &[&Subnet]) -> String {
    let Some(id) = task.availability_zone_id.as_deref() else { return name.to_owned() };
    let vpc = endpoint_subnets.first().map(|s| &s.vpc_id);
    let there = vpc.and_then(|vpc| snapshot.subnets_of_vpc(vpc).find(|s| s.availability_zone_id.as_deref() == Some(id)));
    match there.and_then(|s| s.availability_zone.clone()) {
        Some(named) => named,
        None if endpoint_subnets.iter().any(|s| s.availability_zone.as_deref() == Some(name)) => format!("{name} ({id})"),
        None => name.to_owned(),
    }
}

fn endpoint_azs(snapshot: &Snapshot, endpoint: &VpcEndpoint) -> BTreeSet<String> {
    endpoint.subnet_ids.iter().filter_map(|s| snapshot.subnets.get(s)).filter_map(|s| s.availability_zone.clone()).collect()
}

/// EP-2: the endpoint answers from its own AZs only; other AZs' tasks cross AZs to it. AZs are
/// compared by ID when known (a hub's endpoint may be another account's, which names AZs
/// otherwise).
fn endpoint_fewer_azs(snapshot: &Snapshot, results: &[PairResult], facts: &mut Vec<Fact>) {
    let mut missing: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    // Each endpoint's subnets with an AZ, found once (issue 7: 130,000 such results at 1,000
    // VPCs), and the task subnet of the last result (a subnet's results are consecutive).
    let mut subnets_of: super::fxhash::FastMap<&str, Option<Vec<&Subnet>>> = Default::default();
    let mut task: Option<(&SubnetId, Option<&Subnet>)> = None;
    for r in results.iter().filter(|r| r.verdict == Verdict::Reachable && r.egress == Some(Egress::InterfaceEndpoint)) {
        let (Some(id), Some(az)) = (hop_of(r, "interface_endpoint"), r.availability_zone.as_ref()) else { continue };
        let subnets = subnets_of.entry(id).or_insert_with(|| {
            let endpoint = snapshot.vpc_endpoints.get(id)?;
            let in_az = |s: &&Subnet| s.availability_zone.is_some();
            Some(endpoint.subnet_ids.iter().filter_map(|s| snapshot.subnets.get(s)).filter(in_az).collect())
        });
        let Some(subnets) = subnets else { continue };
        let task_subnet = match task {
            Some((known, subnet)) if *known == r.subnet_id => subnet,
            _ => {
                let subnet = snapshot.subnets.get(&r.subnet_id);
                task = Some((&r.subnet_id, subnet));
                subnet
            }
        };
        let Some(task_subnet) = task_subnet else { continue };
        if !subnets.is_empty() && !subnets.iter().any(|s| task_subnet.same_az(s)) {
            missing.entry(id).or_default().insert(az_named_in_vpc(snapshot, task_subnet, az, subnets));
        }
    }
    for (id, azs) in missing {
        let endpoint_azs = snapshot.vpc_endpoints.get(id).map(|e| endpoint_azs(snapshot, e)).unwrap_or_default();
        facts.push(Fact::EndpointFewerAzs {
            endpoint: VpcEndpointId::from(id),
            endpoint_azs: endpoint_azs.into_iter().collect(),
            missing_azs: azs.into_iter().collect(),
        });
    }
}

/// FG-3: platform versions before 1.4.0 route some platform traffic outside the task ENI.
fn legacy_platform(snapshot: &Snapshot, workloads: &[Workload], facts: &mut Vec<Fact>) {
    let names: BTreeSet<&str> = workloads.iter().map(|w| w.name.as_str()).collect();
    for service in snapshot.ecs_services.iter().filter(|s| names.contains(s.name.as_str())) {
        let Some(version) = service.platform_version.as_deref() else { continue };
        let numbers: Vec<u32> = version.split('.').map_while(|p| p.parse().ok()).collect();
        if let [major, minor, ..] = numbers.as_slice() {
            if (*major, *minor) < (1, 4) {
                facts.push(Fact::LegacyPlatformVersion { service: service.name.clone(), version: version.to_owned(), span: service.span });
            }
        }
    }
}

/// §12: what the interface endpoints of each workload VPC cost against NAT gateways.
fn endpoint_cost(snapshot: &Snapshot, results: &[PairResult], facts: &mut Vec<Fact>) {
    let mut vpcs: BTreeMap<&VpcId, BTreeSet<&str>> = BTreeMap::new();
    // A VPC's results are mostly consecutive: its set is looked up once per run of them.
    for run in results.chunk_by(|a, b| a.vpc_id == b.vpc_id) {
        if let Some(vpc) = run.first().and_then(|r| r.vpc_id.as_ref()) {
            // A subnet's results share their AZ: each is inserted once per run of them.
            let azs = vpcs.entry(vpc).or_default();
            let mut last = None;
            for az in run.iter().filter_map(|r| r.availability_zone.as_deref()) {
                if last != Some(az) {
                    azs.insert(az);
                    last = Some(az);
                }
            }
        }
    }
    for (vpc, task_azs) in vpcs {
        // EP-18: gateway endpoints are free; only interface endpoints are counted.
        let endpoints: Vec<&VpcEndpoint> =
            snapshot.endpoints_in_vpc(vpc).filter(|e| e.endpoint_type == EndpointType::Interface && e.is_available()).collect();
        if endpoints.is_empty() {
            continue;
        }
        let endpoint_azs = endpoints.iter().map(|e| endpoint_azs(snapshot, e).len().max(1)).sum();
        let nat_gateways =
            snapshot.nat_gateways.values().filter(|n| n.vpc_id.as_ref() == Some(vpc) && n.state.eq_ignore_ascii_case("available")).count();
        facts.push(Fact::EndpointCostEstimate {
            vpc: vpc.clone(),
            endpoints: endpoints.len(),
            endpoint_azs,
            azs: task_azs.len().max(1),
            nat_gateways,
            region: snapshot.region_of_vpc(vpc).unwrap_or_else(|| "us-east-1".to_owned()),
        });
    }
}
