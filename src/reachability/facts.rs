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
    ResolverRuleForwards {
        rule: ResolverRuleId,
        domain: String,
        hostname: String,
    },
    EndpointEnisDisagree {
        endpoint: VpcEndpointId,
        reachable: Vec<SubnetId>,
        blocked: Vec<SubnetId>,
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
            | Fact::PhzNxdomain { .. } => Effect::Blocks,
            Fact::TaskSgBlocksEgress { is_partial, .. }
            | Fact::EndpointSgBlocksIngress { is_partial, .. }
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
            | Fact::EndpointEnisDisagree { .. } => Effect::Uncertain,
            Fact::NaclPartialEphemeral { .. } | Fact::Assumption { .. } | Fact::EcrWithoutS3Path { .. } => Effect::Note,
        }
    }

    /// Marks a contextual fact (a bypassed endpoint, a DNS attribute) as the reason a path
    /// failed, once the verdict is known.
    pub(crate) fn escalate(&mut self) {
        match self {
            Fact::EndpointPrivateDnsDisabled { is_blocking, .. }
            | Fact::EndpointNotAvailable { is_blocking, .. }
            | Fact::VpcDnsAttributeDisabled { is_blocking, .. }
            | Fact::S3GatewayEndpointNotAssociated { is_blocking, .. } => *is_blocking = true,
            _ => {}
        }
    }
}
