//! Name resolution as seen from one VPC's Route 53 Resolver (DNS-1..DNS-10, EP-6).

use super::facts::Fact;
use super::services::{dns_pattern_matches, ServiceSpec};
use crate::model::*;

/// What the VPC's resolver answers for a service hostname.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Answer {
    /// Private IPs of an interface endpoint (EP-6), via its own private DNS or a PHZ record:
    /// all its ENIs, or (`subnets`) only those in these subnets, when a record names their
    /// addresses or a zonal endpoint name (EP-7).
    Endpoint { endpoint: VpcEndpointId, via: String, subnets: Option<Vec<SubnetId>> },
    /// The service's public addresses (the default answer).
    Public,
    /// An address from a private zone's A record that no interface endpoint owns.
    Address(std::net::Ipv4Addr),
    /// Nothing resolves; the facts say why.
    Fails,
    /// The answer depends on something outside the snapshot; the facts say what.
    Unknown,
}

#[derive(Debug, Clone)]
pub(crate) struct Resolution {
    pub answer: Answer,
    /// Facts about the resolution: bypassed endpoints, assumptions, the blocking zone.
    pub facts: Vec<Fact>,
    /// A human line for the path: what answered.
    pub detail: String,
    /// The names of the CNAME chain of a private zone's answer, which DNS Firewall inspects
    /// too (DNS-5).
    pub chain: Vec<String>,
}

/// A zone-like thing that can answer for a name, most specific first.
enum Authority<'a> {
    Endpoint(&'a VpcEndpoint, String),
    Zone(&'a HostedZone),
    Forward(&'a ResolverRule),
}

fn suffix_len(zone: &str, name: &str) -> Option<usize> {
    let zone = zone.trim_start_matches("*.");
    // The root (a Resolver rule for ".", normalized to ""): every name, least specific of all.
    if zone.is_empty() {
        return Some(0);
    }
    // A label-prefix wildcard of endpoint private DNS (`ecs-a-*.<region>.amazonaws.com`, EP-6):
    // the name it matches, whole.
    if zone.contains('*') {
        return dns_pattern_matches(zone, name).then_some(name.len());
    }
    (name == zone || (name.ends_with(zone) && name.as_bytes().get(name.len().wrapping_sub(zone.len() + 1)) == Some(&b'.')))
        .then_some(zone.len())
}

/// `zones`: the private hosted zones associated with `vpc`, in ID order. No NACL is evaluated
/// for the query: NACLs cannot block the VPC resolver (NACL-8).
pub(crate) fn resolve(
    snapshot: &Snapshot,
    vpc: &Vpc,
    zones: &[&HostedZone],
    service: &ServiceSpec,
    region: &str,
    hostname: &str,
) -> Resolution {
    let mut resolution = resolve_name(snapshot, vpc, zones, service, region, hostname);
    if uses_vpc_resolver(snapshot, vpc) {
        apply_firewall(snapshot, vpc, hostname, &mut resolution);
    }
    resolution
}

/// Whether the tasks' queries go to the VPC's own resolver (DNS-2, DNS-4), whose DNS Firewall
/// rule groups then filter them.
fn uses_vpc_resolver(snapshot: &Snapshot, vpc: &Vpc) -> bool {
    let support = vpc.dns.and_then(|attrs| attrs.enable_dns_support);
    let servers = vpc
        .dhcp_options_id
        .as_ref()
        .filter(|d| d.as_str() != "default")
        .and_then(|d| snapshot.dhcp_options.get(d))
        .map_or(Servers::Resolver { elsewhere: Vec::new() }, |options| servers_of(snapshot, vpc, options));
    support != Some(false) && matches!(servers, Servers::Resolver { .. })
}

/// DNS-4: where the DHCP options' `domain-name-servers` send the tasks' queries.
#[derive(Debug, PartialEq, Eq)]
enum Servers {
    /// Only the VPC's own resolver: `AmazonProvidedDNS`, `169.254.169.253` or the primary
    /// CIDR's base + 2. `elsewhere` are other VPCs' resolver addresses listed beside it.
    Resolver { elsewhere: Vec<(String, VpcId)> },
    /// Every server is another VPC's resolver address: a peered VPC cannot query it (PCX-7), and
    /// AWS does not support querying it from other networks ("can cause unstable results",
    /// Route 53 developer guide, "Resolving DNS queries between VPCs and your network").
    Elsewhere(Vec<(String, VpcId)>),
    /// At least one custom server, whose forwarding the snapshot cannot show.
    Custom,
}

/// The Route 53 Resolver's link-local address, the same in every VPC.
const RESOLVER_LINK_LOCAL: std::net::Ipv4Addr = std::net::Ipv4Addr::new(169, 254, 169, 253);

/// The resolver address of a VPC: its primary CIDR's base + 2.
fn resolver_address(vpc: &Vpc) -> Option<std::net::Ipv4Addr> {
    vpc.primary_cidr.and_then(|net| u32::from(net.network()).checked_add(2)).map(std::net::Ipv4Addr::from)
}

/// DNS-4, PCX-7: sorts the DHCP options' servers into the VPC's own resolver, other VPCs'
/// resolvers (an address inside the VPC's own CIDRs is never another VPC's resolver) and
/// custom servers; mixing `AmazonProvidedDNS` with custom servers is custom ("might cause
/// unexpected behavior").
fn servers_of(snapshot: &Snapshot, vpc: &Vpc, options: &DhcpOptions) -> Servers {
    let own = resolver_address(vpc);
    let mut has_resolver = false;
    let mut elsewhere = Vec::new();
    for server in &options.domain_name_servers {
        if server.eq_ignore_ascii_case("AmazonProvidedDNS") {
            has_resolver = true;
            continue;
        }
        let Ok(ip) = server.trim().parse::<std::net::Ipv4Addr>() else {
            return Servers::Custom;
        };
        if ip == RESOLVER_LINK_LOCAL || Some(ip) == own {
            has_resolver = true;
        } else if vpc.cidrs.iter().any(|net| net.contains(&ip)) {
            return Servers::Custom;
        } else if let Some(other) = snapshot.vpcs.values().find(|v| v.id != vpc.id && resolver_address(v) == Some(ip)) {
            elsewhere.push((server.clone(), other.id.clone()));
        } else {
            return Servers::Custom;
        }
    }
    if has_resolver || elsewhere.is_empty() {
        Servers::Resolver { elsewhere }
    } else {
        Servers::Elsewhere(elsewhere)
    }
}

/// DNS-5: the VPC's DNS Firewall inspects the query name first, then the names of the
/// answer's CNAME chain (unless the rule that let the name through trusts them); a block
/// makes the name fail to resolve, whatever would have answered.
fn apply_firewall(snapshot: &Snapshot, vpc: &Vpc, hostname: &str, resolution: &mut Resolution) {
    use super::dns_firewall::{blocked_fact, evaluate_both, Decision, Name};
    let (own, carried) = super::dns_firewall::rule_groups(snapshot, vpc);
    if own.is_empty() && carried.is_empty() {
        return;
    }
    let evaluate = |name: Name<'_>| evaluate_both(snapshot, own, &carried, name, hostname);
    let decision = evaluate(Name::Known(hostname));
    let by = match decision {
        Decision::Allowed(by) => by,
        Decision::Blocked(rule, association) => {
            resolution.facts.push(blocked_fact(&vpc.id, rule, association, hostname, hostname));
            resolution.answer = Answer::Fails;
            resolution.detail =
                format!("blocked by DNS Firewall {} ({})", rule.label(), rule.block_response.as_deref().unwrap_or("NODATA"));
            return;
        }
        // The answer is kept, and walked: the path it would take if DNS Firewall lets the name
        // through, the verdict `unknown` by the fact.
        Decision::Uncertain(fact) => {
            resolution.facts.push(fact);
            return;
        }
    };
    if by.is_some_and(|rule| rule.trusts_redirection) {
        return;
    }
    // The chain: the CNAME targets a private zone answered with, or, for a public answer,
    // whatever AWS's public DNS answers, which is not in the snapshot.
    match resolution.answer {
        Answer::Public => match evaluate(Name::Unseen) {
            Decision::Allowed(_) => {}
            Decision::Blocked(rule, _) => {
                resolution.facts.push(Fact::DnsFirewallUncertain {
                    vpc: vpc.id.clone(),
                    rule_group: rule.rule_group_id.clone(),
                    rule: rule.label(),
                    hostname: hostname.to_owned(),
                    reason: format!(
                        "{hostname} resolves in public DNS, whose answer is not in the snapshot: if it is a CNAME chain, DNS \
                         Firewall inspects each of its names too (INSPECT_REDIRECTION_DOMAIN), and this rule blocks every name \
                         not allowed before it"
                    ),
                    span: rule.span,
                });
            }
            Decision::Uncertain(fact) => resolution.facts.push(fact),
        },
        Answer::Endpoint { .. } | Answer::Address(_) => {
            for name in std::mem::take(&mut resolution.chain) {
                match evaluate(Name::Known(&name)) {
                    Decision::Allowed(_) => {}
                    Decision::Blocked(rule, association) => {
                        resolution.facts.push(blocked_fact(&vpc.id, rule, association, &name, hostname));
                        resolution.detail = format!("{} → {name}: blocked by DNS Firewall {}", resolution.detail, rule.label());
                        resolution.answer = Answer::Fails;
                        break;
                    }
                    Decision::Uncertain(fact) => {
                        resolution.facts.push(fact);
                        break;
                    }
                }
            }
        }
        Answer::Fails | Answer::Unknown => {}
    }
}

/// The names an interface endpoint's private DNS would answer for (EP-6): those of the AWS
/// service it serves, and the private names among its `DnsEntries` (a partner's PrivateLink
/// service lists its own there).
fn endpoint_private_dns_names(endpoint: &VpcEndpoint, region: &str) -> Vec<String> {
    let mut names: Vec<String> = super::services::SERVICES
        .iter()
        .filter(|s| s.kinds != super::services::EndpointKinds::Custom && s.endpoint_service_name(region) == endpoint.service_name)
        .flat_map(|s| s.private_dns_names(region))
        .collect();
    for name in &endpoint.dns_names {
        let name = name.to_ascii_lowercase();
        if !name.ends_with(".vpce.amazonaws.com") && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

fn resolve_name(snapshot: &Snapshot, vpc: &Vpc, zones: &[&HostedZone], service: &ServiceSpec, region: &str, hostname: &str) -> Resolution {
    let mut facts = Vec::new();

    // DNS-2, DNS-3: the two VPC attributes.
    let (support, hostnames) = match vpc.dns {
        Some(attrs) => (attrs.enable_dns_support, attrs.enable_dns_hostnames),
        None => (None, None),
    };
    if support == Some(false) {
        facts.push(Fact::VpcDnsAttributeDisabled { vpc: vpc.id.clone(), attribute: "enableDnsSupport", endpoint: None, is_blocking: true });
        return Resolution {
            chain: Vec::new(),
            answer: Answer::Fails,
            facts,
            detail: "enableDnsSupport is false: the VPC resolver answers nothing".to_owned(),
        };
    }
    if support.is_none() {
        facts.push(Fact::Assumption {
            text: format!("enableDnsSupport of {} is not captured: assumed true, the AWS default (DNS-2)", vpc.id),
            resource_id: Some(vpc.id.to_string()),
        });
    }

    // DNS-4: custom DNS servers in the DHCP options hide the VPC resolver's view.
    if let Some(dhcp_id) = vpc.dhcp_options_id.as_ref().filter(|d| d.as_str() != "default") {
        match snapshot.dhcp_options.get(dhcp_id).map(|options| (options, servers_of(snapshot, vpc, options))) {
            Some((_, Servers::Resolver { elsewhere })) if !elsewhere.is_empty() => {
                facts.push(Fact::DnsServerOfAnotherVpc {
                    vpc: vpc.id.clone(),
                    dhcp_options: dhcp_id.clone(),
                    servers: elsewhere,
                    is_alone: false,
                });
            }
            Some((_, Servers::Elsewhere(servers))) => {
                let list = servers.iter().map(|(ip, other)| format!("{ip}, the resolver of {other}")).collect::<Vec<_>>().join("; ");
                let detail = format!("the DHCP options send the queries to {list}, which AWS does not support from another VPC");
                facts.push(Fact::DnsServerOfAnotherVpc { vpc: vpc.id.clone(), dhcp_options: dhcp_id.clone(), servers, is_alone: true });
                return Resolution { chain: Vec::new(), answer: Answer::Unknown, facts, detail };
            }
            Some((options, Servers::Custom)) => {
                facts.push(Fact::CustomDnsServers {
                    vpc: vpc.id.clone(),
                    dhcp_options: dhcp_id.clone(),
                    servers: options.domain_name_servers.clone(),
                });
                return Resolution {
                    chain: Vec::new(),
                    answer: Answer::Unknown,
                    facts,
                    detail: "custom DNS servers from the DHCP options".to_owned(),
                };
            }
            Some((_, Servers::Resolver { .. })) => {}
            None => facts.push(Fact::Assumption {
                text: format!("DHCP options {dhcp_id} of {} are not captured: assumed AmazonProvidedDNS", vpc.id),
                resource_id: Some(dhcp_id.to_string()),
            }),
        }
    }

    // Interface endpoints of this service in this VPC (EP-6: only their own VPC's resolver;
    // neither peering nor a transit gateway carries it, PCX-8, TGW-13).
    // A `--to NAME` destination has no service of its own: the endpoints whose private DNS
    // names cover the name answer for it, as they would for the service they serve.
    let wanted = service.endpoint_service_name(region);
    let endpoints: Vec<(&VpcEndpoint, Vec<String>)> = snapshot
        .endpoints_in_vpc(&vpc.id)
        .filter(|e| e.endpoint_type == EndpointType::Interface)
        .filter_map(|e| {
            if service.kinds != super::services::EndpointKinds::Custom {
                return (e.service_name == wanted).then(|| (e, service.private_dns_names(region)));
            }
            let names = endpoint_private_dns_names(e, region);
            names.iter().any(|p| dns_pattern_matches(p, hostname)).then_some((e, names))
        })
        .collect();

    // (how much of the name it covers, the Route 53 Profile that carries it, what answers)
    let mut authorities: Vec<(usize, Option<&str>, Authority<'_>)> = Vec::new();
    for (endpoint, names) in &endpoints {
        if !endpoint.private_dns_enabled {
            facts.push(Fact::EndpointPrivateDnsDisabled {
                endpoint: endpoint.id.clone(),
                hostname: hostname.to_owned(),
                is_blocking: false,
            });
            continue;
        }
        if endpoint.private_dns_only_for_inbound_resolver {
            // EP-19: traffic from inside the VPC keeps the public names (gateway endpoint).
            continue;
        }
        if !endpoint.is_available() {
            facts.push(Fact::EndpointNotAvailable { endpoint: endpoint.id.clone(), state: endpoint.state.clone(), is_blocking: false });
            continue;
        }
        match hostnames {
            Some(true) => {}
            Some(false) => {
                facts.push(Fact::VpcDnsAttributeDisabled {
                    vpc: vpc.id.clone(),
                    attribute: "enableDnsHostnames",
                    endpoint: Some(endpoint.id.clone()),
                    is_blocking: false,
                });
                continue;
            }
            None => {
                facts.push(Fact::DnsAttributesNotCaptured { vpc: vpc.id.clone(), endpoint: Some(endpoint.id.clone()) });
                return Resolution {
                    chain: Vec::new(),
                    answer: Answer::Unknown,
                    facts,
                    detail: format!("private DNS of {} depends on enableDnsHostnames, which is not captured", endpoint.id),
                };
            }
        }
        for pattern in names {
            if dns_pattern_matches(pattern, hostname) {
                if let Some(len) = suffix_len(pattern, hostname) {
                    authorities.push((len, None, Authority::Endpoint(endpoint, pattern.clone())));
                }
            }
        }
    }

    // DNS-7: Resolver rules take effect only once associated with the VPC.
    for assoc in snapshot.resolver_rule_associations.iter().filter(|a| a.vpc_id == vpc.id) {
        let Some(rule) = snapshot.resolver_rules.get(&assoc.rule_id) else { continue };
        if rule.rule_type == "RECURSIVE" {
            continue;
        }
        if let Some(len) = suffix_len(&rule.domain_name, hostname) {
            authorities.push((len, None, Authority::Forward(rule)));
        }
    }

    // DNS-8: what the Route 53 Profiles associated with the VPC carry to it answers as if it
    // were associated directly; on an exact tie the VPC's own association wins (Route 53
    // developer guide, "How Route 53 Profile settings are prioritized"). A carried resource
    // that is not in the snapshot could answer for any name.
    let mut uncaptured = None;
    let mut carried_zones = Vec::new();
    for resource in snapshot.profile_resources_of(&vpc.id) {
        let missing = |key: &str, what: String| Fact::NotCaptured {
            key: key.to_owned(),
            needed_for: format!("{what}, which Route 53 Profile {} carries to {}", resource.profile_id, vpc.id),
            resource_id: resource.id.clone(),
        };
        match &resource.kind {
            ProfileResourceKind::HostedZone(zone_id) => match snapshot.hosted_zones.get(zone_id) {
                Some(zone) if zone.is_private => carried_zones.push((zone, resource.profile_id.as_str())),
                Some(_) => {}
                None => {
                    uncaptured.get_or_insert(missing("HostedZones", format!("private hosted zone {zone_id}")));
                }
            },
            ProfileResourceKind::ResolverRule(rule_id) => match snapshot.resolver_rules.get(rule_id) {
                Some(rule) if rule.rule_type != "RECURSIVE" => {
                    if let Some(len) = suffix_len(&rule.domain_name, hostname) {
                        authorities.push((len, Some(resource.profile_id.as_str()), Authority::Forward(rule)));
                    }
                }
                Some(_) => {}
                None => {
                    uncaptured.get_or_insert(missing("ResolverRules", format!("Resolver rule {rule_id}")));
                }
            },
            ProfileResourceKind::VpcEndpoint(endpoint_id) => match snapshot.vpc_endpoints.get(endpoint_id) {
                Some(endpoint) if endpoint.endpoint_type == EndpointType::Interface && endpoint.service_name == wanted => {
                    if !endpoint.is_available() || hostnames == Some(false) {
                        continue;
                    }
                    let mut matched = false;
                    for pattern in service.private_dns_names(region) {
                        if let (true, Some(len)) = (dns_pattern_matches(&pattern, hostname), suffix_len(&pattern, hostname)) {
                            authorities.push((len, Some(resource.profile_id.as_str()), Authority::Endpoint(endpoint, pattern)));
                            matched = true;
                        }
                    }
                    if matched {
                        facts.push(Fact::Assumption {
                            text: format!(
                                "Route 53 Profile {} carries interface endpoint {}: its private DNS names are assumed to answer in {} \
                                 as in the endpoint's own VPC (DNS-8)",
                                resource.profile_id, endpoint.id, vpc.id
                            ),
                            resource_id: Some(resource.id.clone()),
                        });
                    }
                }
                Some(_) => {}
                None => {
                    uncaptured.get_or_insert(missing("VpcEndpoints", format!("interface endpoint {endpoint_id}")));
                }
            },
            ProfileResourceKind::FirewallRuleGroup { .. } | ProfileResourceKind::Other => {}
        }
    }
    // DNS-6: private hosted zones, the VPC's own and those its Profiles carry, need both
    // attributes (DNS-3).
    for (zone, profile) in zones.iter().map(|&z| (z, None)).chain(carried_zones.into_iter().map(|(z, p)| (z, Some(p)))) {
        if let Some(len) = suffix_len(&zone.name, hostname) {
            if hostnames == Some(false) {
                facts.push(Fact::VpcDnsAttributeDisabled {
                    vpc: vpc.id.clone(),
                    attribute: "enableDnsHostnames",
                    endpoint: None,
                    is_blocking: false,
                });
                continue;
            }
            authorities.push((len, profile, Authority::Zone(zone)));
        }
    }
    if let Some(fact) = uncaptured {
        facts.push(fact);
        return Resolution {
            chain: Vec::new(),
            answer: Answer::Unknown,
            facts,
            detail: "a Route 53 Profile of the VPC carries a resource that is not in the snapshot".to_owned(),
        };
    }

    // Most specific wins; on an exact tie the VPC's own association beats a Profile's (DNS-8),
    // a forward rule beats a PHZ (DNS-7), and a SYSTEM rule hands the name back to the
    // resolver's own zones.
    authorities.sort_by_key(|(len, from_profile, a)| {
        let rank = match a {
            Authority::Forward(r) if r.rule_type == "FORWARD" => 0,
            Authority::Forward(_) => 3,
            Authority::Zone(_) => 1,
            Authority::Endpoint(..) => 2,
        };
        (std::cmp::Reverse(*len), from_profile.is_some(), rank)
    });
    let mut chosen = authorities.iter().find(|(_, _, a)| !matches!(a, Authority::Forward(r) if r.rule_type == "SYSTEM"));
    if let (Some((len, ..)), Some((system_len, ..))) =
        (chosen, authorities.iter().find(|(_, _, a)| matches!(a, Authority::Forward(r) if r.rule_type == "SYSTEM")))
    {
        if system_len > len {
            // A SYSTEM rule more specific than the chosen forward rule keeps the name local.
            chosen = authorities.iter().find(|(_, _, a)| !matches!(a, Authority::Forward(_)));
        }
    }

    // Two Profiles that carry answers for the same name: which one wins is the Profile
    // associations' priority, which the snapshot does not hold.
    if let Some((len, Some(profile), _)) = chosen {
        if let Some((_, Some(other), _)) = authorities.iter().find(|(l, p, _)| l == len && p.is_some_and(|p| p != *profile)) {
            facts.push(Fact::OutsideSnapshot {
                destination: hostname.to_owned(),
                reason: format!(
                    "Route 53 Profiles {profile} and {other}, both associated with {}, carry answers for it, and which one the \
                     resolver uses depends on the priority of their associations, which is not in the snapshot (DNS-8)",
                    vpc.id
                ),
            });
            return Resolution {
                chain: Vec::new(),
                answer: Answer::Unknown,
                facts,
                detail: format!("carried by Route 53 Profiles {profile} and {other}"),
            };
        }
    }
    let carried = chosen.is_some_and(|(_, from_profile, _)| from_profile.is_some());
    let mut resolution = match chosen.map(|(_, _, a)| a) {
        None if service.kinds == super::services::EndpointKinds::Custom => {
            facts.push(Fact::OutsideSnapshot {
                destination: hostname.to_owned(),
                reason: "no private hosted zone or endpoint visible from the VPC answers for it, and public DNS is not in the snapshot"
                    .to_owned(),
            });
            Resolution {
                chain: Vec::new(),
                answer: Answer::Unknown,
                facts,
                detail: "not answered by any private zone of the VPC".to_owned(),
            }
        }
        None => {
            unmatched_zones(snapshot, vpc, hostname, &mut facts);
            let detail = if service.kinds == super::services::EndpointKinds::PrivateLink {
                "public addresses (no endpoint private DNS or private zone matches)"
            } else {
                "public AWS addresses (no private zone matches)"
            };
            Resolution { chain: Vec::new(), answer: Answer::Public, facts, detail: detail.to_owned() }
        }
        // EP-6, DNS-6: the endpoint's zone is authoritative, but holds AAAA records only.
        Some(Authority::Endpoint(endpoint, pattern)) if endpoint.dns_records_ipv6_only => {
            facts.push(Fact::EndpointDnsIpv6Only {
                endpoint: endpoint.id.clone(),
                hostname: hostname.to_owned(),
                task_ipv6: if vpc.has_ipv6 { super::facts::TaskIpv6::Possible } else { super::facts::TaskIpv6::NoSubnetCidr },
            });
            Resolution {
                chain: Vec::new(),
                answer: if vpc.has_ipv6 { Answer::Unknown } else { Answer::Fails },
                facts,
                detail: format!("private DNS of interface endpoint {} ({pattern}): AAAA records only, no IPv4 address", endpoint.id),
            }
        }
        Some(Authority::Endpoint(endpoint, pattern)) => Resolution {
            chain: Vec::new(),
            answer: Answer::Endpoint {
                endpoint: endpoint.id.clone(),
                via: format!("private DNS of {} ({pattern})", endpoint.id),
                subnets: None,
            },
            facts,
            detail: format!("private DNS of interface endpoint {} ({pattern})", endpoint.id),
        },
        Some(Authority::Forward(rule)) => {
            facts.push(Fact::ResolverRuleForwards {
                rule: rule.id.clone(),
                domain: rule.domain_name.clone(),
                hostname: hostname.to_owned(),
            });
            Resolution {
                chain: Vec::new(),
                answer: Answer::Unknown,
                facts,
                detail: format!("forwarded by Resolver rule {} ({})", rule.id, rule.domain_name),
            }
        }
        Some(Authority::Zone(zone)) => resolve_in_zone(snapshot, vpc, zone, hostname, facts),
    };
    if carried {
        resolution.detail.push_str(" (carried by a Route 53 Profile of the VPC)");
    }
    resolution
}

fn record_matches(record: &DnsRecord, hostname: &str) -> bool {
    if let Some(parent) = record.name.strip_prefix("*.") {
        hostname.len() > parent.len()
            && hostname.ends_with(parent)
            && hostname.as_bytes().get(hostname.len() - parent.len() - 1) == Some(&b'.')
    } else {
        record.name == hostname
    }
}

fn resolve_in_zone(snapshot: &Snapshot, vpc: &Vpc, zone: &HostedZone, hostname: &str, mut facts: Vec<Fact>) -> Resolution {
    let records: Vec<&DnsRecord> =
        zone.records.iter().filter(|r| matches!(r.record_type.as_str(), "A" | "CNAME") && record_matches(r, hostname)).collect();
    // An exact name beats a wildcard.
    let record = records.iter().find(|r| !r.name.starts_with("*.")).or_else(|| records.first());
    let Some(record) = record else {
        // DNS-6: a matching PHZ without the record answers NXDOMAIN, no public fallback.
        facts.push(Fact::PhzNxdomain { zone: zone.id.clone(), zone_name: zone.name.clone(), hostname: hostname.to_owned() });
        return Resolution {
            chain: Vec::new(),
            answer: Answer::Fails,
            facts,
            detail: format!("NXDOMAIN from private hosted zone {}", zone.name),
        };
    };
    let targets: Vec<String> =
        record.alias_dns_name.iter().cloned().chain(record.values.iter().map(|v| v.trim_end_matches('.').to_ascii_lowercase())).collect();
    // DNS-5: a CNAME's targets are names DNS Firewall inspects too (an alias is answered as
    // the record's own A record).
    let chain: Vec<String> = if record.record_type == "CNAME" {
        record.values.iter().map(|v| v.trim_end_matches('.').to_ascii_lowercase()).collect()
    } else {
        Vec::new()
    };
    for target in &targets {
        // An alias or CNAME to `vpce-<id>-<suffix>.<service>.<region>.vpce.amazonaws.com`, an
        // endpoint-specific name that resolves to the endpoint's ENIs (EP-7).
        if let Some((endpoint, rest)) = alias_endpoint(snapshot, target) {
            let id = endpoint.id.clone();
            // `vpce-<id>-<suffix>-<az>…` is the zonal name: the ENI in that AZ only (EP-7).
            let az = rest.split('-').skip(1).collect::<Vec<_>>().join("-");
            let subnets = (!az.is_empty()).then(|| {
                endpoint
                    .subnet_ids
                    .iter()
                    .filter(|s| snapshot.subnets.get(*s).is_some_and(|s| s.availability_zone.as_deref() == Some(az.as_str())))
                    .cloned()
                    .collect()
            });
            return Resolution {
                chain: chain.clone(),
                answer: Answer::Endpoint {
                    endpoint: id.clone(),
                    via: format!("private hosted zone {} record {}", zone.name, record.name),
                    subnets,
                },
                facts,
                detail: format!(
                    "private hosted zone {} ({}) → {id}{}",
                    zone.name,
                    record.name,
                    if az.is_empty() { String::new() } else { format!(" in {az}") }
                ),
            };
        }
        if let Ok(ip) = target.parse::<std::net::Ipv4Addr>() {
            if let Some(endpoint) = endpoint_owning(snapshot, ip) {
                // The record's addresses are all the answer: only the ENIs that hold them.
                let subnets: Vec<SubnetId> = targets
                    .iter()
                    .filter_map(|t| t.parse::<std::net::Ipv4Addr>().ok())
                    .filter(|ip| endpoint_owning(snapshot, *ip) == Some(endpoint))
                    .filter_map(|ip| snapshot.eni_with_ip(ip).and_then(|eni| eni.subnet_id.clone()))
                    .collect();
                let shown: Vec<String> = targets.iter().filter(|t| t.parse::<std::net::Ipv4Addr>().is_ok()).cloned().collect();
                return Resolution {
                    chain: chain.clone(),
                    answer: Answer::Endpoint {
                        endpoint: endpoint.clone(),
                        via: format!("private hosted zone {} record {}", zone.name, record.name),
                        subnets: Some(subnets),
                    },
                    facts,
                    detail: format!("private hosted zone {} ({}) → {} of {endpoint}", zone.name, record.name, shown.join(", ")),
                };
            }
        }
    }
    let _ = vpc;
    if let Some(ip) = targets.iter().find_map(|t| t.parse::<std::net::Ipv4Addr>().ok()) {
        return Resolution {
            chain: chain.clone(),
            answer: Answer::Address(ip),
            facts,
            detail: format!("private hosted zone {} ({}) → {ip}", zone.name, record.name),
        };
    }
    // An endpoint-specific name that matches no endpoint of the snapshot: the endpoint is what
    // is missing (another account's, or an ID written differently), not its interfaces.
    let endpoint_name = targets.iter().find(|t| t.ends_with(".vpce.amazonaws.com"));
    facts.push(match endpoint_name {
        Some(name) => Fact::NotCaptured {
            key: "VpcEndpoints".to_owned(),
            needed_for: format!(
                "the endpoint {name} names in private hosted zone {} (no endpoint of the snapshot has that ID or DNS name)",
                zone.name
            ),
            resource_id: zone.id.to_string(),
        },
        None => Fact::NotCaptured {
            key: "NetworkInterfaces".to_owned(),
            needed_for: format!("the owner of {} in private hosted zone {}", targets.join(", "), zone.name),
            resource_id: zone.id.to_string(),
        },
    });
    Resolution {
        chain: Vec::new(),
        answer: Answer::Unknown,
        facts,
        detail: format!("private hosted zone {} answers {}", zone.name, targets.join(", ")),
    }
}

/// EP-7: the endpoint an alias or CNAME target names, and what follows its ID in the first
/// label (`<suffix>[-<az>]`): one of the endpoint's own `DnsEntries`, else a first label
/// `vpce-<id>-<suffix>…` whose `vpce-<id>` is an endpoint of the snapshot (the longest such
/// ID, so that hand-written IDs with dashes, `vpce-hub-secrets`, are found too).
fn alias_endpoint<'a, 't>(snapshot: &'a Snapshot, target: &'t str) -> Option<(&'a VpcEndpoint, &'t str)> {
    let first = target.split('.').next()?;
    if !first.starts_with("vpce-") {
        return None;
    }
    let listed = snapshot.vpc_endpoints.values().find(|e| e.dns_names.iter().any(|n| n.eq_ignore_ascii_case(target)));
    let by_label = || {
        snapshot
            .vpc_endpoints
            .values()
            .filter(|e| first == e.id.as_str() || first.strip_prefix(e.id.as_str()).is_some_and(|rest| rest.starts_with('-')))
            .max_by_key(|e| e.id.as_str().len())
    };
    let endpoint = listed.or_else(by_label)?;
    let rest = first.strip_prefix(endpoint.id.as_str()).map_or("", |rest| rest.trim_start_matches('-'));
    Some((endpoint, rest))
}

fn endpoint_owning(snapshot: &Snapshot, ip: std::net::Ipv4Addr) -> Option<&VpcEndpointId> {
    let eni = snapshot.eni_with_ip(ip)?;
    snapshot.endpoint_of_eni(&eni.id).map(|e| &e.id)
}

/// Private zones that would have answered for `hostname` but do not: zones for the name that
/// are not associated with the VPC (DNS-6), and zones of the VPC whose name has the right
/// labels in the wrong order (`ecr.api.<r>` for `api.ecr.<r>`).
fn unmatched_zones(snapshot: &Snapshot, vpc: &Vpc, hostname: &str, facts: &mut Vec<Fact>) {
    // DNS-7: a forward rule for the name (often RAM-shared from a networking account) that is
    // not associated with this VPC does not apply to it.
    for rule in snapshot.resolver_rules.values().filter(|r| r.rule_type == "FORWARD") {
        let associated = || {
            snapshot.resolver_rule_associations.iter().any(|a| a.rule_id == rule.id && a.vpc_id == vpc.id)
                || snapshot.rule_carried_by_profile(&rule.id, &vpc.id)
        };
        if suffix_len(&rule.domain_name, hostname).is_some() && !associated() {
            facts.push(Fact::ResolverRuleNotAssociated {
                rule: rule.id.clone(),
                domain: rule.domain_name.clone(),
                hostname: hostname.to_owned(),
                vpc: vpc.id.clone(),
                is_blocking: false,
            });
        }
    }
    for zone in snapshot.hosted_zones.values().filter(|z| z.is_private) {
        // The name tests first: the association is a lookup, and most zones are for other names.
        let associated = || snapshot.zone_associated(&zone.id, &vpc.id) || snapshot.zone_carried_by_profile(&zone.id, &vpc.id);
        if suffix_len(&zone.name, hostname).is_some() && zone.records.iter().any(|r| record_matches(r, hostname)) && !associated() {
            facts.push(Fact::PhzNotAssociated {
                zone: zone.id.clone(),
                zone_name: zone.name.clone(),
                hostname: hostname.to_owned(),
                vpc: vpc.id.clone(),
                is_blocking: false,
            });
        }
        // Names of the same labels are as long.
        if zone.name.len() == hostname.len() && zone.name != hostname && same_labels(&zone.name, hostname) && associated() {
            facts.push(Fact::PhzMisspelt {
                zone: zone.id.clone(),
                zone_name: zone.name.clone(),
                expected: hostname.to_owned(),
                is_blocking: false,
            });
        }
    }
}

fn same_labels(a: &str, b: &str) -> bool {
    let mut a: Vec<&str> = a.split('.').collect();
    let mut b: Vec<&str> = b.split('.').collect();
    a.sort_unstable();
    b.sort_unstable();
    a == b
}

#[cfg(test)]
mod tests {
    use super::{servers_of, Servers};
    use crate::model::{DhcpOptionsId, VpcId};

    /// `vpc-1` (10.0.0.0/16 primary, 10.9.0.0/16 secondary) and `vpc-2` (10.100.0.0/16), with the
    /// DHCP options `servers`: how `vpc-1`'s queries are served.
    fn servers(list: &[&str]) -> Servers {
        let text = r#"{"Region": "us-east-1", "Vpcs": [
            {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "CidrBlockAssociationSet": [
                {"CidrBlock": "10.9.0.0/16", "CidrBlockState": {"State": "associated"}},
                {"CidrBlock": "10.0.0.0/16", "CidrBlockState": {"State": "associated"}}]},
            {"VpcId": "vpc-2", "CidrBlock": "10.100.0.0/16"}]}"#;
        let snapshot = crate::model::load_str("dns.json", text).expect("the test snapshot loads");
        let vpc = snapshot.vpcs.get(&VpcId::from("vpc-1")).expect("vpc-1");
        let options = crate::model::DhcpOptions {
            id: DhcpOptionsId::from("dopt-1"),
            domain_name_servers: list.iter().map(|s| (*s).to_owned()).collect(),
            span: crate::model::Span::default(),
        };
        servers_of(&snapshot, vpc, &options)
    }

    fn elsewhere(ip: &str, vpc: &str) -> Vec<(String, VpcId)> {
        vec![(ip.to_owned(), VpcId::from(vpc))]
    }

    #[test]
    fn dhcp_servers_are_told_apart_by_whose_resolver_they_are() {
        let own = || Servers::Resolver { elsewhere: Vec::new() };
        // The VPC's own resolver by each of its names: the primary CIDR's base + 2 (not the
        // secondary's, listed first), the link-local address, AmazonProvidedDNS.
        assert_eq!(servers(&["10.0.0.2"]), own());
        assert_eq!(servers(&["169.254.169.253", "AmazonProvidedDNS"]), own());
        assert_eq!(servers(&["10.9.0.2"]), Servers::Custom);
        // Another VPC's resolver: alone it answers nothing; beside the own one it is noted.
        assert_eq!(servers(&["10.100.0.2"]), Servers::Elsewhere(elsewhere("10.100.0.2", "vpc-2")));
        assert_eq!(servers(&["10.0.0.2", "10.100.0.2"]), Servers::Resolver { elsewhere: elsewhere("10.100.0.2", "vpc-2") });
        // Any custom server makes the whole list custom: a server in the VPC, one outside every
        // VPC, one that is not an address.
        assert_eq!(servers(&["10.0.0.53"]), Servers::Custom);
        assert_eq!(servers(&["10.100.0.2", "8.8.8.8"]), Servers::Custom);
        assert_eq!(servers(&["AmazonProvidedDNS", "dns.example.com"]), Servers::Custom);
        assert_eq!(servers(&[]), own());
    }

    /// How `vpc-1`'s resolver answers for logs with the DHCP options `servers`, and the effect of
    /// the fact about another VPC's resolver, if any.
    fn resolve_with(list: &[&str]) -> (super::Answer, Option<crate::reachability::facts::Effect>) {
        let values: Vec<String> = list.iter().map(|s| format!(r#"{{"Value": "{s}"}}"#)).collect();
        let text = format!(
            r#"{{"Region": "us-east-1",
            "Vpcs": [{{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "DhcpOptionsId": "dopt-1"}},
                     {{"VpcId": "vpc-2", "CidrBlock": "10.100.0.0/16"}}],
            "VpcAttributes": [{{"VpcId": "vpc-1", "EnableDnsSupport": {{"Value": true}}, "EnableDnsHostnames": {{"Value": true}}}}],
            "DhcpOptions": [{{"DhcpOptionsId": "dopt-1", "DhcpConfigurations": [{{"Key": "domain-name-servers", "Values": [{}]}}]}}]}}"#,
            values.join(", ")
        );
        let snapshot = crate::model::load_str("dns.json", &text).expect("the test snapshot loads");
        let vpc = snapshot.vpcs.get("vpc-1").expect("the VPC");
        let logs = crate::reachability::services::lookup("logs").expect("a service");
        let resolution = super::resolve(&snapshot, vpc, &[], logs, "us-east-1", "logs.us-east-1.amazonaws.com");
        let effect = resolution
            .facts
            .iter()
            .find(|f| matches!(f, crate::reachability::facts::Fact::DnsServerOfAnotherVpc { .. }))
            .map(crate::reachability::facts::Fact::effect);
        (resolution.answer, effect)
    }

    #[test]
    fn another_vpcs_resolver_alone_is_unknown_and_beside_the_own_one_a_note() {
        use crate::reachability::facts::Effect;
        assert_eq!(resolve_with(&["10.100.0.2"]), (super::Answer::Unknown, Some(Effect::Uncertain)));
        assert_eq!(resolve_with(&["AmazonProvidedDNS", "10.100.0.2"]), (super::Answer::Public, Some(Effect::Note)));
        assert_eq!(resolve_with(&["10.0.0.2"]), (super::Answer::Public, None));
    }
}
