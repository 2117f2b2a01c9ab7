//! Route 53 Resolver DNS Firewall (DNS-5): the rule groups associated with the task's VPC
//! filter the queries its resolver answers, before any private zone, endpoint or forwarding
//! rule is consulted.
//!
//! The associations are inspected lowest priority first, and within a rule group its rules
//! lowest priority first; the first rule whose domain list holds the name decides: `ALLOW`
//! and `ALERT` let the query through, `BLOCK` answers NODATA, NXDOMAIN or an override instead
//! of the service's addresses. With `INSPECT_REDIRECTION_DOMAIN` (the default) every name of
//! the answer's CNAME chain is inspected the same way.

use super::facts::Fact;
use crate::model::*;

/// A name to inspect.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Name<'n> {
    /// The query name, or a name of a CNAME chain the snapshot holds.
    Known(&'n str),
    /// A name of a public answer's CNAME chain, which is not in the snapshot: only a `*` entry
    /// is known to hold it (the chain's names are assumed not to be listed one by one).
    Unseen,
}

/// What DNS Firewall does with one name.
pub(crate) enum Decision<'a> {
    /// Let through: by this rule (`ALLOW` or `ALERT`), or by no rule.
    Allowed(Option<&'a FirewallRule>),
    Blocked(&'a FirewallRule, &'a FirewallAssociation),
    /// It may be blocked: the fact says what the snapshot does not hold.
    Uncertain(Fact),
}

enum Match {
    Yes,
    No,
    Unknown(Box<Fact>),
}

/// The associations of `vpc` in effect, in the order they are inspected.
pub(crate) fn associations<'a>(snapshot: &'a Snapshot, vpc: &VpcId) -> &'a [FirewallAssociation] {
    let all = snapshot.firewall_associations.as_slice();
    let start = all.partition_point(|a| a.vpc_id < *vpc);
    let rest = all.get(start..).unwrap_or_default();
    rest.get(..rest.partition_point(|a| a.vpc_id == *vpc)).unwrap_or_default()
}

/// Whether a domain list entry holds `name`: `*` holds every name, `*.example.com` the names
/// under `example.com` (not `example.com` itself), anything else that one name.
pub(crate) fn entry_holds(entry: &str, name: Name<'_>) -> bool {
    if entry == "*" {
        return true;
    }
    let Name::Known(name) = name else { return false };
    match entry.strip_prefix('*') {
        Some(suffix) => name.len() > suffix.len() && name.ends_with(suffix),
        None => entry == name,
    }
}

/// What the snapshot cannot evaluate in a rule, when anything: a DNS Firewall Advanced rule
/// judges a query by its shape (generated or tunnelling names), and AWS's managed threat lists
/// cannot be listed. Both are taken to hold none of the names checked, which is said once per
/// VPC and rule ([`assumptions`]): they look for malicious names, not AWS's own.
fn opaque(snapshot: &Snapshot, rule: &FirewallRule) -> Option<String> {
    if let Some(protection) = &rule.threat_protection_id {
        return Some(format!(
            "DNS Firewall {} is an Advanced rule ({protection}), which the snapshot cannot evaluate: assumed to flag none of the names checked",
            rule.label()
        ));
    }
    let list_id = rule.domain_list_id.as_ref()?;
    match snapshot.firewall_domain_lists.get(list_id.as_str()) {
        Some(FirewallDomainList { domains: None, managed_owner: Some(owner), .. }) => Some(format!(
            "DNS Firewall {} uses {list_id}, a domain list managed by {owner} whose domains cannot be listed: assumed to hold none of the names checked",
            rule.label()
        )),
        _ => None,
    }
}

fn rule_matches(snapshot: &Snapshot, rule: &FirewallRule, name: Name<'_>) -> Match {
    if !rule.inspects_a_queries() || opaque(snapshot, rule).is_some() {
        return Match::No;
    }
    let Some(list_id) = &rule.domain_list_id else { return Match::No };
    match snapshot.firewall_domain_lists.get(list_id.as_str()) {
        Some(FirewallDomainList { domains: Some(domains), .. }) => {
            if domains.iter().any(|d| entry_holds(d, name)) {
                Match::Yes
            } else {
                Match::No
            }
        }
        _ => Match::Unknown(Box::new(Fact::NotCaptured {
            key: "FirewallDomainLists".to_owned(),
            needed_for: format!("the domains of {list_id}, which DNS Firewall {} inspects", rule.label()),
            resource_id: list_id.clone(),
        })),
    }
}

/// The rule groups that filter `vpc`'s queries: its own associations (when captured; otherwise
/// their absence is said once per VPC) and those its Route 53 Profiles carry (DNS-8).
pub(crate) fn rule_groups<'a>(snapshot: &'a Snapshot, vpc: &Vpc) -> (&'a [FirewallAssociation], Vec<FirewallAssociation>) {
    let own = if snapshot.is_captured(vpc.scope, "FirewallRuleGroupAssociations") { associations(snapshot, &vpc.id) } else { &[] };
    (own, carried_by_profiles(snapshot, &vpc.id))
}

/// The assumptions the rule groups of `vpc` make the analysis take, once each: the rules
/// [`opaque`] describes.
pub(crate) fn assumptions(snapshot: &Snapshot, vpc: &Vpc) -> Vec<Fact> {
    let (own, carried) = rule_groups(snapshot, vpc);
    let mut facts: Vec<Fact> = Vec::new();
    for association in own.iter().chain(&carried) {
        for rule in snapshot.firewall_rules.get(association.rule_group_id.as_str()).into_iter().flatten() {
            if let Some(text) = opaque(snapshot, rule).filter(|_| rule.inspects_a_queries()) {
                let resource_id = Some(rule.domain_list_id.clone().unwrap_or_else(|| rule.rule_group_id.clone()));
                let fact = Fact::Assumption { text, resource_id };
                if !facts.contains(&fact) {
                    facts.push(fact);
                }
            }
        }
    }
    facts
}

/// What the rule groups associated with the VPC (`associations`, in order) do with `name`.
pub(crate) fn evaluate<'a>(snapshot: &'a Snapshot, associations: &'a [FirewallAssociation], name: Name<'_>) -> Decision<'a> {
    // An earlier ALLOW rule that may hold the name: what follows decides only if it does not.
    let mut pending: Option<Fact> = None;
    for association in associations {
        let Some(rules) = snapshot.firewall_rules.get(association.rule_group_id.as_str()) else {
            return Decision::Uncertain(pending.unwrap_or_else(|| Fact::NotCaptured {
                key: "FirewallRules".to_owned(),
                needed_for: format!("the rules of DNS Firewall rule group {} (association {})", association.rule_group_id, association.id),
                resource_id: association.id.clone(),
            }));
        };
        for rule in rules {
            match (rule_matches(snapshot, rule, name), rule.action) {
                (Match::No, _) => {}
                (Match::Yes, FirewallAction::Allow | FirewallAction::Alert) => {
                    return Decision::Allowed(if pending.is_some() { None } else { Some(rule) });
                }
                (Match::Yes, FirewallAction::Block) => {
                    return match pending {
                        Some(fact) => Decision::Uncertain(fact),
                        None => Decision::Blocked(rule, association),
                    };
                }
                (Match::Unknown(fact), FirewallAction::Block) => return Decision::Uncertain(pending.unwrap_or(*fact)),
                (Match::Unknown(fact), FirewallAction::Allow | FirewallAction::Alert) => {
                    pending.get_or_insert(*fact);
                }
            }
        }
    }
    Decision::Allowed(None)
}

/// The rule groups a Route 53 Profile of the VPC carries to it (DNS-8), as associations in the
/// order of their priority in the Profile.
pub(crate) fn carried_by_profiles(snapshot: &Snapshot, vpc: &VpcId) -> Vec<FirewallAssociation> {
    let mut carried: Vec<FirewallAssociation> = snapshot
        .profile_resources_of(vpc)
        .filter_map(|r| match &r.kind {
            ProfileResourceKind::FirewallRuleGroup { id, priority } => Some(FirewallAssociation {
                id: r.id.clone(),
                vpc_id: vpc.clone(),
                rule_group_id: id.clone(),
                priority: priority.unwrap_or(i64::MAX),
                name: Some(format!("via Route 53 Profile {}", r.profile_id)),
                span: r.span,
            }),
            _ => None,
        })
        .collect();
    carried.sort_by(|a, z| (a.priority, &a.id).cmp(&(z.priority, &z.id)));
    carried
}

/// [`evaluate`] over the VPC's own rule groups and those its Route 53 Profiles carry. In which
/// order DNS Firewall inspects the two is not documented, so a name one of them blocks and the
/// other lets through by a rule is `uncertain`; otherwise they agree, or only one decides.
pub(crate) fn evaluate_both<'a>(
    snapshot: &'a Snapshot,
    own: &'a [FirewallAssociation],
    carried: &'a [FirewallAssociation],
    name: Name<'_>,
    hostname: &str,
) -> Decision<'a> {
    let first = evaluate(snapshot, own, name);
    if carried.is_empty() {
        return first;
    }
    let second = evaluate(snapshot, carried, name);
    match (first, second) {
        (Decision::Uncertain(fact), _) | (_, Decision::Uncertain(fact)) => Decision::Uncertain(fact),
        (Decision::Allowed(None), other) | (other, Decision::Allowed(None)) => other,
        (Decision::Blocked(rule, association), Decision::Blocked(..)) => Decision::Blocked(rule, association),
        (Decision::Allowed(Some(a)), Decision::Allowed(Some(b))) => {
            Decision::Allowed(if a.trusts_redirection == b.trusts_redirection { Some(a) } else { None })
        }
        (Decision::Blocked(rule, association), Decision::Allowed(Some(allow)))
        | (Decision::Allowed(Some(allow)), Decision::Blocked(rule, association)) => Decision::Uncertain(Fact::DnsFirewallUncertain {
            vpc: association.vpc_id.clone(),
            rule_group: rule.rule_group_id.clone(),
            rule: rule.label(),
            hostname: hostname.to_owned(),
            reason: format!(
                "{} lets it through, and in which order DNS Firewall inspects the VPC's own rule groups and those of its \
                 Route 53 Profile is not documented (DNS-8)",
                allow.label()
            ),
            span: rule.span,
        }),
    }
}

/// The fact of a rule that blocks `name` (the query name `hostname` or a name of its chain).
pub(crate) fn blocked_fact(vpc: &VpcId, rule: &FirewallRule, association: &FirewallAssociation, name: &str, hostname: &str) -> Fact {
    Fact::DnsFirewallBlocks {
        vpc: vpc.clone(),
        association: association.id.clone(),
        rule_group: rule.rule_group_id.clone(),
        rule: rule.label(),
        domain_list: rule.domain_list_id.clone(),
        name: name.to_owned(),
        hostname: hostname.to_owned(),
        response: rule.block_response.clone().unwrap_or_else(|| "NODATA".to_owned()),
        span: rule.span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A snapshot of `vpc-1` with the given rule groups (`(group, association priority)`),
    /// rules (`(group, priority, action, list, extra fields)`) and domain lists.
    fn snapshot(groups: &[(&str, i64)], rules: &[(&str, i64, &str, &str, &str)], lists: &[(&str, &str)]) -> Snapshot {
        let associations: Vec<String> = groups
            .iter()
            .map(|(g, p)| format!(r#"{{"Id": "rslvr-frgassoc-{g}", "FirewallRuleGroupId": "{g}", "VpcId": "vpc-1", "Priority": {p}, "Status": "COMPLETE"}}"#))
            .collect();
        let rules: Vec<String> = rules
            .iter()
            .map(|(g, p, action, list, extra)| {
                format!(
                    r#"{{"FirewallRuleGroupId": "{g}", "Priority": {p}, "Action": "{action}", "FirewallDomainListId": "{list}"{extra}}}"#
                )
            })
            .collect();
        let lists: Vec<String> = lists.iter().map(|(id, rest)| format!(r#"{{"Id": "{id}"{rest}}}"#)).collect();
        let text = format!(
            r#"{{"Region": "us-east-1", "FirewallRuleGroupAssociations": [{}], "FirewallRules": [{}], "FirewallDomainLists": [{}]}}"#,
            associations.join(","),
            rules.join(","),
            lists.join(",")
        );
        crate::model::load_str("firewall.json", &text).expect("the test snapshot loads")
    }

    /// How the resolver of `vpc-1` in the snapshot `text` answers for logs.us-east-1.amazonaws.com.
    fn resolve_logs(text: &str) -> super::super::dns::Resolution {
        let snapshot = crate::model::load_str("dns.json", text).expect("the test snapshot loads");
        let vpc = snapshot.vpcs.get("vpc-1").expect("the VPC");
        let zones: Vec<&HostedZone> = snapshot.zones_of_vpc(&vpc.id).filter(|z| z.is_private).collect();
        let logs = crate::reachability::services::lookup("logs").expect("a service");
        super::super::dns::resolve(&snapshot, vpc, &zones, logs, "us-east-1", "logs.us-east-1.amazonaws.com")
    }

    /// `allowed`, `blocked by <group>/<priority>` or `uncertain: <key>`.
    fn decide(snapshot: &Snapshot, name: Name<'_>) -> String {
        match evaluate(snapshot, associations(snapshot, &VpcId::from("vpc-1")), name) {
            Decision::Allowed(_) => "allowed".to_owned(),
            Decision::Blocked(rule, _) => format!("blocked by {}/{}", rule.rule_group_id, rule.priority),
            Decision::Uncertain(Fact::NotCaptured { key, .. }) => format!("uncertain: {key}"),
            Decision::Uncertain(other) => format!("uncertain: {other:?}"),
        }
    }

    const LOGS: Name<'static> = Name::Known("logs.us-east-1.amazonaws.com");
    const ALL: (&str, &str) = ("all", r#", "Domains": ["*"]"#);
    const AWS: (&str, &str) = ("aws", r#", "Domains": ["*.amazonaws.com."]"#);

    #[test]
    fn the_first_rule_that_holds_the_name_decides_by_association_then_rule_priority() {
        // The allowing group is associated with the lower (first) priority.
        let s = snapshot(
            &[("frg-block", 200), ("frg-allow", 100)],
            &[("frg-block", 1, "BLOCK", "all", ""), ("frg-allow", 5, "ALLOW", "aws", "")],
            &[ALL, AWS],
        );
        assert_eq!(decide(&s, LOGS), "allowed");
        let s = snapshot(
            &[("frg-block", 100), ("frg-allow", 200)],
            &[("frg-block", 1, "BLOCK", "all", ""), ("frg-allow", 5, "ALLOW", "aws", "")],
            &[ALL, AWS],
        );
        assert_eq!(decide(&s, LOGS), "blocked by frg-block/1");
        // Within a group, by rule priority whatever the order of the list.
        let s = snapshot(&[("frg", 100)], &[("frg", 20, "BLOCK", "all", ""), ("frg", 10, "ALERT", "aws", "")], &[ALL, AWS]);
        assert_eq!(decide(&s, LOGS), "allowed", "ALERT lets the query through and ends the inspection");
        let s = snapshot(&[("frg", 100)], &[("frg", 20, "ALLOW", "aws", ""), ("frg", 10, "BLOCK", "all", "")], &[ALL, AWS]);
        assert_eq!(decide(&s, LOGS), "blocked by frg/10");
    }

    #[test]
    fn rules_for_other_query_types_and_unheld_names_pass() {
        let s = snapshot(&[("frg", 100)], &[("frg", 10, "BLOCK", "all", r#", "Qtype": "AAAA""#)], &[ALL]);
        assert_eq!(decide(&s, LOGS), "allowed", "an AAAA rule does not see the tasks' A queries");
        let s = snapshot(&[("frg", 100)], &[("frg", 10, "BLOCK", "all", r#", "Qtype": "A""#)], &[ALL]);
        assert_eq!(decide(&s, LOGS), "blocked by frg/10");
        let s = snapshot(
            &[("frg", 100)],
            &[("frg", 10, "BLOCK", "bad", "")],
            &[("bad", r#", "Domains": ["logs.us-east-1.amazonaws.com.evil.example"]"#)],
        );
        assert_eq!(decide(&s, LOGS), "allowed");
    }

    #[test]
    fn lists_that_are_not_captured_decide_nothing_they_could_change() {
        // An allow list not captured before a block of everything: either outcome is possible.
        let s = snapshot(&[("frg", 100)], &[("frg", 10, "ALLOW", "unseen", ""), ("frg", 20, "BLOCK", "all", "")], &[("unseen", ""), ALL]);
        assert_eq!(decide(&s, LOGS), "uncertain: FirewallDomainLists");
        // A block list not captured: it may hold the name.
        let s = snapshot(&[("frg", 100)], &[("frg", 10, "BLOCK", "missing", "")], &[]);
        assert_eq!(decide(&s, LOGS), "uncertain: FirewallDomainLists");
        // An allow list not captured with nothing blocking after it: allowed either way.
        let s = snapshot(&[("frg", 100)], &[("frg", 10, "ALLOW", "unseen", "")], &[("unseen", "")]);
        assert_eq!(decide(&s, LOGS), "allowed");
        // AWS's managed lists cannot be listed: assumed not to hold the name, and said.
        let s = snapshot(
            &[("frg", 100)],
            &[("frg", 10, "BLOCK", "malware", "")],
            &[("malware", r#", "ManagedOwnerName": "Route 53 Resolver DNS Firewall""#)],
        );
        assert!(matches!(evaluate(&s, associations(&s, &VpcId::from("vpc-1")), LOGS), Decision::Allowed(None)));
        let vpc = Vpc {
            id: VpcId::from("vpc-1"),
            scope: ScopeId(0),
            cidrs: Vec::new(),
            primary_cidr: None,
            is_default: false,
            has_ipv6: false,
            dhcp_options_id: None,
            name: None,
            span: Span::default(),
            dns: None,
        };
        let facts = assumptions(&s, &vpc);
        assert!(matches!(facts.as_slice(), [Fact::Assumption { resource_id: Some(id), .. }] if id == "malware"), "{facts:?}");
        // An associated group whose rules are not in the snapshot.
        let s = snapshot(&[("frg-elsewhere", 100)], &[], &[]);
        assert_eq!(decide(&s, LOGS), "uncertain: FirewallRules");
    }

    /// Through the resolver: a private zone's CNAME target is inspected too, unless the rule that
    /// let the name through trusts redirections; with custom DNS servers the VPC's firewall is
    /// not what answers.
    #[test]
    fn a_private_zones_cname_target_is_inspected_unless_redirections_are_trusted() {
        let resolve = |allow_extra: &str, dhcp: &str| {
            let text = format!(
                r#"{{"Region": "us-east-1",
                "Vpcs": [{{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "DhcpOptionsId": "{dhcp}"}}],
                "VpcAttributes": [{{"VpcId": "vpc-1", "EnableDnsSupport": {{"Value": true}}, "EnableDnsHostnames": {{"Value": true}}}}],
                "DhcpOptions": [{{"DhcpOptionsId": "dopt-1", "DhcpConfigurations": [{{"Key": "domain-name-servers", "Values": [{{"Value": "10.9.9.9"}}]}}]}}],
                "VpcEndpoints": [{{"VpcEndpointId": "vpce-0abc", "VpcEndpointType": "Interface", "VpcId": "vpc-1",
                    "ServiceName": "com.amazonaws.us-east-1.logs", "State": "available", "PrivateDnsEnabled": false}}],
                "HostedZones": [{{"HostedZone": {{"Id": "/hostedzone/Z1", "Name": "logs.us-east-1.amazonaws.com.", "Config": {{"PrivateZone": true}}}},
                    "VPCs": [{{"VPCRegion": "us-east-1", "VPCId": "vpc-1"}}],
                    "ResourceRecordSets": [{{"Name": "logs.us-east-1.amazonaws.com.", "Type": "CNAME", "TTL": 60,
                        "ResourceRecords": [{{"Value": "vpce-0abc-xyz.logs.us-east-1.vpce.amazonaws.com"}}]}}]}}],
                "FirewallRuleGroupAssociations": [{{"Id": "a", "FirewallRuleGroupId": "frg", "VpcId": "vpc-1", "Priority": 100}}],
                "FirewallRules": [
                    {{"FirewallRuleGroupId": "frg", "Priority": 10, "Action": "ALLOW", "FirewallDomainListId": "service"{allow_extra}}},
                    {{"FirewallRuleGroupId": "frg", "Priority": 20, "Action": "BLOCK", "FirewallDomainListId": "all"}}],
                "FirewallDomainLists": [{{"Id": "service", "Domains": ["logs.us-east-1.amazonaws.com"]}}, {{"Id": "all", "Domains": ["*"]}}]}}"#
            );
            let resolution = resolve_logs(&text);
            let blocked = resolution.facts.iter().find_map(|f| match f {
                Fact::DnsFirewallBlocks { name, .. } => Some(name.clone()),
                _ => None,
            });
            (resolution.answer, blocked)
        };
        let (answer, blocked) = resolve("", "default");
        assert_eq!(answer, super::super::dns::Answer::Fails);
        assert_eq!(blocked.as_deref(), Some("vpce-0abc-xyz.logs.us-east-1.vpce.amazonaws.com"), "the CNAME target is blocked by `*`");
        let (answer, blocked) = resolve(r#", "FirewallDomainRedirectionAction": "TRUST_REDIRECTION_DOMAIN""#, "default");
        assert!(matches!(answer, super::super::dns::Answer::Endpoint { .. }), "{answer:?}");
        assert_eq!(blocked, None);
        // The allowing rule skipped (another query type): `*` blocks the name itself...
        let (answer, blocked) = resolve(r#", "Qtype": "AAAA""#, "default");
        assert_eq!((answer, blocked.as_deref()), (super::super::dns::Answer::Fails, Some("logs.us-east-1.amazonaws.com")));
        // ...unless the queries go to custom DNS servers, whose answer is theirs.
        let (answer, blocked) = resolve(r#", "Qtype": "AAAA""#, "dopt-1");
        assert_eq!(answer, super::super::dns::Answer::Unknown, "custom DNS servers: the answer is theirs");
        assert_eq!(blocked, None);
    }

    #[test]
    fn an_association_being_deleted_no_longer_applies_and_is_said() {
        let text = r#"{"Region": "us-east-1",
            "FirewallRuleGroupAssociations": [
                {"Id": "gone", "FirewallRuleGroupId": "frg", "VpcId": "vpc-1", "Priority": 100, "Status": "DELETING"}],
            "FirewallRules": [{"FirewallRuleGroupId": "frg", "Priority": 10, "Action": "BLOCK", "FirewallDomainListId": "all"}],
            "FirewallDomainLists": [{"Id": "all", "Domains": ["*"]}]}"#;
        let s = crate::model::load_str("firewall.json", text).expect("loads");
        assert_eq!(decide(&s, LOGS), "allowed");
        assert!(
            s.warnings.iter().any(|w| matches!(w, LoadWarning::Ignored { resource_id, reason, .. }
                if resource_id == "gone" && reason.contains("DNS Firewall rule group frg with vpc-1 is DELETING"))),
            "{:?}",
            s.warnings
        );
    }

    /// DNS-8: a Route 53 Profile's zones answer as if associated directly; on an exact tie the
    /// VPC's own zone wins, a more specific Profile zone wins over a local one, and a carried
    /// zone that is not in the snapshot makes the answer unknown.
    #[test]
    fn zones_a_profile_carries_answer_unless_the_vpcs_own_zone_of_the_same_name_does() {
        let zone = |id: &str, name: &str, vpcs: &str, ip: &str| {
            format!(
                r#"{{"HostedZone": {{"Id": "/hostedzone/{id}", "Name": "{name}.", "Config": {{"PrivateZone": true}}}}, "VPCs": [{vpcs}],
                "ResourceRecordSets": [{{"Name": "{name}.", "Type": "A", "TTL": 60, "ResourceRecords": [{{"Value": "{ip}"}}]}}]}}"#
            )
        };
        let local = r#"{"VPCRegion": "us-east-1", "VPCId": "vpc-1"}"#;
        let resolve = |zones: &[String], carried: &[&str]| {
            let resources: Vec<String> = carried
                .iter()
                .map(|id| format!(r#"{{"Id": "rpr-{id}", "ProfileId": "rp-1", "ResourceArn": "arn:aws:route53:::hostedzone/{id}", "Status": "COMPLETE"}}"#))
                .collect();
            let text = format!(
                r#"{{"Region": "us-east-1",
                "Vpcs": [{{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}}],
                "VpcAttributes": [{{"VpcId": "vpc-1", "EnableDnsSupport": {{"Value": true}}, "EnableDnsHostnames": {{"Value": true}}}}],
                "HostedZones": [{}],
                "ProfileAssociations": [{{"Id": "rpassoc-1", "ProfileId": "rp-1", "ResourceId": "vpc-1", "Status": "COMPLETE"}}],
                "ProfileResourceAssociations": [{}]}}"#,
                zones.join(","),
                resources.join(",")
            );
            let resolution = resolve_logs(&text);
            (resolution.answer, resolution.detail)
        };
        use super::super::dns::Answer;
        let ip = |a: &str| Answer::Address(a.parse().expect("an address"));
        // Only the Profile's zone: it answers, and the path says where it came from.
        let (answer, detail) = resolve(&[zone("ZP", "logs.us-east-1.amazonaws.com", "", "10.9.0.1")], &["ZP"]);
        assert_eq!(answer, ip("10.9.0.1"));
        assert!(detail.ends_with("(carried by a Route 53 Profile of the VPC)"), "{detail}");
        // The same name in the VPC's own zone and the Profile's: the VPC's own wins.
        let both =
            [zone("ZL", "logs.us-east-1.amazonaws.com", local, "10.8.0.1"), zone("ZP", "logs.us-east-1.amazonaws.com", "", "10.9.0.1")];
        assert_eq!(resolve(&both, &["ZP"]).0, ip("10.8.0.1"));
        // A more specific Profile zone wins over a local parent zone.
        let nested = [zone("ZL", "us-east-1.amazonaws.com", local, "10.8.0.1"), zone("ZP", "logs.us-east-1.amazonaws.com", "", "10.9.0.1")];
        assert_eq!(resolve(&nested, &["ZP"]).0, ip("10.9.0.1"));
        // Not carried: the local parent zone answers NXDOMAIN for the name (DNS-6).
        assert_eq!(resolve(&nested, &[]).0, Answer::Fails);
        // A carried zone that is not in the snapshot could answer for any name.
        assert_eq!(resolve(&[zone("ZL", "logs.us-east-1.amazonaws.com", local, "10.8.0.1")], &["ZMISSING"]).0, Answer::Unknown);

        // A forward rule beats a zone of the same name (DNS-7), but not the VPC's own zone when
        // a Profile carries the rule: the VPC's own association wins the tie.
        let text = format!(
            r#"{{"Region": "us-east-1",
            "Vpcs": [{{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}}],
            "VpcAttributes": [{{"VpcId": "vpc-1", "EnableDnsSupport": {{"Value": true}}, "EnableDnsHostnames": {{"Value": true}}}}],
            "HostedZones": [{}],
            "ResolverRules": [{{"Id": "rslvr-rr-1", "DomainName": "logs.us-east-1.amazonaws.com.", "RuleType": "FORWARD"}}],
            "ResolverRuleAssociations": [],
            "ProfileAssociations": [{{"Id": "rpassoc-1", "ProfileId": "rp-1", "ResourceId": "vpc-1", "Status": "COMPLETE"}}],
            "ProfileResourceAssociations": [{{"Id": "rpr-1", "ProfileId": "rp-1", "Status": "COMPLETE",
                "ResourceArn": "arn:aws:route53resolver:us-east-1:111122223333:resolver-rule/rslvr-rr-1"}}]}}"#,
            zone("ZL", "logs.us-east-1.amazonaws.com", local, "10.8.0.1")
        );
        let resolution = resolve_logs(&text);
        assert_eq!(resolution.answer, ip("10.8.0.1"), "{}", resolution.detail);
    }

    /// DNS-8: two Profiles that carry zones of the same name: the winner is decided by their
    /// associations' priority, which the snapshot does not hold.
    #[test]
    fn two_profiles_answering_for_the_same_name_make_it_unknown() {
        let zone = |id: &str, ip: &str| {
            format!(
                r#"{{"HostedZone": {{"Id": "/hostedzone/{id}", "Name": "logs.us-east-1.amazonaws.com.", "Config": {{"PrivateZone": true}}}}, "VPCs": [],
                "ResourceRecordSets": [{{"Name": "logs.us-east-1.amazonaws.com.", "Type": "A", "TTL": 60, "ResourceRecords": [{{"Value": "{ip}"}}]}}]}}"#
            )
        };
        let resolve = |profiles: &[(&str, &str)]| {
            let associations: Vec<String> = profiles
                .iter()
                .map(|(p, _)| format!(r#"{{"Id": "rpassoc-{p}", "ProfileId": "{p}", "ResourceId": "vpc-1", "Status": "COMPLETE"}}"#))
                .collect();
            let resources: Vec<String> = profiles
                .iter()
                .map(|(p, z)| format!(r#"{{"Id": "rpr-{p}", "ProfileId": "{p}", "ResourceArn": "arn:aws:route53:::hostedzone/{z}", "Status": "COMPLETE"}}"#))
                .collect();
            let text = format!(
                r#"{{"Region": "us-east-1",
                "Vpcs": [{{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}}],
                "VpcAttributes": [{{"VpcId": "vpc-1", "EnableDnsSupport": {{"Value": true}}, "EnableDnsHostnames": {{"Value": true}}}}],
                "HostedZones": [{}, {}],
                "ProfileAssociations": [{}], "ProfileResourceAssociations": [{}]}}"#,
                zone("ZA", "10.1.0.1"),
                zone("ZB", "10.2.0.1"),
                associations.join(","),
                resources.join(",")
            );
            resolve_logs(&text).answer
        };
        use super::super::dns::Answer;
        assert_eq!(resolve(&[("rp-a", "ZA")]), Answer::Address("10.1.0.1".parse().expect("an address")));
        assert_eq!(resolve(&[("rp-a", "ZA"), ("rp-b", "ZB")]), Answer::Unknown);
    }

    /// DNS-8: an interface endpoint a Profile carries answers for its service's private DNS
    /// names in the Profile's VPCs (said as an assumption); one of another service does not.
    #[test]
    fn an_interface_endpoint_a_profile_carries_answers_with_its_private_dns_names() {
        let resolve = |service: &str| {
            let text = format!(
                r#"{{"Region": "us-east-1",
                "Vpcs": [{{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}}, {{"VpcId": "vpc-hub", "CidrBlock": "10.100.0.0/16"}}],
                "VpcAttributes": [{{"VpcId": "vpc-1", "EnableDnsSupport": {{"Value": true}}, "EnableDnsHostnames": {{"Value": true}}}}],
                "VpcEndpoints": [{{"VpcEndpointId": "vpce-0hub", "VpcEndpointType": "Interface", "VpcId": "vpc-hub",
                    "ServiceName": "com.amazonaws.us-east-1.{service}", "State": "available", "PrivateDnsEnabled": false}}],
                "ProfileAssociations": [{{"Id": "rpassoc-1", "ProfileId": "rp-1", "ResourceId": "vpc-1", "Status": "COMPLETE"}}],
                "ProfileResourceAssociations": [{{"Id": "rpr-1", "ProfileId": "rp-1", "Status": "COMPLETE",
                    "ResourceArn": "arn:aws:ec2:us-east-1:111122223333:vpc-endpoint/vpce-0hub"}}]}}"#
            );
            resolve_logs(&text)
        };
        let carried = resolve("logs");
        assert!(
            matches!(&carried.answer, super::super::dns::Answer::Endpoint { endpoint, .. } if endpoint.as_str() == "vpce-0hub"),
            "{:?}",
            carried.answer
        );
        assert!(carried
            .facts
            .iter()
            .any(|f| matches!(f, Fact::Assumption { text, .. } if text.contains("carries interface endpoint vpce-0hub"))));
        assert_eq!(resolve("secretsmanager").answer, super::super::dns::Answer::Public, "an endpoint of another service");
    }

    /// DNS-8: DNS Firewall rule groups a Profile carries are inspected too; when they and the
    /// VPC's own groups disagree, the undocumented order makes the name uncertain.
    #[test]
    fn rule_groups_a_profile_carries_are_inspected_and_a_disagreement_is_uncertain() {
        let snapshot_with = |own: &str, carried: &str| {
            let text = format!(
                r#"{{"Region": "us-east-1",
                "FirewallRuleGroupAssociations": [{own}],
                "FirewallRules": [
                    {{"FirewallRuleGroupId": "frg-own", "Priority": 10, "Action": "ALLOW", "FirewallDomainListId": "aws"}},
                    {{"FirewallRuleGroupId": "frg-profile", "Priority": 10, "Action": "BLOCK", "FirewallDomainListId": "all"}}],
                "FirewallDomainLists": [{{"Id": "aws", "Domains": ["*.amazonaws.com"]}}, {{"Id": "all", "Domains": ["*"]}}],
                "ProfileAssociations": [{{"Id": "rpassoc-1", "ProfileId": "rp-1", "ResourceId": "vpc-1", "Status": "COMPLETE"}}],
                "ProfileResourceAssociations": [{carried}]}}"#
            );
            crate::model::load_str("profiles.json", &text).expect("loads")
        };
        let own = r#"{"Id": "a", "FirewallRuleGroupId": "frg-own", "VpcId": "vpc-1", "Priority": 100}"#;
        let carried = r#"{"Id": "rpr-1", "ProfileId": "rp-1", "ResourceArn": "arn:aws:route53resolver:us-east-1:111122223333:firewall-rule-group/frg-profile",
            "ResourceProperties": "{\"priority\": 200}", "Status": "COMPLETE"}"#;
        let decide_both = |s: &Snapshot| {
            let vpc = VpcId::from("vpc-1");
            let carried = carried_by_profiles(s, &vpc);
            match evaluate_both(s, associations(s, &vpc), &carried, LOGS, "logs.us-east-1.amazonaws.com") {
                Decision::Allowed(_) => "allowed".to_owned(),
                Decision::Blocked(rule, association) => format!("blocked by {} ({})", rule.rule_group_id, association.id),
                Decision::Uncertain(Fact::DnsFirewallUncertain { rule_group, .. }) => format!("uncertain: {rule_group}"),
                Decision::Uncertain(other) => format!("uncertain: {other:?}"),
            }
        };
        assert_eq!(decide_both(&snapshot_with("", carried)), "blocked by frg-profile (rpr-1)", "the Profile's group alone blocks");
        assert_eq!(decide_both(&snapshot_with(own, "")), "allowed", "the VPC's own group alone allows");
        assert_eq!(decide_both(&snapshot_with(own, carried)), "uncertain: frg-profile", "one allows, the other blocks");
    }

    #[test]
    fn an_unseen_chain_name_is_held_only_by_a_catch_all() {
        let s = snapshot(&[("frg", 100)], &[("frg", 10, "ALLOW", "aws", ""), ("frg", 20, "BLOCK", "all", "")], &[AWS, ALL]);
        assert_eq!(decide(&s, LOGS), "allowed");
        assert_eq!(decide(&s, Name::Unseen), "blocked by frg/20");
        let s = snapshot(&[("frg", 100)], &[("frg", 10, "BLOCK", "aws", "")], &[AWS]);
        assert_eq!(decide(&s, Name::Unseen), "allowed");
    }

    #[test]
    fn entries_hold_names_as_aws_documents() {
        let known = Name::Known("logs.us-east-1.amazonaws.com");
        assert!(entry_holds("*", known));
        assert!(entry_holds("*", Name::Unseen));
        assert!(entry_holds("*.amazonaws.com", known));
        assert!(entry_holds("*.us-east-1.amazonaws.com", known));
        assert!(entry_holds("logs.us-east-1.amazonaws.com", known));
        assert!(!entry_holds("*.logs.us-east-1.amazonaws.com", known), "a wildcard holds the names under it, not the name itself");
        assert!(!entry_holds("us-east-1.amazonaws.com", known), "a plain entry holds one name");
        assert!(!entry_holds("*.amazonaws.com.cn", known));
        assert!(!entry_holds("*.amazonaws.com", Name::Unseen), "an unseen name is held only by `*`");
    }
}
