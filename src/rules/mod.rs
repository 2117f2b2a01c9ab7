//! What we tell the user. One rule per file, named by code and slug; each rule's doc comment
//! is its documentation (`vpcreach explain CODE`). A rule turns an engine [`Fact`] (or a load
//! warning) into a [`Finding`]: plain data, rendered by [`crate::report`].
//!
//! Code blocks: 0xx snapshot integrity, 1xx routing and gateways, 2xx security groups and
//! NACLs, 3xx endpoints and DNS, 4xx transit gateway and peering, 5xx cost and hygiene.

mod declare;
mod pricing;
mod route_fix;
mod vpcr001_unknown_snapshot_key;
mod vpcr002_data_not_captured;
mod vpcr003_byte_order_mark;
mod vpcr004_sg_cidr_host_bits;
mod vpcr005_resource_ignored;
mod vpcr006_stated_assumption;
mod vpcr007_destination_outside_snapshot;
mod vpcr101_no_route_to_service;
mod vpcr102_blackhole_route;
mod vpcr103_igw_route_without_public_ip;
mod vpcr104_igw_not_attached;
mod vpcr105_nat_gateway_not_available;
mod vpcr106_nat_subnet_without_internet_route;
mod vpcr107_private_nat_to_internet;
mod vpcr108_unmodelled_next_hop;
mod vpcr109_destination_split_across_paths;
mod vpcr110_ipv6_only_subnet;
mod vpcr111_nat_cross_az;
mod vpcr112_local_route_redirected;
mod vpcr113_ambiguous_prefix_list_route;
mod vpcr114_block_public_access;
mod vpcr115_ipv6_path_not_analysed;
mod vpcr201_task_sg_blocks_egress;
mod vpcr202_endpoint_sg_blocks_ingress;
mod vpcr203_nacl_blocks_request;
mod vpcr204_nacl_blocks_return;
mod vpcr205_nacl_partial_ephemeral;
mod vpcr206_destination_sg_blocks_ingress;
mod vpcr207_sg_reference_not_effective;
mod vpcr301_endpoint_private_dns_disabled;
mod vpcr302_vpc_dns_attribute_disabled;
mod vpcr303_endpoint_not_available;
mod vpcr304_gateway_endpoint_not_on_route_table;
mod vpcr305_ecr_without_s3_path;
mod vpcr306_phz_nxdomain_shadow;
mod vpcr307_custom_dns_servers;
mod vpcr308_resolver_rule_forwards;
mod vpcr309_endpoint_enis_disagree;
mod vpcr310_phz_not_associated;
mod vpcr311_phz_name_misspelt;
mod vpcr312_cross_region_endpoint_setting;
mod vpcr313_resolver_rule_not_associated;
mod vpcr314_ecr_endpoint_incomplete;
mod vpcr315_ecr_s3_interface_only;
mod vpcr316_endpoint_policy_denies;
mod vpcr317_remote_endpoint_no_dns;
mod vpcr318_dns_firewall_blocks;
mod vpcr319_dns_firewall_uncertain;
mod vpcr320_dns_server_of_another_vpc;
mod vpcr321_endpoint_dns_ipv6_only;
mod vpcr322_endpoint_of_another_service;
mod vpcr401_edge_to_edge_routing;
mod vpcr402_peering_not_active;
mod vpcr403_peering_no_return_route;
mod vpcr404_tgw_no_attachment_in_az;
mod vpcr405_tgw_attachment_unusable;
mod vpcr406_tgw_no_route_or_blackhole;
mod vpcr407_tgw_no_return_route;
mod vpcr408_tgw_destination_subnet_route_missing;
mod vpcr409_asymmetric_return_path;
mod vpcr410_routing_loop;
mod vpcr411_tgw_appliance_mode_missing;
mod vpcr412_peering_cidr_overlap;
mod vpcr413_local_route_shadows_destination;
mod vpcr501_service_subnets_inconsistent;
mod vpcr502_public_ip_unused;
mod vpcr503_nat_for_aws_services;
mod vpcr504_endpoint_fewer_azs;
mod vpcr505_platform_version_legacy;
mod vpcr506_endpoint_cost_estimate;

pub use declare::{Finding, Label, RuleInfo, Severity};

use crate::model::{
    DhcpOptionsId, HostedZoneId, InternetGatewayId, LoadWarning, NatGatewayId, NetworkAclId, NetworkInterfaceId, PeeringConnectionId,
    PrefixListId, ResolverRuleId, RouteTableId, SecurityGroupId, Snapshot, Span, SubnetId, TransitGatewayId, TransitGatewayRouteTableId,
    VpcEndpointId, VpcId,
};
use crate::reachability::{Fact, PairResult};

/// Every rule, in code order.
pub static RULES: &[&RuleInfo] = &[
    &vpcr001_unknown_snapshot_key::RULE,
    &vpcr002_data_not_captured::RULE,
    &vpcr003_byte_order_mark::RULE,
    &vpcr004_sg_cidr_host_bits::RULE,
    &vpcr005_resource_ignored::RULE,
    &vpcr006_stated_assumption::RULE,
    &vpcr007_destination_outside_snapshot::RULE,
    &vpcr101_no_route_to_service::RULE,
    &vpcr102_blackhole_route::RULE,
    &vpcr103_igw_route_without_public_ip::RULE,
    &vpcr104_igw_not_attached::RULE,
    &vpcr105_nat_gateway_not_available::RULE,
    &vpcr106_nat_subnet_without_internet_route::RULE,
    &vpcr107_private_nat_to_internet::RULE,
    &vpcr108_unmodelled_next_hop::RULE,
    &vpcr109_destination_split_across_paths::RULE,
    &vpcr110_ipv6_only_subnet::RULE,
    &vpcr111_nat_cross_az::RULE,
    &vpcr112_local_route_redirected::RULE,
    &vpcr113_ambiguous_prefix_list_route::RULE,
    &vpcr114_block_public_access::RULE,
    &vpcr115_ipv6_path_not_analysed::RULE,
    &vpcr201_task_sg_blocks_egress::RULE,
    &vpcr202_endpoint_sg_blocks_ingress::RULE,
    &vpcr203_nacl_blocks_request::RULE,
    &vpcr204_nacl_blocks_return::RULE,
    &vpcr205_nacl_partial_ephemeral::RULE,
    &vpcr206_destination_sg_blocks_ingress::RULE,
    &vpcr207_sg_reference_not_effective::RULE,
    &vpcr301_endpoint_private_dns_disabled::RULE,
    &vpcr302_vpc_dns_attribute_disabled::RULE,
    &vpcr303_endpoint_not_available::RULE,
    &vpcr304_gateway_endpoint_not_on_route_table::RULE,
    &vpcr305_ecr_without_s3_path::RULE,
    &vpcr306_phz_nxdomain_shadow::RULE,
    &vpcr307_custom_dns_servers::RULE,
    &vpcr308_resolver_rule_forwards::RULE,
    &vpcr309_endpoint_enis_disagree::RULE,
    &vpcr310_phz_not_associated::RULE,
    &vpcr311_phz_name_misspelt::RULE,
    &vpcr312_cross_region_endpoint_setting::RULE,
    &vpcr313_resolver_rule_not_associated::RULE,
    &vpcr314_ecr_endpoint_incomplete::RULE,
    &vpcr315_ecr_s3_interface_only::RULE,
    &vpcr316_endpoint_policy_denies::RULE,
    &vpcr317_remote_endpoint_no_dns::RULE,
    &vpcr318_dns_firewall_blocks::RULE,
    &vpcr319_dns_firewall_uncertain::RULE,
    &vpcr320_dns_server_of_another_vpc::RULE,
    &vpcr321_endpoint_dns_ipv6_only::RULE,
    &vpcr322_endpoint_of_another_service::RULE,
    &vpcr401_edge_to_edge_routing::RULE,
    &vpcr402_peering_not_active::RULE,
    &vpcr403_peering_no_return_route::RULE,
    &vpcr404_tgw_no_attachment_in_az::RULE,
    &vpcr405_tgw_attachment_unusable::RULE,
    &vpcr406_tgw_no_route_or_blackhole::RULE,
    &vpcr407_tgw_no_return_route::RULE,
    &vpcr408_tgw_destination_subnet_route_missing::RULE,
    &vpcr409_asymmetric_return_path::RULE,
    &vpcr410_routing_loop::RULE,
    &vpcr411_tgw_appliance_mode_missing::RULE,
    &vpcr412_peering_cidr_overlap::RULE,
    &vpcr413_local_route_shadows_destination::RULE,
    &vpcr501_service_subnets_inconsistent::RULE,
    &vpcr502_public_ip_unused::RULE,
    &vpcr503_nat_for_aws_services::RULE,
    &vpcr504_endpoint_fewer_azs::RULE,
    &vpcr505_platform_version_legacy::RULE,
    &vpcr506_endpoint_cost_estimate::RULE,
];

/// `docs/rules.md`: the whole catalogue, generated from the rules' doc comments
/// (`vpcreach rules --format markdown`; a test fails when the file is stale).
pub fn markdown_catalogue() -> String {
    let mut out = String::from(
        "# vpcreach diagnostics\n\nGenerated by `vpcreach rules --format markdown` from the rules' documentation in `src/rules/`; \
         do not edit by hand. `vpcreach explain CODE` prints one rule.\n\nCode blocks: 0xx snapshot integrity, 1xx routing \
         and gateways, 2xx security groups and NACLs, 3xx endpoints and DNS, 4xx transit gateways and peering, 5xx cost and \
         hygiene.\n\n| code | name | default severity | summary |\n|---|---|---|---|\n",
    );
    for r in RULES {
        out.push_str(&format!(
            "| [{}](#{}-{}) | `{}` | {} | {} |\n",
            r.code,
            r.code.to_ascii_lowercase(),
            r.name,
            r.name,
            r.severity.as_str(),
            r.summary
        ));
    }
    for r in RULES {
        out.push_str(&format!("\n## {} {}\n\nDefault severity: {}. {}.\n\n", r.code, r.name, r.severity.as_str(), capitalized(r.summary)));
        for line in r.doc_text().lines() {
            if let Some(heading) = line.strip_prefix("## ") {
                out.push_str(&format!("### {heading}\n"));
            } else {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

pub fn lookup(code: &str) -> Option<&'static RuleInfo> {
    RULES.iter().copied().find(|r| r.code.eq_ignore_ascii_case(code) || r.name == code)
}

/// What a rule may look at to word its finding.
pub struct Cx<'a> {
    pub snapshot: &'a Snapshot,
    pub pair: Option<&'a PairResult>,
}

impl Cx<'_> {
    /// Span of the JSON object of any resource with this ID: a keyed lookup in each map
    /// (IDs are unique per kind, and kinds do not share prefixes).
    pub fn span_of(&self, id: &str) -> Option<Span> {
        let s = self.snapshot;
        let id = id.to_owned();
        macro_rules! lookup {
            ($($map:ident => $key:ident),* $(,)?) => {
                None$(.or_else(|| s.$map.get(&$key::from(id.as_str())).map(|v| v.span)))*
            };
        }
        lookup!(
            vpcs => VpcId,
            subnets => SubnetId,
            route_tables => RouteTableId,
            internet_gateways => InternetGatewayId,
            nat_gateways => NatGatewayId,
            vpc_endpoints => VpcEndpointId,
            security_groups => SecurityGroupId,
            network_acls => NetworkAclId,
            network_interfaces => NetworkInterfaceId,
            hosted_zones => HostedZoneId,
            resolver_rules => ResolverRuleId,
            dhcp_options => DhcpOptionsId,
            prefix_lists => PrefixListId,
            peering_connections => PeeringConnectionId,
            transit_gateways => TransitGatewayId,
            tgw_route_tables => TransitGatewayRouteTableId,
        )
        .or_else(|| s.tgw_attachments.values().find(|a| a.id.as_str() == id).map(|a| a.span))
        // DNS Firewall (DNS-5): a domain list or an association; a rule group, which has no
        // object of its own, by its first rule.
        .or_else(|| s.firewall_domain_lists.get(id.as_str()).map(|l| l.span))
        .or_else(|| s.firewall_associations.iter().find(|a| a.id == id).map(|a| a.span))
        .or_else(|| s.firewall_rules.get(id.as_str()).and_then(|rules| rules.first()).map(|r| r.span))
    }

    /// The ECS service's JSON when the pair's workload is one.
    pub fn workload_span(&self) -> Option<Span> {
        let pair = self.pair?;
        self.snapshot.ecs_services.iter().find(|s| *s.name == *pair.workload).map(|s| s.span)
    }

    pub fn service_title(&self) -> &str {
        self.pair.map_or("the service", |p| p.service.title)
    }

    pub fn hostname(&self) -> &str {
        self.pair.map_or("", |p| &*p.hostname)
    }

    /// `com.amazonaws.<region>.<svc>` for the pair's service.
    pub fn endpoint_service_name(&self) -> String {
        let Some(pair) = self.pair else { return "com.amazonaws.<region>.<service>".to_owned() };
        let region = pair
            .vpc_id
            .as_ref()
            .and_then(|v| self.snapshot.vpcs.get(v))
            .and_then(|v| self.snapshot.region_of(v.scope))
            .map(str::to_owned)
            .or_else(|| pair.hostname.split('.').rev().nth(2).map(str::to_owned))
            .unwrap_or_else(|| "<region>".to_owned());
        pair.service.endpoint_service_name(&region)
    }
}

/// The finding for one engine fact.
pub fn finding_for(cx: &Cx<'_>, fact: &Fact) -> Finding {
    use Fact as F;
    match fact {
        F::NotCaptured { key, needed_for, resource_id } => vpcr002_data_not_captured::finding(cx, key, needed_for, resource_id),
        F::DnsAttributesNotCaptured { vpc, endpoint } => vpcr002_data_not_captured::dns_attributes(cx, vpc, endpoint.as_ref()),
        F::Assumption { text, resource_id } => vpcr006_stated_assumption::finding(cx, text, resource_id.as_deref()),
        F::NoRoute { route_table, destination, has_interface_endpoint } => {
            vpcr101_no_route_to_service::finding(cx, route_table, destination, *has_interface_endpoint)
        }
        F::BlackholeRoute { route_table, route, destination, target, is_reply } => {
            vpcr102_blackhole_route::finding(cx, route_table, *route, destination, target, *is_reply)
        }
        F::IgwRouteWithoutPublicIp { route_table, route, igw, subnet } => {
            vpcr103_igw_route_without_public_ip::finding(cx, route_table, *route, igw, subnet)
        }
        F::IgwNotAttached { route_table, route, igw, vpc } => vpcr104_igw_not_attached::finding(cx, route_table, *route, igw, vpc),
        F::NatNotAvailable { nat, state } => vpcr105_nat_gateway_not_available::finding(cx, nat, state),
        F::NatSubnetNoInternetRoute { nat, route_table, route, reason } => {
            vpcr106_nat_subnet_without_internet_route::finding(cx, nat, route_table, *route, reason)
        }
        F::PrivateNatToInternet { nat, route_table, route } => vpcr107_private_nat_to_internet::finding(cx, nat, route_table, *route),
        F::UnmodelledHop { route_table, route, target_kind, target } => {
            vpcr108_unmodelled_next_hop::finding(cx, route_table, *route, target_kind, target)
        }
        F::DestinationSplit { route_table, parts } => vpcr109_destination_split_across_paths::finding(cx, route_table, parts),
        F::Ipv6OnlySubnet { subnet } => vpcr110_ipv6_only_subnet::finding(cx, subnet),
        F::TaskSgBlocksEgress { groups, destination, is_partial } => {
            vpcr201_task_sg_blocks_egress::finding(cx, groups, destination, *is_partial)
        }
        F::EndpointSgBlocksIngress { endpoint, groups, source, is_partial } => {
            vpcr202_endpoint_sg_blocks_ingress::finding(cx, endpoint, groups, source, *is_partial)
        }
        F::DestinationSgBlocksIngress { destination, groups, source, port, is_partial } => {
            vpcr206_destination_sg_blocks_ingress::finding(cx, destination, groups, source, *port, *is_partial)
        }
        F::NaclBlocks { leg: crate::reachability::Leg::Request, .. } => vpcr203_nacl_blocks_request::finding(cx, fact),
        F::NaclBlocks { .. } => vpcr204_nacl_blocks_return::finding(cx, fact),
        F::NaclPartialEphemeral { acl, subnet, is_egress, allowed } => {
            vpcr205_nacl_partial_ephemeral::finding(cx, acl, subnet, *is_egress, allowed)
        }
        F::EndpointPrivateDnsDisabled { endpoint, hostname, is_blocking } => {
            vpcr301_endpoint_private_dns_disabled::finding(cx, endpoint, hostname, *is_blocking)
        }
        F::VpcDnsAttributeDisabled { vpc, attribute, endpoint, is_blocking } => {
            vpcr302_vpc_dns_attribute_disabled::finding(cx, vpc, attribute, endpoint.as_ref(), *is_blocking)
        }
        F::EndpointNotAvailable { endpoint, state, is_blocking } => {
            vpcr303_endpoint_not_available::finding(cx, endpoint, state, *is_blocking)
        }
        F::S3GatewayEndpointNotAssociated { endpoint, route_table, is_main, is_blocking } => {
            vpcr304_gateway_endpoint_not_on_route_table::finding(cx, endpoint, route_table, *is_main, *is_blocking)
        }
        F::EcrWithoutS3Path { subnet, route_table } => vpcr305_ecr_without_s3_path::finding(cx, subnet, route_table),
        F::PhzNxdomain { zone, zone_name, hostname } => vpcr306_phz_nxdomain_shadow::finding(cx, zone, zone_name, hostname),
        F::CustomDnsServers { vpc, dhcp_options, servers } => vpcr307_custom_dns_servers::finding(cx, vpc, dhcp_options, servers),
        F::DnsServerOfAnotherVpc { vpc, dhcp_options, servers, is_alone } => {
            vpcr320_dns_server_of_another_vpc::finding(cx, vpc, dhcp_options, servers, *is_alone)
        }
        F::EndpointOfAnotherService { endpoint, service_name, expected, hostname, via } => {
            vpcr322_endpoint_of_another_service::finding(cx, endpoint, service_name, expected, hostname, via)
        }
        F::LocalRouteShadows { route_table, route, destination, own_vpc, other_vpc } => {
            vpcr413_local_route_shadows_destination::finding(cx, route_table, *route, destination, own_vpc, other_vpc)
        }
        F::ImplicitResourceMissing { key, what, resource_id } => vpcr002_data_not_captured::implicit_missing(cx, key, what, resource_id),
        F::Ipv6PathNotAnalysed { subnet, hostname, how, resource } => {
            vpcr115_ipv6_path_not_analysed::finding(cx, subnet, hostname, how, resource)
        }
        F::EndpointDnsIpv6Only { endpoint, hostname, task_ipv6 } => {
            vpcr321_endpoint_dns_ipv6_only::finding(cx, endpoint, hostname, *task_ipv6)
        }
        F::ResolverRuleForwards { rule, domain, hostname } => vpcr308_resolver_rule_forwards::finding(cx, rule, domain, hostname),
        F::DnsFirewallBlocks { vpc, association, rule_group, rule, domain_list, name, hostname, response, span } => {
            vpcr318_dns_firewall_blocks::finding(
                vpc,
                association,
                rule_group,
                rule,
                domain_list.as_deref(),
                name,
                hostname,
                response,
                *span,
            )
        }
        F::DnsFirewallUncertain { vpc, rule_group, rule, hostname, reason, span } => {
            vpcr319_dns_firewall_uncertain::finding(vpc, rule_group, rule, hostname, reason, *span)
        }
        F::EndpointEnisDisagree { endpoint, reachable, blocked, causes } => {
            vpcr309_endpoint_enis_disagree::finding(cx, endpoint, reachable, blocked, causes)
        }
        F::EdgeToEdge { entered_by, vpc, target, target_kind, route_table, route } => {
            vpcr401_edge_to_edge_routing::finding(cx, entered_by, vpc, target, target_kind, route_table.as_ref(), *route)
        }
        F::PeeringNotActive { pcx, status, route_table, route } => {
            vpcr402_peering_not_active::finding(cx, pcx, status, route_table, *route)
        }
        F::ReturnRouteMissing { route_table, vpc, destination, via, route } if via.starts_with("tgw-") => {
            vpcr408_tgw_destination_subnet_route_missing::return_finding(cx, route_table, vpc, destination, via, *route)
        }
        F::ReturnRouteMissing { route_table, vpc, destination, via, route } => {
            vpcr403_peering_no_return_route::finding(cx, route_table, vpc, destination, via, *route)
        }
        F::AsymmetricReturn { route_table, destination, expected, found, route, delivered_in } => {
            vpcr409_asymmetric_return_path::finding(cx, route_table, destination, expected, found, *route, delivered_in.as_ref())
        }
        F::TgwAttachmentUnusable { tgw, attachment, vpc, reason, route_table, route } => {
            vpcr405_tgw_attachment_unusable::finding(cx, tgw, attachment.as_ref(), vpc.as_ref(), reason, route_table.as_ref(), *route)
        }
        F::TgwNoAttachmentInAz { tgw, attachment, subnet, az, attachment_azs } => {
            vpcr404_tgw_no_attachment_in_az::finding(cx, tgw, attachment, subnet, az, attachment_azs)
        }
        F::TgwNoRoute { is_return: false, .. } => vpcr406_tgw_no_route_or_blackhole::finding(cx, fact),
        F::TgwNoRoute { .. } => vpcr407_tgw_no_return_route::finding(cx, fact),
        F::TgwDestinationRouteMissing { route_table, vpc, destination, attachment } => {
            vpcr408_tgw_destination_subnet_route_missing::finding(cx, route_table, vpc, destination, attachment)
        }
        F::RoutingLoop { cycle, route_table, route } => vpcr410_routing_loop::finding(cx, cycle, route_table, *route),
        F::ApplianceModeMissing { attachment, vpc, appliance, route_table, route, .. } => {
            vpcr411_tgw_appliance_mode_missing::finding(cx, attachment, vpc, appliance, route_table, *route)
        }
        F::PeeringCidrOverlap { pcx, vpcs, overlap } => vpcr412_peering_cidr_overlap::finding(cx, pcx, vpcs, overlap),
        F::NatCrossAz { nat, nat_az, from_subnet, from_az } => vpcr111_nat_cross_az::finding(cx, nat, nat_az, from_subnet, from_az),
        F::LocalRouteRedirected { route_table, route, target } => vpcr112_local_route_redirected::finding(cx, route_table, *route, target),
        F::AmbiguousPrefixListRoute { route_table, route, targets } => {
            vpcr113_ambiguous_prefix_list_route::finding(cx, route_table, *route, targets)
        }
        F::BlockPublicAccess { mode, options, vpc, subnet, igw, route_table, route } => {
            vpcr114_block_public_access::finding(cx, mode, *options, vpc, subnet, igw, route_table, *route)
        }
        F::SgReferenceNotEffective { destination, groups, source, port, is_egress: false } => {
            vpcr207_sg_reference_not_effective::finding(cx, destination, groups, source, *port)
        }
        F::SgReferenceNotEffective { destination, groups, port, is_egress: true, .. } => {
            vpcr207_sg_reference_not_effective::egress_finding(cx, destination, groups, *port)
        }
        F::EcrEndpointIncomplete { vpc, present, missing_service } => {
            vpcr314_ecr_endpoint_incomplete::finding(cx, vpc, present, missing_service)
        }
        F::EcrS3InterfaceOnly { endpoint } => vpcr315_ecr_s3_interface_only::finding(cx, endpoint),
        F::RemoteEndpointNoDns { endpoint, endpoint_vpc, vpc, hostname } => {
            vpcr317_remote_endpoint_no_dns::finding(cx, endpoint, endpoint_vpc, vpc, hostname)
        }
        F::EndpointPolicyDenies { endpoint, needed } => vpcr316_endpoint_policy_denies::finding(cx, endpoint, needed),
        F::ServiceSubnetsInconsistent { workload, services, passing, failing } => {
            vpcr501_service_subnets_inconsistent::finding(cx, workload, services, passing, failing)
        }
        F::PublicIpUnused { workload, egress, span } => vpcr502_public_ip_unused::finding(cx, workload, egress, *span),
        F::NatCarriesAwsServices { nat, gateway_services, interface_services, task_tables } => {
            vpcr503_nat_for_aws_services::finding(cx, nat, gateway_services, interface_services, task_tables)
        }
        F::EndpointFewerAzs { endpoint, endpoint_azs, missing_azs } => {
            vpcr504_endpoint_fewer_azs::finding(cx, endpoint, endpoint_azs, missing_azs)
        }
        F::LegacyPlatformVersion { service, version, span } => vpcr505_platform_version_legacy::finding(cx, service, version, *span),
        F::EndpointCostEstimate { vpc, endpoints, endpoint_azs, azs, nat_gateways, region } => {
            vpcr506_endpoint_cost_estimate::finding(cx, vpc, *endpoints, *endpoint_azs, *azs, *nat_gateways, region)
        }
        F::ResolverRuleNotAssociated { rule, domain, hostname, vpc, is_blocking } => {
            vpcr313_resolver_rule_not_associated::finding(cx, rule, domain, hostname, vpc, *is_blocking)
        }
        F::PhzNotAssociated { zone, zone_name, hostname, vpc, is_blocking } => {
            vpcr310_phz_not_associated::finding(cx, zone, zone_name, hostname, vpc, *is_blocking)
        }
        F::PhzMisspelt { zone, zone_name, expected, is_blocking } => {
            vpcr311_phz_name_misspelt::finding(cx, zone, zone_name, expected, *is_blocking)
        }
        F::CrossRegionEndpoint { endpoint, vpc_region, service_region, required } => {
            vpcr312_cross_region_endpoint_setting::finding(cx, endpoint, vpc_region, service_region.as_deref(), required)
        }
        F::OutsideSnapshot { destination, reason } => vpcr007_destination_outside_snapshot::finding(cx, destination, reason),
    }
}

/// Findings about the snapshot itself, from the loader's warnings.
pub fn load_findings(snapshot: &Snapshot) -> Vec<Finding> {
    let cx = Cx { snapshot, pair: None };
    snapshot
        .warnings
        .iter()
        .map(|w| match w {
            LoadWarning::UnknownKeys { keys, span, places } => vpcr001_unknown_snapshot_key::finding(&cx, keys, *span, places),
            LoadWarning::ByteOrderMark { source } => vpcr003_byte_order_mark::finding(&cx, *source),
            LoadWarning::HostBitsTruncated { resource_id, cidr, span } => vpcr004_sg_cidr_host_bits::finding(&cx, resource_id, cidr, *span),
            LoadWarning::Ignored { resource_id, reason, span } => vpcr005_resource_ignored::finding(&cx, resource_id, reason, *span),
            LoadWarning::StateAssumed { kind, ids } => {
                let shown: Vec<&str> = ids.iter().take(5).map(String::as_str).collect();
                let more = if ids.len() > shown.len() { format!(" and {} more", ids.len() - shown.len()) } else { String::new() };
                let text = format!(
                    "{} {kind}{} without `State` ({}{more}): taken as available",
                    ids.len(),
                    if ids.len() == 1 { "" } else { "s" },
                    shown.join(", ")
                );
                vpcr006_stated_assumption::finding(&cx, &text, ids.first().map(String::as_str))
            }
            LoadWarning::StaleGroupReference { group, referenced, peering, status, span } => {
                vpcr005_resource_ignored::stale_reference(group, referenced, peering.as_deref(), status, *span)
            }
        })
        .collect()
}
