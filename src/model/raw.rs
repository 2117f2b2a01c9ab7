//! Serde types that mirror the AWS JSON exactly as the API and CLI print it (PascalCase for
//! EC2, camelCase for ECS). Only the fields the analyzer reads are declared; everything else
//! in a resource is ignored. Types here are not validated: see [`crate::model::validate`].

use serde::Deserialize;

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    #[serde(default)]
    pub key: String,
    #[serde(default)]
    pub value: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Vpc {
    pub vpc_id: String,
    #[serde(default)]
    pub cidr_block: Option<String>,
    #[serde(default)]
    pub cidr_block_association_set: Vec<CidrAssociation>,
    /// Only whether there is one matters (a dual-stack VPC).
    #[serde(default)]
    pub ipv6_cidr_block_association_set: Vec<serde::de::IgnoredAny>,
    #[serde(default)]
    pub is_default: bool,
    #[serde(default)]
    pub dhcp_options_id: Option<String>,
    #[serde(default)]
    pub owner_id: Option<String>,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CidrAssociation {
    pub cidr_block: String,
    #[serde(default)]
    pub cidr_block_state: Option<StateValue>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StateValue {
    #[serde(default)]
    pub state: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BoolValue {
    pub value: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcAttributes {
    pub vpc_id: String,
    #[serde(default)]
    pub enable_dns_support: Option<BoolValue>,
    #[serde(default)]
    pub enable_dns_hostnames: Option<BoolValue>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Subnet {
    pub subnet_id: String,
    pub vpc_id: String,
    /// Absent on an IPv6-only subnet (`Ipv6Native`).
    #[serde(default)]
    pub cidr_block: String,
    #[serde(default)]
    pub ipv6_native: bool,
    /// DNS64 (NAT-11): the Resolver synthesises `64:ff9b::/96` AAAA answers for IPv4-only names.
    #[serde(default)]
    pub enable_dns64: bool,
    /// Only whether there is one matters (a subnet without `CidrBlock` needs an IPv6 CIDR).
    #[serde(default)]
    pub ipv6_cidr_block_association_set: Vec<serde::de::IgnoredAny>,
    #[serde(default)]
    pub availability_zone: Option<String>,
    #[serde(default)]
    pub availability_zone_id: Option<String>,
    #[serde(default)]
    pub map_public_ip_on_launch: bool,
    #[serde(default)]
    pub owner_id: Option<String>,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RouteTable {
    pub route_table_id: String,
    pub vpc_id: String,
    /// Always printed by the API (`[]` for none): absent means not captured (a `--query`
    /// projection), refused rather than read as none.
    pub associations: Vec<RouteTableAssociation>,
    /// Always printed by the API (`[]` for none): absent means not captured (a `--query`
    /// projection), refused rather than read as none.
    pub routes: Vec<Route>,
    #[serde(default)]
    pub owner_id: Option<String>,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RouteTableAssociation {
    #[serde(default)]
    pub main: bool,
    #[serde(default)]
    pub subnet_id: Option<String>,
    #[serde(default)]
    pub gateway_id: Option<String>,
    #[serde(default)]
    pub association_state: Option<StateValue>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Route {
    #[serde(default)]
    pub destination_cidr_block: Option<String>,
    #[serde(default)]
    pub destination_ipv6_cidr_block: Option<String>,
    #[serde(default)]
    pub destination_prefix_list_id: Option<String>,
    #[serde(default)]
    pub gateway_id: Option<String>,
    #[serde(default)]
    pub nat_gateway_id: Option<String>,
    #[serde(default)]
    pub transit_gateway_id: Option<String>,
    #[serde(default)]
    pub vpc_peering_connection_id: Option<String>,
    #[serde(default)]
    pub network_interface_id: Option<String>,
    #[serde(default)]
    pub instance_id: Option<String>,
    #[serde(default)]
    pub egress_only_internet_gateway_id: Option<String>,
    #[serde(default)]
    pub local_gateway_id: Option<String>,
    #[serde(default)]
    pub carrier_gateway_id: Option<String>,
    #[serde(default)]
    pub core_network_arn: Option<String>,
    #[serde(default)]
    pub odb_network_arn: Option<String>,
    #[serde(default)]
    pub ip_address: Option<String>,
    #[serde(default)]
    pub origin: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InternetGateway {
    pub internet_gateway_id: String,
    #[serde(default)]
    pub attachments: Vec<GatewayAttachment>,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GatewayAttachment {
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub vpc_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EgressOnlyInternetGateway {
    pub egress_only_internet_gateway_id: String,
    #[serde(default)]
    pub attachments: Vec<GatewayAttachment>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NatGateway {
    pub nat_gateway_id: String,
    #[serde(default)]
    pub vpc_id: Option<String>,
    #[serde(default)]
    pub subnet_id: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub connectivity_type: Option<String>,
    #[serde(default)]
    pub availability_mode: Option<String>,
    #[serde(default)]
    pub nat_gateway_addresses: Vec<NatGatewayAddress>,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NatGatewayAddress {
    #[serde(default)]
    pub public_ip: Option<String>,
    #[serde(default)]
    pub private_ip: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcEndpoint {
    pub vpc_endpoint_id: String,
    #[serde(default)]
    pub vpc_endpoint_type: Option<String>,
    pub vpc_id: String,
    pub service_name: String,
    #[serde(default)]
    pub service_region: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub private_dns_enabled: Option<bool>,
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    #[serde(default)]
    pub groups: Vec<GroupRef>,
    #[serde(default)]
    pub network_interface_ids: Vec<String>,
    #[serde(default)]
    pub route_table_ids: Vec<String>,
    #[serde(default)]
    pub policy_document: Option<String>,
    #[serde(default)]
    pub dns_options: Option<DnsOptions>,
    #[serde(default)]
    pub dns_entries: Vec<DnsEntry>,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DnsEntry {
    #[serde(default)]
    pub dns_name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DnsOptions {
    #[serde(default)]
    pub private_dns_only_for_inbound_resolver_endpoint: Option<bool>,
    /// `ipv4`, `dualstack`, `ipv6` or `service-defined`: which records private DNS creates.
    #[serde(default)]
    pub dns_record_ip_type: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupRef {
    pub group_id: String,
    #[serde(default)]
    pub group_name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcPeeringConnection {
    pub vpc_peering_connection_id: String,
    #[serde(default)]
    pub status: Option<PeeringStatus>,
    #[serde(default)]
    pub requester_vpc_info: Option<PeeringVpcInfo>,
    #[serde(default)]
    pub accepter_vpc_info: Option<PeeringVpcInfo>,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PeeringVpcInfo {
    #[serde(default)]
    pub vpc_id: Option<String>,
    #[serde(default)]
    pub owner_id: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub cidr_block: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PeeringStatus {
    #[serde(default)]
    pub code: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SecurityGroup {
    pub group_id: String,
    #[serde(default)]
    pub group_name: Option<String>,
    #[serde(default)]
    pub vpc_id: Option<String>,
    /// Always printed by the API (`[]` for none): absent means not captured (a `--query`
    /// projection), refused rather than read as none.
    pub ip_permissions: Vec<IpPermission>,
    /// Always printed by the API (`[]` for none): absent means not captured (a `--query`
    /// projection), refused rather than read as none.
    pub ip_permissions_egress: Vec<IpPermission>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IpPermission {
    pub ip_protocol: String,
    #[serde(default)]
    pub from_port: Option<i64>,
    #[serde(default)]
    pub to_port: Option<i64>,
    #[serde(default)]
    pub ip_ranges: Vec<IpRange>,
    #[serde(default)]
    pub ipv6_ranges: Vec<serde::de::IgnoredAny>,
    #[serde(default)]
    pub prefix_list_ids: Vec<PrefixListRef>,
    #[serde(default)]
    pub user_id_group_pairs: Vec<UserIdGroupPair>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IpRange {
    pub cidr_ip: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PrefixListRef {
    pub prefix_list_id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserIdGroupPair {
    #[serde(default)]
    pub group_id: Option<String>,
    #[serde(default)]
    pub vpc_id: Option<String>,
    #[serde(default)]
    pub vpc_peering_connection_id: Option<String>,
    #[serde(default)]
    pub peering_status: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkAcl {
    pub network_acl_id: String,
    pub vpc_id: String,
    #[serde(default)]
    pub is_default: bool,
    /// Always printed by the API (`[]` for none): absent means not captured (a `--query`
    /// projection), refused rather than read as none.
    pub associations: Vec<NetworkAclAssociation>,
    /// Always printed by the API (`[]` for none): absent means not captured (a `--query`
    /// projection), refused rather than read as none.
    pub entries: Vec<NetworkAclEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkAclAssociation {
    #[serde(default)]
    pub subnet_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkAclEntry {
    pub rule_number: i64,
    pub protocol: String,
    pub rule_action: String,
    pub egress: bool,
    #[serde(default)]
    pub cidr_block: Option<String>,
    #[serde(default)]
    pub ipv6_cidr_block: Option<String>,
    #[serde(default)]
    pub port_range: Option<PortRange>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PortRange {
    #[serde(default)]
    pub from: Option<i64>,
    #[serde(default)]
    pub to: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NetworkInterface {
    pub network_interface_id: String,
    #[serde(default)]
    pub subnet_id: Option<String>,
    #[serde(default)]
    pub vpc_id: Option<String>,
    #[serde(default)]
    pub interface_type: Option<String>,
    #[serde(default)]
    pub private_ip_address: Option<String>,
    #[serde(default)]
    pub private_ip_addresses: Vec<PrivateIpAddress>,
    #[serde(default)]
    pub groups: Vec<GroupRef>,
    #[serde(default)]
    pub association: Option<EniAssociation>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PrivateIpAddress {
    #[serde(default)]
    pub private_ip_address: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EniAssociation {
    #[serde(default)]
    pub public_ip: Option<String>,
}

/// `describe-prefix-lists` item (AWS-managed service prefix lists with their CIDRs).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PrefixList {
    pub prefix_list_id: String,
    #[serde(default)]
    pub prefix_list_name: Option<String>,
    #[serde(default)]
    pub cidrs: Option<Vec<String>>,
    /// A `describe-managed-prefix-lists` item (the CLI's key is `PrefixLists` too) with the
    /// `get-managed-prefix-list-entries` answer added.
    #[serde(default)]
    pub entries: Option<Vec<PrefixListEntry>>,
    #[serde(default)]
    pub address_family: Option<String>,
}

/// `describe-managed-prefix-lists` item, optionally with `get-managed-prefix-list-entries`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManagedPrefixList {
    pub prefix_list_id: String,
    #[serde(default)]
    pub prefix_list_name: Option<String>,
    #[serde(default)]
    pub address_family: Option<String>,
    #[serde(default)]
    pub entries: Option<Vec<PrefixListEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PrefixListEntry {
    pub cidr: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DhcpOptions {
    pub dhcp_options_id: String,
    #[serde(default)]
    pub dhcp_configurations: Vec<DhcpConfiguration>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DhcpConfiguration {
    pub key: String,
    #[serde(default)]
    pub values: Vec<DhcpValue>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DhcpValue {
    pub value: String,
}

/// An item of `aws ecs describe-services` → `services` (camelCase, as ECS prints it).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EcsService {
    pub service_name: String,
    #[serde(default)]
    pub service_arn: Option<String>,
    #[serde(default)]
    pub cluster_arn: Option<String>,
    #[serde(default)]
    pub launch_type: Option<String>,
    #[serde(default)]
    pub platform_version: Option<String>,
    #[serde(default)]
    pub network_configuration: Option<EcsNetworkConfiguration>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EcsNetworkConfiguration {
    #[serde(default)]
    pub awsvpc_configuration: Option<AwsVpcConfiguration>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AwsVpcConfiguration {
    #[serde(default)]
    pub subnets: Vec<String>,
    #[serde(default)]
    pub security_groups: Option<Vec<String>>,
    #[serde(default)]
    pub assign_public_ip: Option<String>,
}

/// One item of the `HostedZones` key: get-hosted-zone plus its records.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HostedZoneEntry {
    pub hosted_zone: HostedZone,
    #[serde(default, rename = "VPCs")]
    pub vpcs: Vec<HostedZoneVpc>,
    #[serde(default)]
    pub resource_record_sets: Vec<ResourceRecordSet>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HostedZone {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub config: Option<HostedZoneConfig>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HostedZoneConfig {
    #[serde(default)]
    pub private_zone: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HostedZoneVpc {
    #[serde(rename = "VPCId")]
    pub vpc_id: String,
    #[serde(default, rename = "VPCRegion")]
    pub vpc_region: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceRecordSet {
    pub name: String,
    #[serde(rename = "Type")]
    pub record_type: String,
    #[serde(default)]
    pub resource_records: Vec<ResourceRecord>,
    #[serde(default)]
    pub alias_target: Option<AliasTarget>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceRecord {
    pub value: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AliasTarget {
    #[serde(rename = "DNSName")]
    pub dns_name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResolverRule {
    pub id: String,
    pub domain_name: String,
    pub rule_type: String,
    #[serde(default)]
    pub status: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResolverRuleAssociation {
    pub resolver_rule_id: String,
    /// `list-resolver-rule-associations` prints `VPCId`.
    #[serde(rename = "VPCId", alias = "VpcId")]
    pub vpc_id: String,
    #[serde(default)]
    pub status: Option<String>,
}

/// DNS-5: `list-firewall-rule-group-associations`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FirewallRuleGroupAssociation {
    pub id: String,
    pub firewall_rule_group_id: String,
    #[serde(alias = "VPCId")]
    pub vpc_id: String,
    pub priority: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
}

/// DNS-5: `list-firewall-rules`, one call per rule group (each rule names its group).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FirewallRule {
    pub firewall_rule_group_id: String,
    #[serde(default)]
    pub firewall_domain_list_id: Option<String>,
    #[serde(default)]
    pub firewall_threat_protection_id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    pub priority: i64,
    pub action: String,
    #[serde(default)]
    pub block_response: Option<String>,
    #[serde(default)]
    pub qtype: Option<String>,
    #[serde(default)]
    pub firewall_domain_redirection_action: Option<String>,
}

/// DNS-5: `list-firewall-domain-lists`, each optionally with `Domains` from
/// `list-firewall-domains`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FirewallDomainList {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub managed_owner_name: Option<String>,
    #[serde(default)]
    pub domains: Option<Vec<String>>,
}

/// DNS-8: `list-profile-associations` (Route 53 Profiles).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProfileAssociation {
    pub id: String,
    pub profile_id: String,
    /// The VPC.
    pub resource_id: String,
    #[serde(default)]
    pub status: Option<String>,
}

/// DNS-8: `list-profile-resource-associations`, one call per Profile.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProfileResourceAssociation {
    #[serde(default)]
    pub id: Option<String>,
    pub profile_id: String,
    pub resource_arn: String,
    #[serde(default)]
    pub resource_type: Option<String>,
    /// A JSON text: `{"priority": 102}` for a DNS Firewall rule group.
    #[serde(default)]
    pub resource_properties: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
}

/// One entry of `Gaps`, written by `vpcreach snapshot` for a call that failed.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Gap {
    pub key: String,
    pub operation: String,
    #[serde(default)]
    pub error_code: Option<String>,
}

// ---- VPC Block Public Access (IGW-8) ----

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BlockPublicAccessOptions {
    pub internet_gateway_block_mode: String,
    #[serde(default)]
    pub state: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BlockPublicAccessExclusion {
    pub exclusion_id: String,
    pub internet_gateway_exclusion_mode: String,
    pub resource_arn: String,
    #[serde(default)]
    pub state: Option<String>,
}

// ---- Transit gateways (TGW-1..TGW-15) ----

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TransitGateway {
    pub transit_gateway_id: String,
    #[serde(default)]
    pub owner_id: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub options: Option<TransitGatewayOptions>,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct TransitGatewayOptions {
    #[serde(default)]
    pub default_route_table_association: Option<String>,
    #[serde(default)]
    pub association_default_route_table_id: Option<String>,
    #[serde(default)]
    pub default_route_table_propagation: Option<String>,
    #[serde(default)]
    pub propagation_default_route_table_id: Option<String>,
    #[serde(default)]
    pub security_group_referencing_support: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TransitGatewayAttachment {
    pub transit_gateway_attachment_id: String,
    pub transit_gateway_id: String,
    #[serde(default)]
    pub resource_type: Option<String>,
    #[serde(default)]
    pub resource_id: Option<String>,
    #[serde(default)]
    pub resource_owner_id: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub association: Option<TransitGatewayAssociation>,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TransitGatewayAssociation {
    #[serde(default)]
    pub transit_gateway_route_table_id: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TransitGatewayVpcAttachment {
    pub transit_gateway_attachment_id: String,
    pub transit_gateway_id: String,
    pub vpc_id: String,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    #[serde(default)]
    pub options: Option<TransitGatewayVpcAttachmentOptions>,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct TransitGatewayVpcAttachmentOptions {
    #[serde(default)]
    pub appliance_mode_support: Option<String>,
    #[serde(default)]
    pub security_group_referencing_support: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TransitGatewayRouteTable {
    pub transit_gateway_route_table_id: String,
    pub transit_gateway_id: String,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

/// Batfish's wrapper: one `get-transit-gateway-route-table-propagations` answer per table.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TransitGatewayPropagations {
    pub transit_gateway_route_table_id: String,
    #[serde(default)]
    pub transit_gateway_route_table_propagations: Vec<TransitGatewayPropagation>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TransitGatewayPropagation {
    pub transit_gateway_attachment_id: String,
    #[serde(default)]
    pub resource_id: Option<String>,
    #[serde(default)]
    pub resource_type: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
}

/// One `search-transit-gateway-routes` answer with the table it was asked for (Batfish's
/// `TransitGatewayStaticRoutes` wrapper, or `TransitGatewayRoutes`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TransitGatewayRouteSearch {
    pub transit_gateway_route_table_id: String,
    #[serde(default)]
    pub routes: Vec<serde::de::IgnoredAny>,
    #[serde(default)]
    pub additional_routes_available: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TransitGatewayRoute {
    #[serde(default)]
    pub destination_cidr_block: Option<String>,
    #[serde(default)]
    pub prefix_list_id: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default, rename = "Type")]
    pub route_type: Option<String>,
    #[serde(default)]
    pub transit_gateway_attachments: Vec<TransitGatewayRouteAttachment>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TransitGatewayRouteAttachment {
    #[serde(default)]
    pub transit_gateway_attachment_id: Option<String>,
    #[serde(default)]
    pub resource_id: Option<String>,
    #[serde(default)]
    pub resource_type: Option<String>,
}
