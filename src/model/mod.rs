//! What a snapshot says: the validated, typed view of an AWS network snapshot.
//!
//! Loading happens in two steps. [`load`] reads a snapshot file (or a Batfish-layout folder of
//! AWS CLI outputs), parses every resource into the serde types of [`raw`] and records the
//! byte span of each. [`validate`] then builds the typed [`Snapshot`]: IDs as newtypes, CIDRs
//! as `ipnet` values, maps keyed by ID so every iteration is deterministic. Validation collects
//! every problem with its location instead of stopping at the first.

pub mod ids;
pub mod import;
pub mod load;
pub mod overlay;
pub mod raw;
mod scan;
pub mod span;
pub mod validate;

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;
use std::sync::{Arc, OnceLock};

use ipnet::Ipv4Net;

pub use ids::*;
pub use load::{load_bytes, load_path, load_str, load_with_overlays, LoadError, Problem};
pub use span::{SourceId, Span};

/// One file the snapshot was read from, kept whole so diagnostics can quote it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: Arc<String>,
    /// Built on first use: only a report that quotes the file needs it.
    lines: std::sync::OnceLock<Arc<span::LineIndex>>,
}

impl SourceFile {
    pub fn new(name: String, text: Arc<String>) -> Self {
        Self { name, text, lines: std::sync::OnceLock::new() }
    }

    /// Where each line starts, for line and column numbers in O(log n) per lookup (a report
    /// with 10,000 problems used to rescan the text from its start for each).
    pub fn line_index(&self) -> &span::LineIndex {
        self.lines.get_or_init(|| Arc::new(span::LineIndex::new(&self.text)))
    }

    /// 1-based line and (byte) column of `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.line_index().line_col(offset.min(self.text.len()))
    }
}

/// Account and region a resource was captured in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Scope {
    pub account: Option<String>,
    pub region: Option<String>,
}

/// Index into [`Snapshot::scopes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ScopeId(pub u32);

/// The snapshot keys the analyzer understands. An absent key means "not captured", never
/// "none exist".
pub const RESOURCE_KEYS: &[&str] = &[
    "Vpcs",
    "VpcAttributes",
    "Subnets",
    "RouteTables",
    "InternetGateways",
    "EgressOnlyInternetGateways",
    "NatGateways",
    "VpcEndpoints",
    "VpcPeeringConnections",
    "SecurityGroups",
    "NetworkAcls",
    "NetworkInterfaces",
    "PrefixLists",
    "ManagedPrefixLists",
    "Addresses",
    "DhcpOptions",
    "EcsServices",
    "HostedZones",
    "ResolverRules",
    "ResolverRuleAssociations",
    "ResolverEndpoints",
    "FirewallRuleGroupAssociations",
    "FirewallRules",
    "FirewallDomainLists",
    "ProfileAssociations",
    "ProfileResourceAssociations",
    "TransitGateways",
    "TransitGatewayAttachments",
    "TransitGatewayVpcAttachments",
    "TransitGatewayRouteTables",
    "TransitGatewayPropagations",
    "TransitGatewayStaticRoutes",
    "TransitGatewayRoutes",
    "VpcBlockPublicAccessOptions",
    "VpcBlockPublicAccessExclusions",
    "Gaps",
];

/// What a transit gateway route table's `unresolved_propagations` holds when its propagations
/// were not listed.
pub(crate) const PROPAGATIONS_NOT_CAPTURED: &str = "propagations of this table not captured";

/// Keys that are read and kept as "captured" but whose contents the engine does not model
/// yet: a path that needs them ends in `unknown` with the hop named.
pub const CAPTURED_NOT_MODELLED: &[&str] = &["Addresses", "ResolverEndpoints"];

/// IGW-8: the region's VPC Block Public Access setting (`describe-vpc-block-public-access-options`).
#[derive(Debug, Clone)]
pub struct BlockPublicAccess {
    /// `off`, `block-bidirectional` or `block-ingress`.
    pub mode: String,
    pub span: Span,
}

/// A key the exporter could not capture: the call that failed and its error code.
#[derive(Debug, Clone)]
pub struct Gap {
    pub key: String,
    pub operation: String,
    pub error_code: String,
    pub span: Span,
}

/// IGW-8: one exclusion from Block Public Access, for a VPC or a subnet.
#[derive(Debug, Clone)]
pub struct BlockPublicAccessExclusion {
    pub id: String,
    /// The VPC or subnet ID taken from the exclusion's `ResourceArn`.
    pub resource_id: String,
    /// `allow-bidirectional` or `allow-egress`.
    pub mode: String,
    pub scope: ScopeId,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Vpc {
    pub id: VpcId,
    pub scope: ScopeId,
    pub cidrs: Vec<Ipv4Net>,
    /// The primary CIDR (`CidrBlock`), whose base + 2 is the VPC resolver's address (DNS-4).
    pub primary_cidr: Option<Ipv4Net>,
    pub is_default: bool,
    /// The VPC has an IPv6 CIDR (its subnets may be dual-stack).
    pub has_ipv6: bool,
    pub dhcp_options_id: Option<DhcpOptionsId>,
    pub name: Option<String>,
    pub span: Span,
    /// `None` when `VpcAttributes` has no entry for this VPC (not captured).
    pub dns: Option<DnsAttributes>,
}

/// The two `describe-vpc-attribute` answers; `None` inside means that one was not captured.
#[derive(Debug, Clone, Copy, Default)]
pub struct DnsAttributes {
    pub enable_dns_support: Option<bool>,
    pub enable_dns_hostnames: Option<bool>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Subnet {
    pub id: SubnetId,
    pub vpc_id: VpcId,
    /// `None` for an IPv6-only subnet.
    pub cidr: Option<Ipv4Net>,
    pub availability_zone: Option<String>,
    /// The AZ's ID (`use1-az4`): the same AZ in every account, where each account maps AZ names
    /// to AZs its own way.
    pub availability_zone_id: Option<String>,
    /// The owning account (`OwnerId`): another account than the listing one for a subnet shared
    /// with it through RAM.
    pub owner_id: Option<String>,
    /// The subnet has an IPv6 CIDR: its tasks may be dual-stack (FG-1).
    pub has_ipv6: bool,
    /// `EnableDns64` (NAT-11).
    pub dns64: bool,
    pub name: Option<String>,
    pub span: Span,
}

impl Subnet {
    /// Whether `other` is in the same AZ: by AZ ID when both have one (the same name may be
    /// another AZ in another account), else by name.
    pub fn same_az(&self, other: &Subnet) -> bool {
        self.zone().holds(other)
    }

    pub fn zone(&self) -> Zone<'_> {
        Zone { name: self.availability_zone.as_deref(), id: self.availability_zone_id.as_deref() }
    }
}

/// An AZ as a walk carries it: its name (shown) and, when known, its ID (compared).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Zone<'a> {
    pub name: Option<&'a str>,
    pub id: Option<&'a str>,
}

impl Zone<'_> {
    /// Whether `subnet` is in this AZ: by AZ ID when both have one, else by name (`false` when
    /// the name is unknown too).
    pub fn holds(&self, subnet: &Subnet) -> bool {
        match (self.id, subnet.availability_zone_id.as_deref()) {
            (Some(a), Some(b)) => a == b,
            _ => self.name.is_some() && self.name == subnet.availability_zone.as_deref(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct RouteTable {
    pub id: RouteTableId,
    pub vpc_id: VpcId,
    pub is_main: bool,
    pub subnet_ids: Vec<SubnetId>,
    pub routes: Vec<Route>,
    pub name: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteDestination {
    Ipv4(Ipv4Net),
    Ipv6(String),
    PrefixList(PrefixListId),
}

impl std::fmt::Display for RouteDestination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RouteDestination::Ipv4(net) => write!(f, "{net}"),
            RouteDestination::Ipv6(net) => f.write_str(net),
            RouteDestination::PrefixList(id) => write!(f, "{id}"),
        }
    }
}

/// A route's target (RT-7). `vpce-…` in `GatewayId` is a gateway or GWLB endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteTarget {
    Local,
    InternetGateway(InternetGatewayId),
    VirtualPrivateGateway(String),
    VpcEndpoint(VpcEndpointId),
    NatGateway(NatGatewayId),
    TransitGateway(TransitGatewayId),
    PeeringConnection(PeeringConnectionId),
    NetworkInterface(NetworkInterfaceId),
    Instance(String),
    EgressOnlyInternetGateway(EgressOnlyInternetGatewayId),
    /// In a transit gateway route table: the attachment the route sends to.
    TgwAttachment(TransitGatewayAttachmentId),
    /// Local gateway, carrier gateway, Cloud WAN core network, ODB network, Route Server
    /// next hop or anything else not modelled (RT-14): `(field, value)`.
    Other(&'static str, String),
}

impl RouteTarget {
    pub fn id(&self) -> &str {
        match self {
            RouteTarget::Local => "local",
            RouteTarget::InternetGateway(id) => id.as_str(),
            RouteTarget::VirtualPrivateGateway(id) => id,
            RouteTarget::VpcEndpoint(id) => id.as_str(),
            RouteTarget::NatGateway(id) => id.as_str(),
            RouteTarget::TransitGateway(id) => id.as_str(),
            RouteTarget::PeeringConnection(id) => id.as_str(),
            RouteTarget::NetworkInterface(id) => id.as_str(),
            RouteTarget::Instance(id) => id,
            RouteTarget::EgressOnlyInternetGateway(id) => id.as_str(),
            RouteTarget::TgwAttachment(id) => id.as_str(),
            RouteTarget::Other(_, id) => id,
        }
    }
}

/// Where a route came from, for the RT-5 tie-break on identical prefixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RouteOrigin {
    /// `CreateRouteTable` / `CreateRoute`: static.
    Static,
    /// `EnableVgwRoutePropagation`: propagated.
    Propagated,
}

#[derive(Debug, Clone)]
pub struct Route {
    pub destination: RouteDestination,
    pub target: RouteTarget,
    pub origin: RouteOrigin,
    pub is_blackhole: bool,
    /// Position in the table's `Routes` list.
    pub index: usize,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct InternetGateway {
    pub id: InternetGatewayId,
    /// VPCs it is attached to (`State` `available` or `attached`, IGW-2).
    pub attached_vpcs: Vec<VpcId>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct NatGateway {
    pub id: NatGatewayId,
    pub vpc_id: Option<VpcId>,
    pub subnet_id: Option<SubnetId>,
    pub state: String,
    pub is_private: bool,
    pub is_regional: bool,
    pub public_ips: Vec<Ipv4Addr>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndpointType {
    Interface,
    Gateway,
    GatewayLoadBalancer,
    Other,
}

#[derive(Debug, Clone)]
pub struct VpcEndpoint {
    pub id: VpcEndpointId,
    pub vpc_id: VpcId,
    pub endpoint_type: EndpointType,
    pub service_name: String,
    pub service_region: Option<String>,
    pub state: String,
    pub private_dns_enabled: bool,
    pub private_dns_only_for_inbound_resolver: bool,
    /// `DnsOptions.DnsRecordIpType` is `ipv6`: private DNS creates AAAA records only.
    pub dns_records_ipv6_only: bool,
    /// `DnsRecordIpType` `dualstack`: private DNS answers with A and AAAA records (EP-4).
    pub dns_records_dualstack: bool,
    /// `DnsEntries` names: the regional `vpce-…` name first, as AWS lists it.
    pub dns_names: Vec<String>,
    pub subnet_ids: Vec<SubnetId>,
    pub security_group_ids: Vec<SecurityGroupId>,
    pub network_interface_ids: Vec<NetworkInterfaceId>,
    pub route_table_ids: Vec<RouteTableId>,
    /// The endpoint policy (JSON text), when described.
    pub policy_document: Option<String>,
    pub name: Option<String>,
    pub span: Span,
}

impl VpcEndpoint {
    /// EP-5: only `available` forwards (the API casing varies).
    pub fn is_available(&self) -> bool {
        self.state.eq_ignore_ascii_case("available")
    }
}

#[derive(Debug, Clone)]
pub struct PeeringConnection {
    pub id: PeeringConnectionId,
    pub status: String,
    /// Requester side: VPC and region (`None` when the snapshot omits it).
    pub requester: PeeringSide,
    pub accepter: PeeringSide,
    pub span: Span,
}

#[derive(Debug, Clone, Default)]
pub struct PeeringSide {
    pub vpc_id: Option<VpcId>,
    pub region: Option<String>,
    pub owner_id: Option<String>,
}

impl PeeringConnection {
    /// PCX-2: only `active` carries traffic.
    pub fn is_active(&self) -> bool {
        self.status.eq_ignore_ascii_case("active")
    }

    /// The VPC on the other side of `vpc`, if `vpc` is one of the two.
    pub fn peer_of(&self, vpc: &VpcId) -> Option<&PeeringSide> {
        if self.requester.vpc_id.as_ref() == Some(vpc) {
            Some(&self.accepter)
        } else if self.accepter.vpc_id.as_ref() == Some(vpc) {
            Some(&self.requester)
        } else {
            None
        }
    }
}

/// A transit gateway (TGW-1).
#[derive(Debug, Clone)]
pub struct TransitGateway {
    pub id: TransitGatewayId,
    pub scope: ScopeId,
    pub owner_id: Option<String>,
    pub state: String,
    /// TGW-12: `SecurityGroupReferencingSupport` (default disable).
    pub sg_referencing: bool,
    pub name: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TgwAttachmentKind {
    Vpc,
    Peering,
    Vpn,
    DirectConnectGateway,
    Connect,
    Other(String),
}

impl TgwAttachmentKind {
    pub fn parse(text: &str) -> Self {
        match text {
            "vpc" => Self::Vpc,
            "peering" => Self::Peering,
            "vpn" => Self::Vpn,
            "direct-connect-gateway" => Self::DirectConnectGateway,
            "connect" => Self::Connect,
            other => Self::Other(other.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Vpc => "vpc",
            Self::Peering => "peering",
            Self::Vpn => "vpn",
            Self::DirectConnectGateway => "direct-connect-gateway",
            Self::Connect => "connect",
            Self::Other(s) => s,
        }
    }
}

/// One attachment as seen from one transit gateway. A TGW peering attachment has the same ID
/// on both gateways, so attachments are keyed by `(tgw, id)`.
#[derive(Debug, Clone)]
pub struct TgwAttachment {
    pub id: TransitGatewayAttachmentId,
    pub tgw: TransitGatewayId,
    pub kind: TgwAttachmentKind,
    /// `vpc-…`, `vpn-…`, the peer `tgw-…`, …
    pub resource_id: String,
    /// The owner of `resource_id` (for a peering attachment, the peer gateway's account).
    pub resource_owner_id: Option<String>,
    pub state: String,
    /// TGW-5: the one route table packets arriving from this attachment are looked up in.
    pub association: Option<TransitGatewayRouteTableId>,
    /// VPC attachments: the subnets, one per enabled AZ (TGW-2).
    pub subnet_ids: Vec<SubnetId>,
    pub appliance_mode: bool,
    /// TGW-12: attachment-level `SecurityGroupReferencingSupport` (`None` when not captured).
    pub sg_referencing: Option<bool>,
    pub name: Option<String>,
    pub span: Span,
    /// The `TransitGatewayAttachments` entry, which holds the `Association`.
    pub association_span: Option<Span>,
}

impl TgwAttachment {
    /// TGW-10: only `available` attachments forward.
    pub fn is_available(&self) -> bool {
        self.state.eq_ignore_ascii_case("available")
    }

    pub fn vpc_id(&self) -> Option<VpcId> {
        (self.kind == TgwAttachmentKind::Vpc).then(|| VpcId::from(self.resource_id.clone()))
    }
}

/// A transit gateway route table with its effective routes: the listed routes, plus the
/// routes computed from propagations when only static routes were captured (TGW-7, TGW-8).
/// Route targets are [`RouteTarget::TgwAttachment`]; blackhole routes have `is_blackhole`.
#[derive(Debug, Clone)]
pub struct TgwRouteTable {
    pub id: TransitGatewayRouteTableId,
    pub tgw: TransitGatewayId,
    pub state: String,
    pub routes: Vec<Route>,
    /// Whether any route list was captured for this table.
    pub routes_captured: bool,
    /// `AdditionalRoutesAvailable`: the listed routes were truncated.
    pub is_truncated: bool,
    /// Why some propagated routes could not be computed (no-route answers become unknown).
    pub unresolved_propagations: Vec<String>,
    pub name: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Protocol {
    All,
    Tcp,
    Udp,
    Icmp,
    Other(i64),
}

impl Protocol {
    /// Parses the SG (`tcp`, `-1`, `6`) and NACL (`6`, `-1`) spellings.
    pub fn parse(text: &str) -> Option<Protocol> {
        match text.to_ascii_lowercase().as_str() {
            "-1" | "all" => Some(Protocol::All),
            "tcp" | "6" => Some(Protocol::Tcp),
            "udp" | "17" => Some(Protocol::Udp),
            "icmp" | "1" => Some(Protocol::Icmp),
            other => other.parse().ok().map(Protocol::Other),
        }
    }

    pub fn matches_tcp(self) -> bool {
        matches!(self, Protocol::All | Protocol::Tcp)
    }
}

/// One `IpPermission` of a security group, after SG-8 canonicalisation.
#[derive(Debug, Clone)]
pub struct SecurityGroupRule {
    pub protocol: Protocol,
    /// Inclusive; `None` means all ports (protocol `-1`, or ports not given).
    pub ports: Option<(u16, u16)>,
    pub cidrs: Vec<Ipv4Net>,
    pub prefix_list_ids: Vec<PrefixListId>,
    pub group_ids: Vec<SecurityGroupId>,
    pub has_ipv6: bool,
    pub index: usize,
    pub span: Span,
}

impl SecurityGroupRule {
    pub fn allows_tcp_port(&self, port: u16) -> bool {
        self.protocol.matches_tcp()
            && match (self.protocol, self.ports) {
                (Protocol::All, _) | (_, None) => true,
                (_, Some((from, to))) => from <= port && port <= to,
            }
    }
}

#[derive(Debug, Clone)]
pub struct SecurityGroup {
    pub id: SecurityGroupId,
    pub name: Option<String>,
    pub vpc_id: Option<VpcId>,
    pub ingress: Vec<SecurityGroupRule>,
    pub egress: Vec<SecurityGroupRule>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkAclEntry {
    pub rule_number: i64,
    pub protocol: Protocol,
    pub is_allow: bool,
    pub is_egress: bool,
    /// `None` for an IPv6 entry (never matches IPv4, NACL-2).
    pub cidr: Option<Ipv4Net>,
    /// Inclusive port range; `None` means all ports.
    pub ports: Option<(u16, u16)>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct NetworkAcl {
    pub id: NetworkAclId,
    pub vpc_id: VpcId,
    pub is_default: bool,
    pub subnet_ids: Vec<SubnetId>,
    /// Sorted by rule number (NACL-2), the implicit `*` deny not included.
    pub inbound: Vec<NetworkAclEntry>,
    pub outbound: Vec<NetworkAclEntry>,
    /// The listed IPv4 `*` entries (rule 32767), which the engine applies implicitly.
    pub inbound_default: Option<Span>,
    pub outbound_default: Option<Span>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct NetworkInterface {
    pub id: NetworkInterfaceId,
    pub subnet_id: Option<SubnetId>,
    pub vpc_id: Option<VpcId>,
    pub interface_type: Option<String>,
    pub private_ips: Vec<Ipv4Addr>,
    pub security_group_ids: Vec<SecurityGroupId>,
    pub public_ip: Option<Ipv4Addr>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct PrefixList {
    pub id: PrefixListId,
    pub name: Option<String>,
    /// `None` when the entries were not captured.
    pub cidrs: Option<Vec<Ipv4Net>>,
    pub scope: ScopeId,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct DhcpOptions {
    pub id: DhcpOptionsId,
    pub domain_name_servers: Vec<String>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct EcsService {
    pub name: String,
    pub arn: Option<String>,
    pub cluster: Option<String>,
    pub subnet_ids: Vec<SubnetId>,
    /// `None` when the service names no security group: ECS uses the VPC default (FG-2).
    pub security_group_ids: Option<Vec<SecurityGroupId>>,
    pub assign_public_ip: bool,
    pub platform_version: Option<String>,
    pub scope: ScopeId,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct DnsRecord {
    /// Lower-case, without the trailing dot, `\052` unescaped to `*`.
    pub name: String,
    pub record_type: String,
    pub values: Vec<String>,
    pub alias_dns_name: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct HostedZone {
    pub id: HostedZoneId,
    /// Lower-case, without the trailing dot.
    pub name: String,
    pub is_private: bool,
    pub vpc_ids: Vec<VpcId>,
    pub records: Vec<DnsRecord>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct ResolverRule {
    pub id: ResolverRuleId,
    pub domain_name: String,
    /// `FORWARD`, `SYSTEM` or `RECURSIVE`.
    pub rule_type: String,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct ResolverRuleAssociation {
    pub rule_id: ResolverRuleId,
    pub vpc_id: VpcId,
    pub span: Span,
}

/// DNS-5: a Route 53 Resolver DNS Firewall rule group associated with a VPC.
#[derive(Debug, Clone)]
pub struct FirewallAssociation {
    pub id: String,
    pub vpc_id: VpcId,
    pub rule_group_id: String,
    /// Lowest first among the VPC's associations.
    pub priority: i64,
    pub name: Option<String>,
    pub span: Span,
}

/// What a DNS Firewall rule does with a query it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirewallAction {
    Allow,
    /// Lets the query through and logs it: inspection stops there, as for `Allow`.
    Alert,
    Block,
}

/// One rule of a DNS Firewall rule group.
#[derive(Debug, Clone)]
pub struct FirewallRule {
    pub rule_group_id: String,
    pub name: Option<String>,
    /// Lowest first within the rule group.
    pub priority: i64,
    pub action: FirewallAction,
    pub domain_list_id: Option<String>,
    /// A DNS Firewall Advanced rule (DGA or tunnelling detection): it has no domain list.
    pub threat_protection_id: Option<String>,
    /// `NODATA`, `NXDOMAIN` or `OVERRIDE` for a blocking rule.
    pub block_response: Option<String>,
    /// The one query type the rule inspects (`A`, `AAAA`, `TYPE28`…); `None`: every type.
    pub qtype: Option<String>,
    /// `TRUST_REDIRECTION_DOMAIN`: only the first name of a CNAME chain is inspected.
    pub trusts_redirection: bool,
    pub span: Span,
}

impl FirewallRule {
    /// `rslvr-frg-… rule 200 (name)`: how findings name a rule, which has no ID of its own.
    pub fn label(&self) -> String {
        match &self.name {
            Some(name) => format!("{} rule {} ({name})", self.rule_group_id, self.priority),
            None => format!("{} rule {}", self.rule_group_id, self.priority),
        }
    }

    /// Whether the rule inspects the IPv4 address (`A`) queries the tasks make.
    pub fn inspects_a_queries(&self) -> bool {
        self.qtype.as_deref().is_none_or(|q| q.eq_ignore_ascii_case("A") || q.eq_ignore_ascii_case("TYPE1"))
    }
}

/// A DNS Firewall domain list, with its domains when they were captured.
#[derive(Debug, Clone)]
pub struct FirewallDomainList {
    pub id: String,
    pub name: Option<String>,
    /// Set for the lists AWS manages (threat lists), whose domains cannot be listed.
    pub managed_owner: Option<String>,
    /// Lower case, without a trailing dot; `None`: not captured.
    pub domains: Option<Vec<String>>,
    pub span: Span,
}

/// DNS-8: a Route 53 Profile associated with a VPC.
#[derive(Debug, Clone)]
pub struct ProfileAssociation {
    pub id: String,
    pub profile_id: String,
    pub vpc_id: VpcId,
    pub span: Span,
}

/// DNS-8: a resource a Route 53 Profile carries to the VPCs it is associated with.
#[derive(Debug, Clone)]
pub struct ProfileResource {
    /// The resource association's ID (its ARN when it has none).
    pub id: String,
    pub profile_id: String,
    pub arn: String,
    pub kind: ProfileResourceKind,
    pub span: Span,
}

/// What a Profile carries, told by its ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileResourceKind {
    HostedZone(HostedZoneId),
    ResolverRule(ResolverRuleId),
    /// With the priority of its association (`ResourceProperties`).
    FirewallRuleGroup {
        id: String,
        priority: Option<i64>,
    },
    VpcEndpoint(VpcEndpointId),
    /// Query logging and the like: nothing that changes an answer.
    Other,
}

/// Something the loader noticed, tolerated, and wants the user to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadWarning {
    /// Top-level keys the analyzer does not read, with how many items each held.
    /// `span`: the first key's place; `places`: each key's first place.
    UnknownKeys { keys: Vec<(String, usize)>, span: Option<Span>, places: Vec<Span> },
    /// A byte-order mark was skipped.
    ByteOrderMark { source: SourceId },
    /// A security group rule CIDR had host bits set; AWS stores it truncated (SG-8).
    HostBitsTruncated { resource_id: String, cidr: String, span: Span },
    /// Something that was read but deliberately left out of the analysis.
    Ignored { resource_id: String, reason: String, span: Span },
    /// Resources of `kind` that have no `State` (a hand-written design): taken as `available`.
    StateAssumed { kind: &'static str, ids: Vec<String> },
    /// SG-11: a rule of `group` references `referenced` across a peering connection whose status
    /// is not `active`: the reference is stale and matches nothing.
    StaleGroupReference { group: SecurityGroupId, referenced: String, peering: Option<String>, status: String, span: Span },
}

/// A validated snapshot. All maps are keyed by ID, so iteration order is deterministic.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// What the user named: the snapshot file, or the folder of AWS CLI outputs.
    pub path: String,
    pub sources: Vec<SourceFile>,
    /// IGW-8, per account and region.
    pub block_public_access: BTreeMap<ScopeId, BlockPublicAccess>,
    pub bpa_exclusions: Vec<BlockPublicAccessExclusion>,
    /// Keys the exporter could not capture, and why (`vpcreach snapshot`'s `Gaps`).
    pub gaps: Vec<Gap>,
    pub scopes: Vec<Scope>,
    /// `(scope, key)` pairs present in the input.
    pub captured: BTreeSet<(ScopeId, String)>,
    pub vpcs: BTreeMap<VpcId, Vpc>,
    pub subnets: BTreeMap<SubnetId, Subnet>,
    pub route_tables: BTreeMap<RouteTableId, RouteTable>,
    pub internet_gateways: BTreeMap<InternetGatewayId, InternetGateway>,
    pub nat_gateways: BTreeMap<NatGatewayId, NatGateway>,
    pub vpc_endpoints: BTreeMap<VpcEndpointId, VpcEndpoint>,
    pub peering_connections: BTreeMap<PeeringConnectionId, PeeringConnection>,
    pub transit_gateways: BTreeMap<TransitGatewayId, TransitGateway>,
    pub tgw_attachments: BTreeMap<(TransitGatewayId, TransitGatewayAttachmentId), TgwAttachment>,
    pub tgw_route_tables: BTreeMap<TransitGatewayRouteTableId, TgwRouteTable>,
    pub security_groups: BTreeMap<SecurityGroupId, SecurityGroup>,
    pub network_acls: BTreeMap<NetworkAclId, NetworkAcl>,
    pub network_interfaces: BTreeMap<NetworkInterfaceId, NetworkInterface>,
    pub prefix_lists: BTreeMap<PrefixListId, PrefixList>,
    pub dhcp_options: BTreeMap<DhcpOptionsId, DhcpOptions>,
    pub ecs_services: Vec<EcsService>,
    pub hosted_zones: BTreeMap<HostedZoneId, HostedZone>,
    pub resolver_rules: BTreeMap<ResolverRuleId, ResolverRule>,
    pub resolver_rule_associations: Vec<ResolverRuleAssociation>,
    /// DNS-5, sorted by VPC, priority and ID.
    pub firewall_associations: Vec<FirewallAssociation>,
    /// DNS-5: each rule group's rules, by priority.
    pub firewall_rules: BTreeMap<String, Vec<FirewallRule>>,
    pub firewall_domain_lists: BTreeMap<String, FirewallDomainList>,
    /// DNS-8, sorted by VPC and ID.
    pub profile_associations: Vec<ProfileAssociation>,
    /// DNS-8, sorted by Profile and ID.
    pub profile_resources: Vec<ProfileResource>,
    pub warnings: Vec<LoadWarning>,
    /// Explicit subnet → route table associations (RT-1).
    pub subnet_route_table: BTreeMap<SubnetId, RouteTableId>,
    pub main_route_table: BTreeMap<VpcId, RouteTableId>,
    /// Gateway route tables (RT-9): the table associated with an internet or virtual private
    /// gateway (by its ID), which routes the traffic entering the VPC through it.
    pub gateway_route_table: BTreeMap<String, RouteTableId>,
    pub subnet_network_acl: BTreeMap<SubnetId, NetworkAclId>,
    pub default_network_acl: BTreeMap<VpcId, NetworkAclId>,
    pub default_security_group: BTreeMap<VpcId, SecurityGroupId>,
    /// Lookups the analysis makes for every pair, built on first use (issue 7).
    pub indexes: Indexes,
}

/// Indexes over a [`Snapshot`]'s maps, each built on first use. They answer what a scan of
/// the map in ID order would (the first match in ID order); a snapshot's maps are not changed
/// after it is loaded, and a clone starts with empty indexes.
#[derive(Debug, Default)]
pub struct Indexes {
    zones_by_vpc: OnceLock<BTreeMap<VpcId, BTreeSet<HostedZoneId>>>,
    endpoints_by_vpc: OnceLock<BTreeMap<VpcId, Vec<VpcEndpointId>>>,
    endpoint_by_eni: OnceLock<BTreeMap<NetworkInterfaceId, VpcEndpointId>>,
    eni_by_ip: OnceLock<BTreeMap<Ipv4Addr, NetworkInterfaceId>>,
    tgw_attachments_by_vpc: OnceLock<BTreeMap<VpcId, Vec<(TransitGatewayId, TransitGatewayAttachmentId)>>>,
    subnets_by_vpc: OnceLock<BTreeMap<VpcId, Vec<SubnetId>>>,
    routes_by_span: OnceLock<BTreeMap<Span, RouteAt>>,
    /// DNS-8: per VPC, the places in `profile_resources` of what its Profiles carry.
    profile_resources_by_vpc: OnceLock<BTreeMap<VpcId, Vec<usize>>>,
}

/// Where a route is: its table (a VPC's or a transit gateway's) and its place in it.
#[derive(Debug, Clone)]
enum RouteAt {
    Vpc(RouteTableId, usize),
    Tgw(TransitGatewayRouteTableId, usize),
}

/// The keys of `map` grouped by the VPC of each value, in key order within each VPC.
fn ids_by_vpc<K: Clone + Ord, T>(map: &BTreeMap<K, T>, vpc_of: impl Fn(&T) -> &VpcId) -> BTreeMap<VpcId, Vec<K>> {
    let mut index: BTreeMap<VpcId, Vec<K>> = BTreeMap::new();
    for (id, value) in map {
        index.entry(vpc_of(value).clone()).or_default().push(id.clone());
    }
    index
}

impl Clone for Indexes {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl Snapshot {
    /// Whether the hosted zone is associated with the VPC.
    pub fn zone_associated(&self, zone: &HostedZoneId, vpc: &VpcId) -> bool {
        self.zones_by_vpc().get(vpc).is_some_and(|zones| zones.contains(zone))
    }

    /// DNS-8: the resources the Route 53 Profiles associated with `vpc` carry to it (looked up
    /// through an index: a Profile shared with a whole organisation is associated with every VPC).
    pub fn profile_resources_of<'a>(&'a self, vpc: &VpcId) -> impl Iterator<Item = &'a ProfileResource> + 'a {
        let index = self.indexes.profile_resources_by_vpc.get_or_init(|| {
            let mut map: BTreeMap<VpcId, Vec<usize>> = BTreeMap::new();
            for association in &self.profile_associations {
                // `profile_resources` is sorted by Profile: its resources are one run.
                let profile = association.profile_id.as_str();
                let start = self.profile_resources.partition_point(|r| r.profile_id.as_str() < profile);
                let run = self.profile_resources.get(start..).unwrap_or_default();
                map.entry(association.vpc_id.clone()).or_default().extend(start..start + run.partition_point(|r| r.profile_id == profile));
            }
            map
        });
        index.get(vpc).into_iter().flatten().filter_map(|&i| self.profile_resources.get(i))
    }

    /// DNS-8: whether a Profile associated with `vpc` carries the zone to it.
    pub fn zone_carried_by_profile(&self, zone: &HostedZoneId, vpc: &VpcId) -> bool {
        self.profile_resources_of(vpc).any(|r| r.kind == ProfileResourceKind::HostedZone(zone.clone()))
    }

    /// DNS-8: whether a Profile associated with `vpc` carries the Resolver rule to it.
    pub fn rule_carried_by_profile(&self, rule: &ResolverRuleId, vpc: &VpcId) -> bool {
        self.profile_resources_of(vpc).any(|r| r.kind == ProfileResourceKind::ResolverRule(rule.clone()))
    }

    /// The hosted zones associated with the VPC, in ID order.
    pub fn zones_of_vpc<'a>(&'a self, vpc: &VpcId) -> impl Iterator<Item = &'a HostedZone> + 'a {
        self.zones_by_vpc().get(vpc).into_iter().flatten().filter_map(|id| self.hosted_zones.get(id))
    }

    fn zones_by_vpc(&self) -> &BTreeMap<VpcId, BTreeSet<HostedZoneId>> {
        self.indexes.zones_by_vpc.get_or_init(|| {
            let mut map: BTreeMap<VpcId, BTreeSet<HostedZoneId>> = BTreeMap::new();
            for zone in self.hosted_zones.values() {
                for vpc in &zone.vpc_ids {
                    map.entry(vpc.clone()).or_default().insert(zone.id.clone());
                }
            }
            map
        })
    }

    /// The subnets of the VPC, in ID order.
    pub fn subnets_of_vpc<'a>(&'a self, vpc: &VpcId) -> impl Iterator<Item = &'a Subnet> + 'a {
        let index = self.indexes.subnets_by_vpc.get_or_init(|| ids_by_vpc(&self.subnets, |s| &s.vpc_id));
        index.get(vpc).into_iter().flatten().filter_map(|id| self.subnets.get(id))
    }

    /// The VPC endpoints in the VPC, in ID order.
    pub fn endpoints_in_vpc<'a>(&'a self, vpc: &VpcId) -> impl Iterator<Item = &'a VpcEndpoint> + 'a {
        let index = self.indexes.endpoints_by_vpc.get_or_init(|| ids_by_vpc(&self.vpc_endpoints, |e| &e.vpc_id));
        index.get(vpc).into_iter().flatten().filter_map(|id| self.vpc_endpoints.get(id))
    }

    /// The endpoint that owns the network interface (the first in ID order).
    pub fn endpoint_of_eni(&self, eni: &NetworkInterfaceId) -> Option<&VpcEndpoint> {
        let index = self.indexes.endpoint_by_eni.get_or_init(|| {
            let mut map = BTreeMap::new();
            for endpoint in self.vpc_endpoints.values() {
                for eni in &endpoint.network_interface_ids {
                    map.entry(eni.clone()).or_insert_with(|| endpoint.id.clone());
                }
            }
            map
        });
        index.get(eni).and_then(|id| self.vpc_endpoints.get(id))
    }

    /// The network interface holding the private address (the first in ID order).
    pub fn eni_with_ip(&self, ip: Ipv4Addr) -> Option<&NetworkInterface> {
        let index = self.indexes.eni_by_ip.get_or_init(|| {
            let mut map = BTreeMap::new();
            for eni in self.network_interfaces.values() {
                for address in &eni.private_ips {
                    map.entry(*address).or_insert_with(|| eni.id.clone());
                }
            }
            map
        });
        index.get(&ip).and_then(|id| self.network_interfaces.get(id))
    }

    /// IGW-8: the Block Public Access mode that drops this path's IGW traffic, if any.
    /// `via_nat`: the traffic is a NAT gateway's (allowed under `block-ingress`). An exclusion
    /// of the subnet or its VPC lifts the block.
    pub fn bpa_blocking(&self, subnet: &Subnet, via_nat: bool) -> Option<&BlockPublicAccess> {
        let scope = self.vpcs.get(&subnet.vpc_id).map(|v| v.scope)?;
        let bpa = self.block_public_access.get(&scope)?;
        let blocks = match bpa.mode.as_str() {
            "block-bidirectional" => true,
            "block-ingress" => !via_nat,
            _ => false,
        };
        // IGW-8: `allow-egress` only applies in `block-bidirectional` mode; under
        // `block-ingress` only `allow-bidirectional` lifts the block.
        let excluded = self.bpa_exclusions.iter().any(|x| {
            (x.resource_id == subnet.id.as_str() || x.resource_id == subnet.vpc_id.as_str())
                && (x.mode == "allow-bidirectional" || (x.mode == "allow-egress" && bpa.mode == "block-bidirectional"))
        });
        (blocks && !excluded).then_some(bpa)
    }

    /// Whether `key` was present for the scope of `scope` (or anywhere when the snapshot has a
    /// single scope).
    pub fn is_captured(&self, scope: ScopeId, key: &str) -> bool {
        self.captured.contains(&(scope, key.to_owned()))
    }

    /// Whether `key` was present in any scope.
    pub fn is_captured_anywhere(&self, key: &str) -> bool {
        self.captured.iter().any(|(_, k)| k == key)
    }

    pub fn region_of(&self, scope: ScopeId) -> Option<&str> {
        self.scopes.get(scope.0 as usize).and_then(|s| s.region.as_deref())
    }

    pub fn account_of(&self, scope: ScopeId) -> Option<&str> {
        self.scopes.get(scope.0 as usize).and_then(|s| s.account.as_deref())
    }

    /// RT-1: the explicit association if present, else the VPC's main table.
    pub fn effective_route_table(&self, subnet: &SubnetId) -> Option<(&RouteTable, bool)> {
        if let Some(rtb) = self.subnet_route_table.get(subnet) {
            return self.route_tables.get(rtb).map(|t| (t, true));
        }
        let vpc = &self.subnets.get(subnet)?.vpc_id;
        let rtb = self.main_route_table.get(vpc)?;
        self.route_tables.get(rtb).map(|t| (t, false))
    }

    /// NACL-3: the explicit association if present, else the VPC's default NACL.
    pub fn effective_network_acl(&self, subnet: &SubnetId) -> Option<&NetworkAcl> {
        if let Some(acl) = self.subnet_network_acl.get(subnet) {
            return self.network_acls.get(acl);
        }
        let vpc = &self.subnets.get(subnet)?.vpc_id;
        self.network_acls.get(self.default_network_acl.get(vpc)?)
    }

    pub fn source(&self, id: SourceId) -> Option<&SourceFile> {
        self.sources.get(id.0 as usize)
    }

    /// The route written at `span`: the first, VPC tables then transit gateway tables in ID
    /// order, when several share it.
    pub fn route_with_span(&self, span: Span) -> Option<&Route> {
        let index = self.indexes.routes_by_span.get_or_init(|| {
            let mut index = BTreeMap::new();
            for (id, table) in &self.route_tables {
                for (at, route) in table.routes.iter().enumerate() {
                    index.entry(route.span).or_insert_with(|| RouteAt::Vpc(id.clone(), at));
                }
            }
            for (id, table) in &self.tgw_route_tables {
                for (at, route) in table.routes.iter().enumerate() {
                    index.entry(route.span).or_insert_with(|| RouteAt::Tgw(id.clone(), at));
                }
            }
            index
        });
        match index.get(&span)? {
            RouteAt::Vpc(id, at) => self.route_tables.get(id)?.routes.get(*at),
            RouteAt::Tgw(id, at) => self.tgw_route_tables.get(id)?.routes.get(*at),
        }
    }

    /// The attachment of `vpc` to `tgw`, if any (TGW-14: at most one is usable as a target;
    /// the first in ID order).
    pub fn tgw_attachment_of_vpc(&self, tgw: &TransitGatewayId, vpc: &VpcId) -> Option<&TgwAttachment> {
        let index = self.indexes.tgw_attachments_by_vpc.get_or_init(|| {
            let mut map: BTreeMap<VpcId, Vec<(TransitGatewayId, TransitGatewayAttachmentId)>> = BTreeMap::new();
            for (key, attachment) in &self.tgw_attachments {
                if let Some(vpc) = attachment.vpc_id() {
                    map.entry(vpc).or_default().push(key.clone());
                }
            }
            map
        });
        index.get(vpc).into_iter().flatten().filter_map(|key| self.tgw_attachments.get(key)).find(|a| &a.tgw == tgw)
    }

    pub fn tgw_attachment(&self, tgw: &TransitGatewayId, id: &TransitGatewayAttachmentId) -> Option<&TgwAttachment> {
        self.tgw_attachments.get(&(tgw.clone(), id.clone()))
    }

    /// The region of a VPC: its scope's, else from a subnet's availability zone name.
    pub fn region_of_vpc(&self, vpc: &VpcId) -> Option<String> {
        if let Some(region) = self.vpcs.get(vpc).and_then(|v| self.region_of(v.scope)) {
            return Some(region.to_owned());
        }
        self.subnets_of_vpc(vpc).find_map(|s| {
            let az = s.availability_zone.as_deref()?;
            let region = az.trim_end_matches(|c: char| c.is_ascii_lowercase());
            (region.len() < az.len() && load::is_region_name(region)).then(|| region.to_owned())
        })
    }

    /// The subnet of the snapshot whose CIDR holds `addr`.
    pub fn subnet_holding(&self, addr: Ipv4Addr) -> Option<&Subnet> {
        self.subnets.values().find(|s| s.cidr.is_some_and(|c| c.contains(&addr)))
    }

    /// The scope (account, region) a VPC was captured in.
    pub fn vpc_scope(&self, vpc: &VpcId) -> ScopeId {
        self.vpcs.get(vpc).map(|v| v.scope).unwrap_or_default()
    }
}

/// The `Name` tag, if any.
pub(crate) fn name_tag(tags: &[raw::Tag]) -> Option<String> {
    tags.iter().find(|t| t.key == "Name").map(|t| t.value.clone())
}
