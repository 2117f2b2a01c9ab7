//! ECS services, Route 53 private hosted zones, Route 53 Resolver rules, DNS Firewall and Route 53
//! Profiles of the snapshot.

use serde_json::Value;

use super::json::{en, obj, strings};
use super::Region;

/// Every ECS service of every cluster, as `describe-services` prints them (camelCase).
pub(super) async fn ecs(client: &aws_sdk_ecs::Client, region: &mut Region) {
    let Some(clusters) =
        region.track("ecs:ListClusters", client.list_clusters().into_paginator().items().send().collect::<Result<Vec<_>, _>>()).await
    else {
        return region.gap("EcsServices", "ecs:ListClusters");
    };
    let mut services = Vec::new();
    let mut complete = true;
    for cluster in &clusters {
        let call = client.list_services().cluster(cluster).into_paginator().items().send().collect::<Result<Vec<_>, _>>();
        let Some(arns) = region.track("ecs:ListServices", call).await else {
            complete = false;
            continue;
        };
        // DescribeServices takes up to 10 services at a time.
        for chunk in arns.chunks(10) {
            let call = client.describe_services().cluster(cluster).set_services(Some(chunk.to_vec())).send();
            let Some(out) = region.track("ecs:DescribeServices", call).await else {
                complete = false;
                continue;
            };
            for s in out.services() {
                let vpc = s.network_configuration().and_then(|n| n.awsvpc_configuration()).map(|a| {
                    obj! {
                        "subnets" => strings(a.subnets()), "securityGroups" => strings(a.security_groups()),
                        "assignPublicIp" => en(a.assign_public_ip()),
                    }
                });
                services.push(obj! {
                    "serviceName" => s.service_name(), "serviceArn" => s.service_arn(), "clusterArn" => s.cluster_arn(),
                    "launchType" => en(s.launch_type()), "platformVersion" => s.platform_version(), "status" => s.status(),
                    "networkConfiguration" => vpc.map(|v| obj! { "awsvpcConfiguration" => v }),
                });
            }
        }
    }
    if complete || !services.is_empty() {
        region.put("EcsServices", services);
    } else {
        region.gap("EcsServices", "ecs:DescribeServices");
    }
}

/// Private hosted zones associated with any of `vpcs`, with their associations and records.
pub(super) async fn hosted_zones(client: &aws_sdk_route53::Client, vpcs: &[String], region: &mut Region) {
    let call = client.list_hosted_zones().into_paginator().items().send().collect::<Result<Vec<_>, _>>();
    let Some(zones) = region.track("route53:ListHostedZones", call).await else {
        return region.gap("HostedZones", "route53:ListHostedZones");
    };
    let mut out = Vec::new();
    for zone in zones.iter().filter(|z| z.config().is_some_and(|c| c.private_zone())) {
        let id = zone.id().to_owned();
        let Some(detail) = region.track("route53:GetHostedZone", client.get_hosted_zone().id(&id).send()).await else { continue };
        let associations: Vec<Value> =
            detail.vpcs().iter().map(|v| obj! { "VPCRegion" => en(v.vpc_region()), "VPCId" => v.vpc_id() }).collect();
        if !detail.vpcs().iter().any(|v| v.vpc_id().is_some_and(|id| vpcs.iter().any(|x| x == id))) {
            continue;
        }
        // ListResourceRecordSets pages by the next record's name, type and identifier.
        let mut records = Vec::new();
        let mut next: Option<(String, Option<aws_sdk_route53::types::RrType>, Option<String>)> = None;
        loop {
            let mut call = client.list_resource_record_sets().hosted_zone_id(&id);
            if let Some((name, kind, identifier)) = next.take() {
                call = call.start_record_name(name).set_start_record_type(kind).set_start_record_identifier(identifier);
            }
            let Some(page) = region.track("route53:ListResourceRecordSets", call.send()).await else { break };
            for r in page.resource_record_sets() {
                records.push(obj! {
                    "Name" => r.name(), "Type" => r.r#type().as_str(), "TTL" => r.ttl(), "SetIdentifier" => r.set_identifier(),
                    "ResourceRecords" => r.resource_records().iter().map(|x| obj! { "Value" => x.value() }).collect::<Vec<_>>(),
                    "AliasTarget" => r.alias_target().map(|a| obj! { "HostedZoneId" => a.hosted_zone_id(), "DNSName" => a.dns_name(), "EvaluateTargetHealth" => a.evaluate_target_health() }),
                });
            }
            if !page.is_truncated() {
                break;
            }
            match page.next_record_name() {
                Some(name) => {
                    next = Some((name.to_owned(), page.next_record_type().cloned(), page.next_record_identifier().map(str::to_owned)))
                }
                None => break,
            }
        }
        out.push(obj! {
            "HostedZone" => obj! {
                "Id" => zone.id(), "Name" => zone.name(), "CallerReference" => zone.caller_reference(),
                "Config" => zone.config().map(|c| obj! { "Comment" => c.comment(), "PrivateZone" => c.private_zone() }),
            },
            "VPCs" => associations,
            "ResourceRecordSets" => records,
        });
    }
    region.put("HostedZones", out);
}

/// Resolver rules and their VPC associations, and the Resolver endpoints.
pub(super) async fn resolver(client: &aws_sdk_route53resolver::Client, region: &mut Region) {
    let call = client.list_resolver_rules().into_paginator().items().send().collect::<Result<Vec<_>, _>>();
    match region.track("route53resolver:ListResolverRules", call).await {
        Some(rules) => region.put(
            "ResolverRules",
            rules
                .iter()
                .map(|r| {
                    obj! {
                        "Id" => r.id(), "Name" => r.name(), "DomainName" => r.domain_name(), "RuleType" => en(r.rule_type()),
                        "Status" => en(r.status()), "ResolverEndpointId" => r.resolver_endpoint_id(), "OwnerId" => r.owner_id(),
                        "ShareStatus" => en(r.share_status()),
                        "TargetIps" => r.target_ips().iter().map(|t| obj! { "Ip" => t.ip(), "Port" => t.port() }).collect::<Vec<_>>(),
                    }
                })
                .collect(),
        ),
        None => region.gap("ResolverRules", "route53resolver:ListResolverRules"),
    }
    let call = client.list_resolver_rule_associations().into_paginator().items().send().collect::<Result<Vec<_>, _>>();
    match region.track("route53resolver:ListResolverRuleAssociations", call).await {
        Some(list) => region.put(
            "ResolverRuleAssociations",
            list.iter()
                .map(|a| obj! { "Id" => a.id(), "ResolverRuleId" => a.resolver_rule_id(), "Name" => a.name(), "VPCId" => a.vpc_id(), "Status" => en(a.status()) })
                .collect(),
        ),
        None => region.gap("ResolverRuleAssociations", "route53resolver:ListResolverRuleAssociations"),
    }
    let call = client.list_resolver_endpoints().into_paginator().items().send().collect::<Result<Vec<_>, _>>();
    match region.track("route53resolver:ListResolverEndpoints", call).await {
        Some(list) => region.put(
            "ResolverEndpoints",
            list.iter()
                .map(|e| {
                    obj! {
                        "Id" => e.id(), "Name" => e.name(), "Direction" => en(e.direction()), "HostVPCId" => e.host_vpc_id(),
                        "Status" => en(e.status()), "SecurityGroupIds" => strings(e.security_group_ids()),
                    }
                })
                .collect(),
        ),
        None => region.gap("ResolverEndpoints", "route53resolver:ListResolverEndpoints"),
    }
}

/// DNS-5: the DNS Firewall rule group associations, the rules of every associated group and
/// the domain lists those rules use, each with its domains (AWS-managed lists cannot be listed:
/// they are kept without `Domains`, which the analysis says it assumes).
pub(super) async fn firewall(client: &aws_sdk_route53resolver::Client, region: &mut Region) {
    let call = client.list_firewall_rule_group_associations().into_paginator().items().send().collect::<Result<Vec<_>, _>>();
    let Some(associations) = region.track("route53resolver:ListFirewallRuleGroupAssociations", call).await else {
        return region.gap("FirewallRuleGroupAssociations", "route53resolver:ListFirewallRuleGroupAssociations");
    };
    region.put("FirewallRuleGroupAssociations", associations.iter().map(firewall_association).collect());
    let groups: std::collections::BTreeSet<&str> = associations.iter().filter_map(|a| a.firewall_rule_group_id()).collect();
    let mut rules = Vec::new();
    for group in groups {
        let call =
            client.list_firewall_rules().firewall_rule_group_id(group).into_paginator().items().send().collect::<Result<Vec<_>, _>>();
        let Some(list) = region.track("route53resolver:ListFirewallRules", call).await else {
            // A group's rules missing would read as a group without rules: the key is left out.
            return region.gap("FirewallRules", "route53resolver:ListFirewallRules");
        };
        rules.extend(list);
    }
    region.put("FirewallRules", rules.iter().map(firewall_rule).collect());
    let used: std::collections::BTreeSet<&str> = rules.iter().filter_map(|r| r.firewall_domain_list_id()).collect();
    let call = client.list_firewall_domain_lists().into_paginator().items().send().collect::<Result<Vec<_>, _>>();
    let Some(lists) = region.track("route53resolver:ListFirewallDomainLists", call).await else {
        return region.gap("FirewallDomainLists", "route53resolver:ListFirewallDomainLists");
    };
    let mut out = Vec::new();
    for list in lists.iter().filter(|l| l.id().is_some_and(|id| used.contains(id))) {
        let mut item = firewall_domain_list(list);
        if let (Some(id), None) = (list.id(), list.managed_owner_name()) {
            let call =
                client.list_firewall_domains().firewall_domain_list_id(id).into_paginator().items().send().collect::<Result<Vec<_>, _>>();
            match region.track("route53resolver:ListFirewallDomains", call).await {
                Some(domains) => {
                    if let Value::Object(map) = &mut item {
                        map.insert("Domains".to_owned(), Value::Array(strings(&domains)));
                    }
                }
                // Kept without its domains: the analysis treats them as not captured.
                None => region.gap("FirewallDomainLists", "route53resolver:ListFirewallDomains"),
            }
        }
        out.push(item);
    }
    region.put("FirewallDomainLists", out);
}

/// A `list-firewall-rule-group-associations` item as the AWS CLI prints it.
fn firewall_association(a: &aws_sdk_route53resolver::types::FirewallRuleGroupAssociation) -> Value {
    obj! {
        "Id" => a.id(), "Arn" => a.arn(), "FirewallRuleGroupId" => a.firewall_rule_group_id(), "VpcId" => a.vpc_id(),
        "Name" => a.name(), "Priority" => a.priority(), "MutationProtection" => en(a.mutation_protection()),
        "ManagedOwnerName" => a.managed_owner_name(), "Status" => en(a.status()),
    }
}

/// A `list-firewall-rules` item as the AWS CLI prints it.
fn firewall_rule(r: &aws_sdk_route53resolver::types::FirewallRule) -> Value {
    obj! {
        "FirewallRuleGroupId" => r.firewall_rule_group_id(), "FirewallDomainListId" => r.firewall_domain_list_id(),
        "FirewallThreatProtectionId" => r.firewall_threat_protection_id(), "Name" => r.name(), "Priority" => r.priority(),
        "Action" => en(r.action()), "BlockResponse" => en(r.block_response()), "BlockOverrideDomain" => r.block_override_domain(),
        "BlockOverrideDnsType" => en(r.block_override_dns_type()), "BlockOverrideTtl" => r.block_override_ttl(), "Qtype" => r.qtype(),
        "FirewallDomainRedirectionAction" => en(r.firewall_domain_redirection_action()),
        "DnsThreatProtection" => en(r.dns_threat_protection()), "ConfidenceThreshold" => en(r.confidence_threshold()),
    }
}

/// A `list-firewall-domain-lists` item as the AWS CLI prints it.
fn firewall_domain_list(l: &aws_sdk_route53resolver::types::FirewallDomainListMetadata) -> Value {
    obj! { "Id" => l.id(), "Arn" => l.arn(), "Name" => l.name(), "ManagedOwnerName" => l.managed_owner_name() }
}

/// DNS-8: the Route 53 Profiles associated with the region's VPCs, and what each carries.
pub(super) async fn profiles(client: &aws_sdk_route53profiles::Client, region: &mut Region) {
    let call = client.list_profile_associations().into_paginator().items().send().collect::<Result<Vec<_>, _>>();
    let Some(associations) = region.track("route53profiles:ListProfileAssociations", call).await else {
        return region.gap("ProfileAssociations", "route53profiles:ListProfileAssociations");
    };
    region.put(
        "ProfileAssociations",
        associations
            .iter()
            .map(|a| {
                obj! {
                    "Id" => a.id(), "Name" => a.name(), "OwnerId" => a.owner_id(), "ProfileId" => a.profile_id(),
                    "ResourceId" => a.resource_id(), "Status" => en(a.status()),
                }
            })
            .collect(),
    );
    let profiles: std::collections::BTreeSet<&str> = associations.iter().filter_map(|a| a.profile_id()).collect();
    let mut resources = Vec::new();
    for profile in profiles {
        let call =
            client.list_profile_resource_associations().profile_id(profile).into_paginator().items().send().collect::<Result<Vec<_>, _>>();
        let Some(list) = region.track("route53profiles:ListProfileResourceAssociations", call).await else {
            // A Profile's resources missing would read as a Profile that carries nothing.
            return region.gap("ProfileResourceAssociations", "route53profiles:ListProfileResourceAssociations");
        };
        resources.extend(list.iter().map(|r| {
            obj! {
                "Id" => r.id(), "Name" => r.name(), "OwnerId" => r.owner_id(), "ProfileId" => r.profile_id(),
                "ResourceArn" => r.resource_arn(), "ResourceType" => r.resource_type(),
                "ResourceProperties" => r.resource_properties(), "Status" => en(r.status()),
            }
        }));
    }
    region.put("ProfileResourceAssociations", resources);
}
