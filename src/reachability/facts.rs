//! What the engine found out about one (workload subnet, service) pair, as plain data.
//!
//! A [`Fact`] names the exact resource (and JSON element) involved. The engine only decides
//! its [`Effect`] on the verdict; [`crate::rules`] turns facts into user-facing findings with
//! codes, messages and fixes.

use crate::model::*;

/// How a fact bears on the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Effect {
    /// Context or hygiene: the verdict stands.
    Note,
    /// The engine cannot decide: the verdict is `unknown`.
    Uncertain,
    /// The packet is dropped here: the verdict is `unreachable`.
    Blocks,
}

/// Whether a task may use an IPv6 path (FG-1, SG-8), and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TaskIpv6 {
    /// The subnet has an IPv6 CIDR and a task group allows IPv6 egress on the port.
    Possible,
    /// The task subnet (or its VPC) has no IPv6 CIDR: the task gets no IPv6 address.
    NoSubnetCidr,
    /// No task security group allows IPv6 egress on the port (SG-8: IPv4 rules never match
    /// IPv6).
    NoGroupEgress,
}

/// Which packet of the TCP exchange a NACL decision is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Leg {
    /// Task → service, destination port 443.
    Request,
    /// Service → task, destination port in the client's ephemeral range (NACL-6).
    Return,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    NoRoute {
        route_table: RouteTableId,
        destination: String,
        has_interface_endpoint: bool,
    },
    BlackholeRoute {
        route_table: RouteTableId,
        route: Span,
        destination: String,
        target: String,
        /// The route drops the replies (a gateway route table, RT-9), not the requests.
        is_reply: bool,
    },
    IgwRouteWithoutPublicIp {
        route_table: RouteTableId,
        route: Span,
        igw: InternetGatewayId,
        subnet: SubnetId,
    },
    IgwNotAttached {
        route_table: RouteTableId,
        route: Span,
        igw: InternetGatewayId,
        vpc: VpcId,
    },
    NatNotAvailable {
        nat: NatGatewayId,
        state: String,
    },
    NatSubnetNoInternetRoute {
        nat: NatGatewayId,
        route_table: RouteTableId,
        route: Option<Span>,
        reason: String,
    },
    PrivateNatToInternet {
        nat: NatGatewayId,
        route_table: RouteTableId,
        route: Span,
    },
    UnmodelledHop {
        route_table: RouteTableId,
        route: Span,
        target_kind: String,
        target: String,
    },
    DestinationSplit {
        route_table: RouteTableId,
        parts: Vec<String>,
    },
    Ipv6OnlySubnet {
        subnet: SubnetId,
    },
    NotCaptured {
        key: String,
        needed_for: String,
        resource_id: String,
    },
    DnsAttributesNotCaptured {
        vpc: VpcId,
        endpoint: Option<VpcEndpointId>,
    },
    Assumption {
        text: String,
        resource_id: Option<String>,
    },
    TaskSgBlocksEgress {
        groups: Vec<SecurityGroupId>,
        destination: String,
        is_partial: bool,
    },
    EndpointSgBlocksIngress {
        endpoint: VpcEndpointId,
        groups: Vec<SecurityGroupId>,
        source: String,
        is_partial: bool,
    },
    /// SG-6: the security groups of a `--to` destination's ENI do not admit the task on `port`.
    DestinationSgBlocksIngress {
        destination: String,
        groups: Vec<SecurityGroupId>,
        source: String,
        port: u16,
        is_partial: bool,
    },
    NaclBlocks {
        acl: NetworkAclId,
        subnet: SubnetId,
        is_egress: bool,
        leg: Leg,
        rule_number: Option<i64>,
        entry: Option<Span>,
        remote: String,
        ports: (u16, u16),
        is_partial: bool,
    },
    NaclPartialEphemeral {
        acl: NetworkAclId,
        subnet: SubnetId,
        is_egress: bool,
        allowed: String,
    },
    EndpointPrivateDnsDisabled {
        endpoint: VpcEndpointId,
        hostname: String,
        is_blocking: bool,
    },
    EndpointNotAvailable {
        endpoint: VpcEndpointId,
        state: String,
        is_blocking: bool,
    },
    VpcDnsAttributeDisabled {
        vpc: VpcId,
        attribute: &'static str,
        endpoint: Option<VpcEndpointId>,
        is_blocking: bool,
    },
    S3GatewayEndpointNotAssociated {
        endpoint: VpcEndpointId,
        route_table: RouteTableId,
        is_main: bool,
        is_blocking: bool,
    },
    EcrWithoutS3Path {
        subnet: SubnetId,
        route_table: RouteTableId,
    },
    PhzNxdomain {
        zone: HostedZoneId,
        zone_name: String,
        hostname: String,
    },
    CustomDnsServers {
        vpc: VpcId,
        dhcp_options: DhcpOptionsId,
        servers: Vec<String>,
    },
    /// DNS-4, PCX-7: the DHCP options name other VPCs' resolver addresses (each server with the
    /// VPC whose primary CIDR's base + 2 it is), which AWS does not support querying from
    /// outside their VPC; `is_alone` when no server of the list is the VPC's own resolver.
    DnsServerOfAnotherVpc {
        vpc: VpcId,
        dhcp_options: DhcpOptionsId,
        servers: Vec<(String, VpcId)>,
        is_alone: bool,
    },
    ResolverRuleForwards {
        rule: ResolverRuleId,
        domain: String,
        hostname: String,
    },
    /// DNS-5: a DNS Firewall rule of the VPC blocks the service name, or `name` of its CNAME
    /// chain.
    DnsFirewallBlocks {
        vpc: VpcId,
        association: String,
        rule_group: String,
        /// How the rule is named (it has no ID): group, priority and name.
        rule: String,
        domain_list: Option<String>,
        name: String,
        hostname: String,
        /// `NODATA`, `NXDOMAIN` or `OVERRIDE`.
        response: String,
        span: Span,
    },
    /// DNS-5: a DNS Firewall rule of the VPC may block the service name; `reason` says why it
    /// cannot be told from the snapshot.
    DnsFirewallUncertain {
        vpc: VpcId,
        rule_group: String,
        rule: String,
        hostname: String,
        reason: String,
        span: Span,
    },
    EndpointEnisDisagree {
        endpoint: VpcEndpointId,
        reachable: Vec<SubnetId>,
        blocked: Vec<SubnetId>,
        /// What blocks the unreachable ENIs (their own facts, demoted into this one).
        causes: Vec<Fact>,
    },
    /// PCX-5, EP-14, TGW-3 with IGW-1: a packet that entered `vpc` through `entered_by` (a
    /// peering connection or a transit gateway attachment) is routed on to a gateway it may
    /// not use there (IGW, NAT, gateway endpoint, VPN, another peering or TGW).
    EdgeToEdge {
        entered_by: String,
        vpc: VpcId,
        target: String,
        target_kind: String,
        route_table: Option<RouteTableId>,
        route: Option<Span>,
    },
    /// PCX-2: the peering connection is not `active`.
    PeeringNotActive {
        pcx: PeeringConnectionId,
        status: String,
        route_table: RouteTableId,
        route: Span,
    },
    /// PCX-3, TGW-3, NAT-9: the reply cannot route back: `route_table` (of the destination
    /// ENI's or the NAT's subnet in `vpc`) has no route for `destination` via `via`.
    ReturnRouteMissing {
        route_table: RouteTableId,
        vpc: VpcId,
        destination: String,
        via: String,
        route: Option<Span>,
    },
    /// The reply routes back by another way than the request came (`found` instead of
    /// `expected`); the filters on that other way are not checked.
    AsymmetricReturn {
        route_table: String,
        destination: String,
        expected: String,
        found: String,
        route: Option<Span>,
        /// PCX-10, PCX-5: `found` is a peering connection to a VPC whose own CIDR holds the
        /// task's addresses: the replies are delivered there and never come back.
        delivered_in: Option<VpcId>,
    },
    /// TGW-5, TGW-10, TGW-14: the VPC's attachment to the TGW is missing, not `available`, or
    /// not associated with a TGW route table.
    TgwAttachmentUnusable {
        tgw: TransitGatewayId,
        attachment: Option<TransitGatewayAttachmentId>,
        vpc: Option<VpcId>,
        reason: String,
        route_table: Option<RouteTableId>,
        route: Option<Span>,
    },
    /// TGW-2: the source subnet's AZ has no subnet of the VPC attachment.
    TgwNoAttachmentInAz {
        tgw: TransitGatewayId,
        attachment: TransitGatewayAttachmentId,
        subnet: SubnetId,
        az: String,
        attachment_azs: Vec<String>,
    },
    /// TGW-5, TGW-8, TGW-9: the TGW route table associated with attachment `from` has no
    /// route (or a blackhole) for `destination`; `is_return` for the reply's lookup.
    TgwNoRoute {
        table: TransitGatewayRouteTableId,
        destination: String,
        from: TransitGatewayAttachmentId,
        route: Option<Span>,
        is_blackhole: bool,
        is_return: bool,
    },
    /// TGW-3: traffic entering `vpc` from the TGW is routed by the attachment subnet's table,
    /// which has no route for `destination`.
    TgwDestinationRouteMissing {
        route_table: RouteTableId,
        vpc: VpcId,
        destination: String,
        attachment: TransitGatewayAttachmentId,
    },
    /// Routing revisits a table it already used: the packet loops until its TTL runs out.
    RoutingLoop {
        cycle: Vec<String>,
        route_table: String,
        route: Option<Span>,
    },
    /// DNS-6: a private hosted zone for the name exists, but is not associated with the VPC.
    PhzNotAssociated {
        zone: HostedZoneId,
        zone_name: String,
        hostname: String,
        vpc: VpcId,
        is_blocking: bool,
    },
    /// DNS-7: a Resolver forward rule for the name exists but is not associated with the VPC.
    ResolverRuleNotAssociated {
        rule: ResolverRuleId,
        domain: String,
        hostname: String,
        vpc: VpcId,
        is_blocking: bool,
    },
    /// A private hosted zone associated with the VPC is named like a service name with its
    /// labels in the wrong order (`ecr.api.<r>` for `api.ecr.<r>`), so it never matches.
    PhzMisspelt {
        zone: HostedZoneId,
        zone_name: String,
        expected: String,
        is_blocking: bool,
    },
    /// EP-9 and the guide: an endpoint to a service in another region needs cross-region
    /// support (`ServiceRegion`); in us-east-1 the guide's endpoint must not use it.
    CrossRegionEndpoint {
        endpoint: VpcEndpointId,
        vpc_region: String,
        service_region: Option<String>,
        required: String,
    },
    /// PCX-4: the peered VPCs have overlapping CIDRs, so the peering cannot exist (a design
    /// under review) and no route can use it.
    PeeringCidrOverlap {
        pcx: PeeringConnectionId,
        vpcs: (VpcId, VpcId),
        overlap: (String, String),
    },
    /// TGW-4: a stateful appliance (an ENI, an instance or a Gateway Load Balancer endpoint) is
    /// reached through a TGW attachment without appliance mode, so the two directions of a flow
    /// may cross different AZs and the appliance drops the half it never saw.
    ApplianceModeMissing {
        tgw: TransitGatewayId,
        attachment: TransitGatewayAttachmentId,
        vpc: VpcId,
        appliance: String,
        route_table: RouteTableId,
        route: Span,
    },
    /// NAT-4: the NAT gateway is in another AZ than the subnet that sends it the traffic.
    NatCrossAz {
        nat: NatGatewayId,
        nat_az: String,
        from_subnet: SubnetId,
        from_az: String,
    },
    /// RT-3, RT-8: a route more specific than `local` sends traffic for the destination's
    /// subnet to a middlebox (ENI, instance, GWLB endpoint, NAT) that is not modelled.
    LocalRouteRedirected {
        route_table: RouteTableId,
        route: Span,
        target: String,
    },
    /// RT-5: prefix-list routes that overlap for the destination name different targets; AWS
    /// picks one.
    AmbiguousPrefixListRoute {
        route_table: RouteTableId,
        route: Span,
        targets: String,
    },
    /// IGW-8: VPC Block Public Access drops the IGW traffic of this path.
    BlockPublicAccess {
        mode: String,
        options: Span,
        vpc: VpcId,
        subnet: SubnetId,
        igw: InternetGatewayId,
        route_table: RouteTableId,
        route: Span,
    },
    /// EP-20: one of the two ECR interface endpoints exists in the VPC, the other does not.
    EcrEndpointIncomplete {
        vpc: VpcId,
        present: VpcEndpointId,
        missing_service: String,
    },
    /// EP-20: S3 is reached only through an S3 interface endpoint, which ECR layer pulls do not
    /// support according to the ECS documentation.
    EcrS3InterfaceOnly {
        endpoint: VpcEndpointId,
    },
    /// EP-8: the endpoint's policy does not allow what the runner needs (checked: the S3
    /// gateway endpoint and the ECR layer bucket).
    EndpointPolicyDenies {
        endpoint: VpcEndpointId,
        needed: String,
    },
    /// EP-6, DNS-6: the interface endpoint that answers for the name has `DnsRecordIpType`
    /// `ipv6`: its private zone holds AAAA records only, so an IPv4 query gets no address (and
    /// no public fallback). Uncertain for a task subnet with an IPv6 CIDR, where a dual-stack task
    /// may use it (FG-1: a task gets an IPv6 address only in such a subnet); decided per pair,
    /// the DNS answer being the VPC's.
    EndpointDnsIpv6Only {
        endpoint: VpcEndpointId,
        hostname: String,
        task_ipv6: TaskIpv6,
    },
    /// RT-3, RT-5: the destination (an address of `other_vpc`) is inside the task VPC's own CIDR,
    /// so the `local` route keeps the packet in `own_vpc`: the overlapping VPCs cannot reach
    /// each other there.
    LocalRouteShadows {
        route_table: RouteTableId,
        route: Span,
        destination: String,
        own_vpc: VpcId,
        other_vpc: VpcId,
    },
    /// NACL-3, RT-1: `key` was captured but holds no `what` that AWS always has (a subnet's
    /// network ACL, a VPC's main route table): a hand-written or partial snapshot. Unknown.
    ImplicitResourceMissing {
        key: String,
        what: String,
        resource_id: String,
    },
    /// EP-1, DNS-9: the name resolves (through `via`, a private hosted zone's alias or
    /// addresses) to an interface endpoint of another service (`service_name`, where the runner
    /// needs `expected`): the endpoint does not carry this service's traffic.
    EndpointOfAnotherService {
        endpoint: VpcEndpointId,
        service_name: String,
        expected: String,
        hostname: String,
        via: String,
    },
    /// NAT-11, EP-4, DNS-10, FG-1: the IPv4 path fails, but the task subnet has an IPv6 CIDR and
    /// the name also leads somewhere over IPv6 (`how`, through `resource`), a path vpcreach does
    /// not analyse: the verdict is unknown, not unreachable.
    Ipv6PathNotAnalysed {
        subnet: SubnetId,
        hostname: String,
        how: String,
        resource: String,
    },
    /// SG-5, SG-7, PCX-9, TGW-12: the destination's only matching ingress rule references the
    /// task's security group (or, `is_egress`, the task's only matching egress rule references
    /// the destination's group), and references do not work across this crossing (that way).
    SgReferenceNotEffective {
        destination: String,
        /// The destination's groups; the task's when `is_egress`.
        groups: Vec<SecurityGroupId>,
        source: String,
        port: u16,
        is_egress: bool,
    },
    /// DNS-9, DNS-11: an interface endpoint for the service exists in another VPC, but nothing
    /// makes the task's VPC resolve the name to it.
    RemoteEndpointNoDns {
        endpoint: VpcEndpointId,
        endpoint_vpc: VpcId,
        vpc: VpcId,
        hostname: String,
    },
    /// FG-2: some subnets of a workload reach the service and some do not.
    ServiceSubnetsInconsistent {
        workload: String,
        services: Vec<String>,
        passing: Vec<SubnetId>,
        failing: Vec<SubnetId>,
    },
    /// IGW-5: the workload assigns public IPs that no path uses.
    PublicIpUnused {
        workload: String,
        egress: Vec<String>,
        span: Option<Span>,
    },
    /// NAT-12: AWS-service traffic through a NAT gateway that endpoints could carry.
    NatCarriesAwsServices {
        nat: NatGatewayId,
        gateway_services: Vec<String>,
        interface_services: Vec<String>,
        /// The task VPCs and their subnets' route tables whose gateway-service traffic the NAT
        /// carries (a gateway endpoint serves only its own VPC, EP-14).
        task_tables: Vec<(String, String)>,
    },
    /// EP-2: the interface endpoint has no ENI in some AZ of the task subnets that use it.
    EndpointFewerAzs {
        endpoint: VpcEndpointId,
        endpoint_azs: Vec<String>,
        missing_azs: Vec<String>,
    },
    /// FG-3: the ECS service runs on Fargate platform version 1.3.0 or older.
    LegacyPlatformVersion {
        service: String,
        version: String,
        span: Span,
    },
    /// §12: what the VPC's interface endpoints cost, and what NAT gateways would cost instead.
    EndpointCostEstimate {
        vpc: VpcId,
        endpoints: usize,
        endpoint_azs: usize,
        azs: usize,
        nat_gateways: usize,
        region: String,
    },
    /// The destination is not in the snapshot, so what answers there is not known.
    OutsideSnapshot {
        destination: String,
        reason: String,
    },
}

impl Fact {
    pub fn effect(&self) -> Effect {
        match self {
            Fact::NoRoute { .. }
            | Fact::BlackholeRoute { .. }
            | Fact::IgwRouteWithoutPublicIp { .. }
            | Fact::IgwNotAttached { .. }
            | Fact::NatNotAvailable { .. }
            | Fact::NatSubnetNoInternetRoute { .. }
            | Fact::PrivateNatToInternet { .. }
            | Fact::PhzNxdomain { .. }
            | Fact::EdgeToEdge { .. }
            | Fact::PeeringNotActive { .. }
            | Fact::ReturnRouteMissing { .. }
            | Fact::TgwAttachmentUnusable { .. }
            | Fact::TgwNoAttachmentInAz { .. }
            | Fact::TgwNoRoute { .. }
            | Fact::TgwDestinationRouteMissing { .. }
            | Fact::RoutingLoop { .. }
            | Fact::PeeringCidrOverlap { .. }
            | Fact::BlockPublicAccess { .. }
            | Fact::SgReferenceNotEffective { .. }
            | Fact::CrossRegionEndpoint { .. }
            | Fact::DnsFirewallBlocks { .. }
            | Fact::AsymmetricReturn { delivered_in: Some(_), .. }
            | Fact::EndpointOfAnotherService { .. }
            | Fact::LocalRouteShadows { .. }
            | Fact::EndpointDnsIpv6Only { task_ipv6: TaskIpv6::NoSubnetCidr | TaskIpv6::NoGroupEgress, .. } => Effect::Blocks,
            Fact::PhzNotAssociated { is_blocking, .. }
            | Fact::PhzMisspelt { is_blocking, .. }
            | Fact::ResolverRuleNotAssociated { is_blocking, .. } => {
                if *is_blocking {
                    Effect::Blocks
                } else {
                    Effect::Note
                }
            }
            Fact::TaskSgBlocksEgress { is_partial, .. }
            | Fact::EndpointSgBlocksIngress { is_partial, .. }
            | Fact::DestinationSgBlocksIngress { is_partial, .. }
            | Fact::NaclBlocks { is_partial, .. } => {
                if *is_partial {
                    Effect::Uncertain
                } else {
                    Effect::Blocks
                }
            }
            Fact::EndpointPrivateDnsDisabled { is_blocking, .. }
            | Fact::EndpointNotAvailable { is_blocking, .. }
            | Fact::VpcDnsAttributeDisabled { is_blocking, .. }
            | Fact::S3GatewayEndpointNotAssociated { is_blocking, .. } => {
                if *is_blocking {
                    Effect::Blocks
                } else {
                    Effect::Note
                }
            }

            Fact::UnmodelledHop { .. }
            | Fact::DestinationSplit { .. }
            | Fact::Ipv6OnlySubnet { .. }
            | Fact::NotCaptured { .. }
            | Fact::DnsAttributesNotCaptured { .. }
            | Fact::CustomDnsServers { .. }
            | Fact::ResolverRuleForwards { .. }
            | Fact::DnsFirewallUncertain { .. }
            | Fact::DnsServerOfAnotherVpc { is_alone: true, .. }
            | Fact::EndpointEnisDisagree { .. }
            | Fact::AsymmetricReturn { delivered_in: None, .. }
            | Fact::EndpointDnsIpv6Only { task_ipv6: TaskIpv6::Possible, .. }
            | Fact::Ipv6PathNotAnalysed { .. }
            | Fact::ImplicitResourceMissing { .. }
            | Fact::LocalRouteRedirected { .. }
            | Fact::AmbiguousPrefixListRoute { .. }
            | Fact::OutsideSnapshot { .. } => Effect::Uncertain,
            Fact::NaclPartialEphemeral { .. }
            | Fact::DnsServerOfAnotherVpc { is_alone: false, .. }
            | Fact::Assumption { .. }
            | Fact::EcrWithoutS3Path { .. }
            | Fact::ApplianceModeMissing { .. }
            | Fact::NatCrossAz { .. }
            | Fact::EcrEndpointIncomplete { .. }
            | Fact::EcrS3InterfaceOnly { .. }
            | Fact::EndpointPolicyDenies { .. }
            | Fact::RemoteEndpointNoDns { .. }
            | Fact::ServiceSubnetsInconsistent { .. }
            | Fact::PublicIpUnused { .. }
            | Fact::NatCarriesAwsServices { .. }
            | Fact::EndpointFewerAzs { .. }
            | Fact::LegacyPlatformVersion { .. }
            | Fact::EndpointCostEstimate { .. } => Effect::Note,
        }
    }

    /// Marks a contextual fact (a bypassed endpoint, a DNS attribute) as the reason a path
    /// failed, once the verdict is known.
    pub(crate) fn escalate(&mut self) {
        match self {
            Fact::EndpointPrivateDnsDisabled { is_blocking, .. }
            | Fact::EndpointNotAvailable { is_blocking, .. }
            | Fact::VpcDnsAttributeDisabled { is_blocking, .. }
            | Fact::S3GatewayEndpointNotAssociated { is_blocking, .. }
            | Fact::PhzNotAssociated { is_blocking, .. }
            | Fact::PhzMisspelt { is_blocking, .. }
            | Fact::ResolverRuleNotAssociated { is_blocking, .. } => *is_blocking = true,
            _ => {}
        }
    }
}
