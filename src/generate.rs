//! A deterministic generator of synthetic organisation-scale estates (`vpcreach generate`), for
//! benchmarks and scale tests (issue 7).
//!
//! The estate is a hub-and-spoke organisation: per region, a hub account with a transit gateway
//! (three route tables: spokes, hub, inspection), a hub VPC with centralized egress (NAT per AZ
//! behind an IGW) and centralized interface endpoints for the stack profile's services with a
//! private hosted zone per service associated with every spoke of the region; and spoke VPCs in
//! several accounts, each with 10 subnets over 3 AZs (task, data, batch per AZ and one public
//! subnet), a route table per subnet tier, a custom NACL, security groups holding about 100
//! rules, and an ECS service per tier. Some spokes have their own NAT gateway and S3 gateway
//! endpoint, and a few are broken on purpose (a blackhole default route, a task security group
//! with no egress, a NACL denying 443, a missing PHZ association) so diagnostics are exercised.
//!
//! The same `(vpcs, seed)` always gives the same bytes.

use std::fmt::Write as _;

use serde_json::{json, Value};

/// Stack-profile services reached through the hub's interface endpoints and zones; the others
/// leave through the hub's NAT gateway (IAM, the ECS agent and telemetry, the management plane)
/// or a spoke's S3 gateway endpoint.
fn hub_endpoint_services() -> impl Iterator<Item = &'static str> {
    const THROUGH_NAT: &[&str] = &["iam", "ecs-agent", "ecs-telemetry", "s3", "dynamodb", "management-plane"];
    crate::reachability::services::STACK_PROFILE.iter().copied().filter(|id| !THROUGH_NAT.contains(id))
}

const REGIONS: &[&str] = &["us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"];
const AZ_SUFFIXES: &[&str] = &["a", "b", "c"];
/// Subnets per spoke VPC: task, data and batch tiers in each of 3 AZs, and one public subnet.
pub const SUBNETS_PER_VPC: usize = 10;
/// Static routes per spoke in the TGW inspection table.
const TGW_STATIC_ROUTES_PER_SPOKE: usize = 19;
/// Spokes per account.
const SPOKES_PER_ACCOUNT: usize = 25;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Spoke VPCs (hub VPCs come on top, one per region).
    pub vpcs: usize,
    pub seed: u64,
}

/// Counts of what was generated, for the benchmark's report.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    pub regions: usize,
    pub accounts: usize,
    pub vpcs: usize,
    pub subnets: usize,
    pub sg_rules: usize,
    pub tgw_routes: usize,
    pub ecs_services: usize,
    pub broken_spokes: usize,
}

/// A 64-bit mixer (splitmix64): IDs and choices depend only on the seed and the index.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

struct Ids {
    seed: u64,
    counter: u64,
}

impl Ids {
    /// `prefix-` and 17 hex digits, unique per call.
    fn next(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}-{:017x}", mix(self.seed ^ self.counter.wrapping_mul(0x1000_0001)) & 0x0FFF_FFFF_FFFF_FFFF)
    }
}

fn tags(name: &str) -> Value {
    json!([{"Key": "Name", "Value": name}])
}

fn ip(a: u32) -> String {
    std::net::Ipv4Addr::from(a).to_string()
}

fn cidr(a: u32, len: u8) -> String {
    format!("{}/{len}", ip(a))
}

/// One region's resources, written as a `Regions` item per account.
#[derive(Default)]
struct Scope {
    account: String,
    region: String,
    keys: serde_json::Map<String, Value>,
}

impl Scope {
    fn new(account: &str, region: &str) -> Self {
        let mut keys = serde_json::Map::new();
        for key in [
            "Vpcs",
            "VpcAttributes",
            "Subnets",
            "RouteTables",
            "InternetGateways",
            "NatGateways",
            "VpcEndpoints",
            "SecurityGroups",
            "NetworkAcls",
            "NetworkInterfaces",
            "PrefixLists",
            "VpcPeeringConnections",
            "TransitGateways",
            "TransitGatewayAttachments",
            "TransitGatewayVpcAttachments",
            "TransitGatewayRouteTables",
            "TransitGatewayPropagations",
            "TransitGatewayStaticRoutes",
            "HostedZones",
            "EcsServices",
        ] {
            keys.insert(key.to_owned(), Value::Array(Vec::new()));
        }
        Self { account: account.to_owned(), region: region.to_owned(), keys }
    }

    fn push(&mut self, key: &str, value: Value) {
        if let Some(Value::Array(list)) = self.keys.get_mut(key) {
            list.push(value);
        }
    }

    fn into_value(self) -> Value {
        let mut object = serde_json::Map::new();
        object.insert("Region".to_owned(), Value::String(self.region));
        object.insert("AccountId".to_owned(), Value::String(self.account));
        object.extend(self.keys);
        Value::Object(object)
    }
}

/// A security group's rules: `extra` ingress rules from distinct /32s on app ports, plus the
/// given egress.
fn security_group(id: &str, vpc: &str, name: &str, account: &str, extra: usize, base: u32, egress: Value) -> Value {
    let mut ingress = Vec::with_capacity(extra + 1);
    ingress.push(json!({"IpProtocol": "-1", "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [],
        "UserIdGroupPairs": [{"GroupId": id, "UserId": account}]}));
    for i in 0..extra {
        let port = 8000 + (i % 50) as u16;
        ingress.push(json!({"IpProtocol": "tcp", "FromPort": port, "ToPort": port,
            "IpRanges": [{"CidrIp": cidr(base + i as u32 * 4, 32), "Description": format!("app client {i}")}],
            "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}));
    }
    json!({"Description": name, "GroupName": name, "IpPermissions": ingress, "OwnerId": account, "GroupId": id,
        "IpPermissionsEgress": egress, "Tags": tags(name), "VpcId": vpc})
}

fn egress_all() -> Value {
    json!([{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}])
}

fn nacl_entries(deny_443: bool) -> Value {
    let mut entries = Vec::new();
    for egress in [true, false] {
        if deny_443 && egress {
            entries.push(json!({"CidrBlock": "0.0.0.0/0", "Egress": true, "Protocol": "6", "PortRange": {"From": 443, "To": 443},
                "RuleAction": "deny", "RuleNumber": 50}));
        }
        for (n, block) in ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].iter().enumerate() {
            entries.push(json!({"CidrBlock": block, "Egress": egress, "Protocol": "-1", "RuleAction": "allow",
                "RuleNumber": 100 + n as i64 * 10}));
        }
        entries.push(json!({"CidrBlock": "0.0.0.0/0", "Egress": egress, "Protocol": "6", "PortRange": {"From": 443, "To": 443},
            "RuleAction": "allow", "RuleNumber": 200}));
        entries.push(json!({"CidrBlock": "0.0.0.0/0", "Egress": egress, "Protocol": "6", "PortRange": {"From": 1024, "To": 65535},
            "RuleAction": "allow", "RuleNumber": 210}));
        entries.push(json!({"CidrBlock": "0.0.0.0/0", "Egress": egress, "Protocol": "-1", "RuleAction": "deny", "RuleNumber": 32767}));
    }
    Value::Array(entries)
}

#[allow(clippy::too_many_arguments)] // one JSON item per call, fields in the AWS order
fn route_table(id: &str, vpc: &str, account: &str, name: &str, subnets: &[String], main: bool, routes: Vec<Value>, ids: &mut Ids) -> Value {
    let mut associations = Vec::new();
    if main {
        associations.push(json!({"Main": true, "RouteTableAssociationId": ids.next("rtbassoc"), "RouteTableId": id,
            "AssociationState": {"State": "associated"}}));
    }
    for subnet in subnets {
        associations.push(json!({"Main": false, "RouteTableAssociationId": ids.next("rtbassoc"), "RouteTableId": id,
            "SubnetId": subnet, "AssociationState": {"State": "associated"}}));
    }
    json!({"Associations": associations, "PropagatingVgws": [], "RouteTableId": id, "Routes": routes, "Tags": tags(name),
        "VpcId": vpc, "OwnerId": account})
}

fn route(destination: &str, target_key: &str, target: &str) -> Value {
    json!({"DestinationCidrBlock": destination, target_key: target, "Origin": "CreateRoute", "State": "active"})
}

fn local_route(vpc_cidr: &str) -> Value {
    json!({"DestinationCidrBlock": vpc_cidr, "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"})
}

#[allow(clippy::too_many_arguments)] // one JSON item per call, fields in the AWS order
fn subnet(id: &str, vpc: &str, account: &str, region: &str, az: &str, block: &str, name: &str, public: bool) -> Value {
    json!({"AvailabilityZone": format!("{region}{az}"), "AvailableIpAddressCount": 250, "CidrBlock": block,
        "DefaultForAz": false, "MapPublicIpOnLaunch": public, "State": "available", "SubnetId": id, "VpcId": vpc,
        "OwnerId": account, "AssignIpv6AddressOnCreation": false, "Ipv6CidrBlockAssociationSet": [], "Tags": tags(name)})
}

fn vpc(id: &str, block: &str, account: &str, name: &str) -> Value {
    json!({"CidrBlock": block, "DhcpOptionsId": "default", "State": "available", "VpcId": id, "OwnerId": account,
        "InstanceTenancy": "default", "CidrBlockAssociationSet": [{"CidrBlock": block, "CidrBlockState": {"State": "associated"}}],
        "IsDefault": false, "Tags": tags(name)})
}

fn vpc_attributes(id: &str) -> Value {
    json!({"VpcId": id, "EnableDnsSupport": {"Value": true}, "EnableDnsHostnames": {"Value": true}})
}

fn ecs_service(account: &str, region: &str, name: &str, subnets: &[String], groups: &[&str], public: bool) -> Value {
    json!({"serviceArn": format!("arn:aws:ecs:{region}:{account}:service/{name}-cluster/{name}"), "serviceName": name,
        "clusterArn": format!("arn:aws:ecs:{region}:{account}:cluster/{name}-cluster"), "status": "ACTIVE", "desiredCount": 2,
        "runningCount": 2, "pendingCount": 0, "launchType": "FARGATE", "platformVersion": "LATEST", "platformFamily": "Linux",
        "taskDefinition": format!("arn:aws:ecs:{region}:{account}:task-definition/{name}:1"),
        "networkConfiguration": {"awsvpcConfiguration": {"subnets": subnets, "securityGroups": groups,
            "assignPublicIp": if public { "ENABLED" } else { "DISABLED" }}}, "schedulingStrategy": "REPLICA"})
}

fn s3_prefix_list(region: &str) -> (String, Value) {
    // Each region's S3 list has its own ID, as in AWS (a key from the region's length made
    // us-east-1's, us-west-2's and eu-west-1's one list, which EP-11's check refuses).
    let key = region.bytes().fold(0x53_u64, |h, b| mix(h ^ u64::from(b)));
    let id = format!("pl-{:08x}", key & 0xFFFF_FFFF);
    (
        id.clone(),
        json!({"PrefixListId": id, "PrefixListName": format!("com.amazonaws.{region}.s3"),
        "Cidrs": ["52.216.0.0/15", "54.231.0.0/16", "3.5.0.0/19"]}),
    )
}

/// Generates an estate; returns the snapshot (pretty JSON, as the AWS CLI prints) and its counts.
pub fn generate(options: Options) -> (String, Stats) {
    let mut ids = Ids { seed: mix(options.seed), counter: 0 };
    let mut stats = Stats::default();
    // Spokes per region: at most 250 per region, at least one region.
    let regions = options.vpcs.div_ceil(250).clamp(1, REGIONS.len());
    stats.regions = regions;
    let mut scopes: Vec<Value> = Vec::new();
    let mut spoke_index = 0usize;
    for (r, region) in REGIONS.iter().take(regions).enumerate() {
        let spokes_here = options.vpcs / regions + usize::from(r < options.vpcs % regions);
        let hub_account = format!("{:012}", 100_000_000_000u64 + r as u64);
        let mut hub = Scope::new(&hub_account, region);
        stats.accounts += 1;
        let (s3_pl, s3_pl_item) = s3_prefix_list(region);
        hub.push("PrefixLists", s3_pl_item.clone());

        // The hub VPC: 10.(200+r).0.0/16 outside the spokes' 10.0.0.0/9 (r < 4).
        let hub_base: u32 = (10 << 24) | ((200 + r as u32) << 16);
        let hub_cidr = cidr(hub_base, 16);
        let hub_vpc = ids.next("vpc");
        hub.push("Vpcs", vpc(&hub_vpc, &hub_cidr, &hub_account, &format!("hub-{region}")));
        hub.push("VpcAttributes", vpc_attributes(&hub_vpc));
        stats.vpcs += 1;
        let tgw = ids.next("tgw");
        let igw = ids.next("igw");
        hub.push(
            "InternetGateways",
            json!({"Attachments": [{"State": "available", "VpcId": hub_vpc}], "InternetGatewayId": igw,
            "OwnerId": hub_account, "Tags": tags("hub-igw")}),
        );
        let mut public_subnets = Vec::new();
        let mut attach_subnets = Vec::new();
        let mut endpoint_subnets = Vec::new();
        let mut nats = Vec::new();
        for (a, az) in AZ_SUFFIXES.iter().enumerate() {
            let a32 = a as u32;
            let public = ids.next("subnet");
            let attach = ids.next("subnet");
            let endpoints = ids.next("subnet");
            hub.push("Subnets", subnet(&public, &hub_vpc, &hub_account, region, az, &cidr(hub_base + (a32 << 8), 24), "hub-public", true));
            hub.push(
                "Subnets",
                subnet(&attach, &hub_vpc, &hub_account, region, az, &cidr(hub_base + ((10 + a32) << 8), 24), "hub-tgw", false),
            );
            hub.push(
                "Subnets",
                subnet(&endpoints, &hub_vpc, &hub_account, region, az, &cidr(hub_base + ((20 + a32) << 8), 24), "hub-endpoints", false),
            );
            stats.subnets += 3;
            let nat = ids.next("nat");
            hub.push("NatGateways", json!({"NatGatewayAddresses": [{"AllocationId": ids.next("eipalloc"), "NetworkInterfaceId": ids.next("eni"),
                "PrivateIp": ip(hub_base + (a32 << 8) + 100), "PublicIp": ip((203 << 24) | (113 << 8) | (r as u32 * 8 + a32)), "IsPrimary": true,
                "Status": "succeeded"}], "NatGatewayId": nat, "State": "available", "SubnetId": public, "VpcId": hub_vpc,
                "Tags": tags("hub-nat"), "ConnectivityType": "public"}));
            public_subnets.push(public);
            attach_subnets.push(attach);
            endpoint_subnets.push(endpoints);
            nats.push(nat);
        }
        // Hub route tables: public (IGW, spokes via TGW), one per AZ for the attachment subnets
        // (NAT of the AZ), endpoints (spokes via TGW).
        let spokes_summary = "10.0.0.0/9";
        let rt = ids.next("rtb");
        hub.push("RouteTables", route_table(&rt, &hub_vpc, &hub_account, "hub-main", &[], true, vec![local_route(&hub_cidr)], &mut ids));
        let rt = ids.next("rtb");
        hub.push(
            "RouteTables",
            route_table(
                &rt,
                &hub_vpc,
                &hub_account,
                "hub-public",
                &public_subnets,
                false,
                vec![local_route(&hub_cidr), route("0.0.0.0/0", "GatewayId", &igw), route(spokes_summary, "TransitGatewayId", &tgw)],
                &mut ids,
            ),
        );
        for (a, attach) in attach_subnets.iter().enumerate() {
            let rt = ids.next("rtb");
            let nat = nats.get(a).cloned().unwrap_or_default();
            hub.push(
                "RouteTables",
                route_table(
                    &rt,
                    &hub_vpc,
                    &hub_account,
                    "hub-tgw",
                    std::slice::from_ref(attach),
                    false,
                    vec![local_route(&hub_cidr), route("0.0.0.0/0", "NatGatewayId", &nat), route(spokes_summary, "TransitGatewayId", &tgw)],
                    &mut ids,
                ),
            );
        }
        let rt = ids.next("rtb");
        hub.push(
            "RouteTables",
            route_table(
                &rt,
                &hub_vpc,
                &hub_account,
                "hub-endpoints",
                &endpoint_subnets,
                false,
                vec![local_route(&hub_cidr), route(spokes_summary, "TransitGatewayId", &tgw)],
                &mut ids,
            ),
        );
        let hub_acl = ids.next("acl");
        let mut associations = Vec::new();
        for s in public_subnets.iter().chain(&attach_subnets).chain(&endpoint_subnets) {
            associations.push(json!({"NetworkAclAssociationId": ids.next("aclassoc"), "NetworkAclId": hub_acl, "SubnetId": s}));
        }
        hub.push(
            "NetworkAcls",
            json!({"Associations": associations, "Entries": nacl_entries(false), "IsDefault": true,
            "NetworkAclId": hub_acl, "Tags": [], "VpcId": hub_vpc, "OwnerId": hub_account}),
        );
        let hub_default_sg = ids.next("sg");
        hub.push("SecurityGroups", security_group(&hub_default_sg, &hub_vpc, "default", &hub_account, 0, 0, egress_all()));
        let endpoint_sg = ids.next("sg");
        let mut endpoint_sg_item = security_group(&endpoint_sg, &hub_vpc, "vpc-endpoints", &hub_account, 0, 0, egress_all());
        if let Some(Value::Array(ingress)) = endpoint_sg_item.get_mut("IpPermissions") {
            ingress.push(json!({"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/8"}],
                "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}));
        }
        hub.push("SecurityGroups", endpoint_sg_item);
        stats.sg_rules += 3;

        // Centralized interface endpoints, one PHZ per service.
        let mut zones: Vec<(String, String, String)> = Vec::new(); // (service, endpoint DNS name, zone id)
        for (e, service) in hub_endpoint_services().enumerate() {
            let endpoint = ids.next("vpce");
            let mut enis = Vec::new();
            for (a, s) in endpoint_subnets.iter().enumerate() {
                let eni = ids.next("eni");
                let address = ip(hub_base + ((20 + a as u32) << 8) + 10 + e as u32);
                hub.push("NetworkInterfaces", json!({"AvailabilityZone": format!("{region}{}", AZ_SUFFIXES.get(a).copied().unwrap_or("a")),
                    "Description": format!("VPC Endpoint Interface {endpoint}"), "Groups": [{"GroupId": endpoint_sg, "GroupName": "vpc-endpoints"}],
                    "InterfaceType": "vpc_endpoint", "NetworkInterfaceId": eni, "OwnerId": hub_account, "PrivateIpAddress": address,
                    "PrivateIpAddresses": [{"Primary": true, "PrivateIpAddress": address}], "RequesterManaged": true, "SourceDestCheck": true,
                    "Status": "in-use", "SubnetId": s, "TagSet": [], "VpcId": hub_vpc}));
                enis.push(eni);
            }
            let dns = format!("{endpoint}-{:08x}.{service}.{region}.vpce.amazonaws.com", mix(e as u64) & 0xFFFF_FFFF);
            hub.push("VpcEndpoints", json!({"VpcEndpointId": endpoint, "VpcEndpointType": "Interface", "VpcId": hub_vpc,
                "ServiceName": format!("com.amazonaws.{region}.{service}"), "State": "available",
                "PolicyDocument": "{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}",
                "RouteTableIds": [], "SubnetIds": endpoint_subnets, "Groups": [{"GroupId": endpoint_sg, "GroupName": "vpc-endpoints"}],
                "IpAddressType": "ipv4", "DnsOptions": {"DnsRecordIpType": "ipv4"}, "PrivateDnsEnabled": false, "RequesterManaged": false,
                "NetworkInterfaceIds": enis, "DnsEntries": [{"DnsName": dns, "HostedZoneId": "Z7HUB22UULQXV"}], "OwnerId": hub_account,
                "Tags": tags(&format!("hub-{service}"))}));
            let mut zone_id = String::from("Z");
            let _ = write!(zone_id, "{:020X}", mix(options.seed ^ (r as u64 * 1000 + e as u64)));
            zones.push(((*service).to_owned(), dns, zone_id));
        }

        // The transit gateway and its tables.
        hub.push(
            "TransitGateways",
            json!({"TransitGatewayId": tgw, "State": "available", "OwnerId": hub_account,
            "Options": {"AmazonSideAsn": 64512, "DefaultRouteTableAssociation": "disable", "DefaultRouteTablePropagation": "disable",
                "VpnEcmpSupport": "enable", "DnsSupport": "enable", "ApplianceModeSupport": "disable"}, "Tags": tags("org-tgw")}),
        );
        let rt_spokes = ids.next("tgw-rtb");
        let rt_hub = ids.next("tgw-rtb");
        let rt_inspection = ids.next("tgw-rtb");
        for (table, name) in [(&rt_spokes, "spokes"), (&rt_hub, "hub"), (&rt_inspection, "inspection")] {
            hub.push(
                "TransitGatewayRouteTables",
                json!({"TransitGatewayRouteTableId": table, "TransitGatewayId": tgw, "State": "available",
                "DefaultAssociationRouteTable": false, "DefaultPropagationRouteTable": false, "Tags": tags(name)}),
            );
        }
        let hub_attachment = ids.next("tgw-attach");
        hub.push(
            "TransitGatewayAttachments",
            json!({"TransitGatewayAttachmentId": hub_attachment, "TransitGatewayId": tgw,
            "TransitGatewayOwnerId": hub_account, "ResourceOwnerId": hub_account, "ResourceType": "vpc", "ResourceId": hub_vpc,
            "State": "available", "Association": {"TransitGatewayRouteTableId": rt_hub, "State": "associated"}}),
        );
        hub.push(
            "TransitGatewayVpcAttachments",
            json!({"TransitGatewayAttachmentId": hub_attachment, "TransitGatewayId": tgw,
            "VpcId": hub_vpc, "VpcOwnerId": hub_account, "State": "available", "SubnetIds": attach_subnets,
            "Options": {"DnsSupport": "enable", "Ipv6Support": "disable", "ApplianceModeSupport": "enable"}}),
        );
        let mut hub_propagations = Vec::new();
        let mut inspection_routes = Vec::new();
        let mut phz_vpcs: Vec<Value> = Vec::new();

        // Spokes, in accounts of SPOKES_PER_ACCOUNT.
        let mut spoke_scopes: Vec<Scope> = Vec::new();
        for k in 0..spokes_here {
            let g = spoke_index;
            spoke_index += 1;
            if k % SPOKES_PER_ACCOUNT == 0 {
                let account = format!("{:012}", 200_000_000_000u64 + g as u64);
                let mut scope = Scope::new(&account, region);
                scope.push("PrefixLists", s3_pl_item.clone());
                spoke_scopes.push(scope);
                stats.accounts += 1;
            }
            let Some(scope) = spoke_scopes.last_mut() else { continue };
            let account = scope.account.clone();
            // 10.0.0.0/9 holds 2048 /20s: spoke g gets the g-th.
            let base: u32 = (10 << 24) | ((g as u32 % 2048) << 12);
            let block = cidr(base, 20);
            let vpc_id = ids.next("vpc");
            scope.push("Vpcs", vpc(&vpc_id, &block, &account, &format!("spoke-{g}")));
            scope.push("VpcAttributes", vpc_attributes(&vpc_id));
            stats.vpcs += 1;
            // Broken on purpose: 1 spoke in 10, the four kinds in turn.
            let broken = (g % 10 == 7).then_some((g / 10) % 4);
            stats.broken_spokes += usize::from(broken.is_some());
            let own_nat = g % 5 == 1;
            let mut tiers: Vec<Vec<String>> = vec![Vec::new(), Vec::new(), Vec::new()];
            for (a, az) in AZ_SUFFIXES.iter().enumerate() {
                for (t, tier) in ["task", "data", "batch"].iter().enumerate() {
                    let id = ids.next("subnet");
                    let offset = ((t * 3 + a) as u32) << 8;
                    scope.push(
                        "Subnets",
                        subnet(&id, &vpc_id, &account, region, az, &cidr(base + offset, 24), &format!("spoke-{g}-{tier}"), false),
                    );
                    if let Some(list) = tiers.get_mut(t) {
                        list.push(id);
                    }
                }
            }
            let public = ids.next("subnet");
            scope.push(
                "Subnets",
                subnet(&public, &vpc_id, &account, region, "a", &cidr(base + (9 << 8), 24), &format!("spoke-{g}-public"), true),
            );
            stats.subnets += SUBNETS_PER_VPC;
            let igw = ids.next("igw");
            scope.push(
                "InternetGateways",
                json!({"Attachments": [{"State": "available", "VpcId": vpc_id}], "InternetGatewayId": igw,
                "OwnerId": account, "Tags": tags(&format!("spoke-{g}-igw"))}),
            );
            let nat = own_nat.then(|| ids.next("nat"));
            if let Some(nat) = &nat {
                scope.push("NatGateways", json!({"NatGatewayAddresses": [{"AllocationId": ids.next("eipalloc"), "NetworkInterfaceId": ids.next("eni"),
                    "PrivateIp": ip(base + (9 << 8) + 100), "PublicIp": ip((198 << 24) | (51 << 16) | (g as u32 & 0xFFFF)), "IsPrimary": true,
                    "Status": "succeeded"}], "NatGatewayId": nat, "State": "available", "SubnetId": public, "VpcId": vpc_id,
                    "Tags": tags(&format!("spoke-{g}-nat")), "ConnectivityType": "public"}));
            }
            let s3_endpoint = (g % 3 == 0).then(|| ids.next("vpce"));
            // Route tables: main, one per private tier, public.
            let rt = ids.next("rtb");
            scope.push("RouteTables", route_table(&rt, &vpc_id, &account, "main", &[], true, vec![local_route(&block)], &mut ids));
            let mut private_tables = Vec::new();
            for (t, subnets) in tiers.iter().enumerate() {
                let rt = ids.next("rtb");
                let mut routes = vec![local_route(&block)];
                let default_target = match (&nat, t) {
                    (Some(nat), 2) => ("NatGatewayId", nat.clone()),
                    _ => ("TransitGatewayId", tgw.clone()),
                };
                if broken == Some(0) && t == 0 {
                    routes.push(json!({"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": ids.next("nat"), "Origin": "CreateRoute", "State": "blackhole"}));
                } else {
                    routes.push(route("0.0.0.0/0", default_target.0, &default_target.1));
                }
                routes.push(route("10.0.0.0/8", "TransitGatewayId", &tgw));
                if let Some(endpoint) = &s3_endpoint {
                    routes
                        .push(json!({"DestinationPrefixListId": s3_pl, "GatewayId": endpoint, "Origin": "CreateRoute", "State": "active"}));
                }
                scope.push(
                    "RouteTables",
                    route_table(&rt, &vpc_id, &account, &format!("spoke-{g}-private-{t}"), subnets, false, routes, &mut ids),
                );
                private_tables.push(rt);
            }
            let rt = ids.next("rtb");
            scope.push(
                "RouteTables",
                route_table(
                    &rt,
                    &vpc_id,
                    &account,
                    "public",
                    std::slice::from_ref(&public),
                    false,
                    vec![local_route(&block), route("0.0.0.0/0", "GatewayId", &igw), route("10.0.0.0/8", "TransitGatewayId", &tgw)],
                    &mut ids,
                ),
            );
            if let Some(endpoint) = &s3_endpoint {
                scope.push("VpcEndpoints", json!({"VpcEndpointId": endpoint, "VpcEndpointType": "Gateway", "VpcId": vpc_id,
                    "ServiceName": format!("com.amazonaws.{region}.s3"), "State": "available",
                    "PolicyDocument": "{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}",
                    "RouteTableIds": private_tables, "SubnetIds": [], "Groups": [], "PrivateDnsEnabled": false, "RequesterManaged": false,
                    "NetworkInterfaceIds": [], "DnsEntries": [], "OwnerId": account}));
            }
            // NACL and security groups (~100 rules per VPC).
            let acl = ids.next("acl");
            let mut associations = Vec::new();
            for s in tiers.iter().flatten().chain(std::iter::once(&public)) {
                associations.push(json!({"NetworkAclAssociationId": ids.next("aclassoc"), "NetworkAclId": acl, "SubnetId": s}));
            }
            scope.push(
                "NetworkAcls",
                json!({"Associations": associations, "Entries": nacl_entries(broken == Some(2)), "IsDefault": false,
                "NetworkAclId": acl, "Tags": [], "VpcId": vpc_id, "OwnerId": account}),
            );
            let default_sg = ids.next("sg");
            scope.push("SecurityGroups", security_group(&default_sg, &vpc_id, "default", &account, 0, 0, egress_all()));
            let task_sg = ids.next("sg");
            let task_egress = if broken == Some(1) { json!([]) } else { egress_all() };
            scope.push(
                "SecurityGroups",
                security_group(&task_sg, &vpc_id, &format!("spoke-{g}-tasks"), &account, 60, (172 << 24) | (16 << 16), task_egress),
            );
            let data_sg = ids.next("sg");
            scope.push(
                "SecurityGroups",
                security_group(&data_sg, &vpc_id, &format!("spoke-{g}-data"), &account, 36, (192 << 24) | (168 << 16), egress_all()),
            );
            stats.sg_rules += 2 + 2 + 61 + 1 + 37 + 1;
            // ECS services: one per tier, and one in the public subnet with a public IP.
            for (t, (name, subnets)) in ["runner", "api", "batch"].iter().zip(&tiers).enumerate() {
                let group = if t == 1 { data_sg.as_str() } else { task_sg.as_str() };
                scope.push("EcsServices", ecs_service(&account, region, &format!("{name}-{g}"), subnets, &[group], false));
            }
            scope.push(
                "EcsServices",
                ecs_service(&account, region, &format!("edge-{g}"), std::slice::from_ref(&public), &[task_sg.as_str()], true),
            );
            stats.ecs_services += 4;
            // The TGW attachment in the task subnets, associated with the spokes table.
            let attachment = ids.next("tgw-attach");
            scope.push(
                "TransitGatewayVpcAttachments",
                json!({"TransitGatewayAttachmentId": attachment, "TransitGatewayId": tgw,
                "VpcId": vpc_id, "VpcOwnerId": account, "State": "available", "SubnetIds": tiers.first().cloned().unwrap_or_default(),
                "Options": {"DnsSupport": "enable", "Ipv6Support": "disable", "ApplianceModeSupport": "disable"}}),
            );
            hub.push(
                "TransitGatewayAttachments",
                json!({"TransitGatewayAttachmentId": attachment, "TransitGatewayId": tgw,
                "TransitGatewayOwnerId": hub_account, "ResourceOwnerId": account, "ResourceType": "vpc", "ResourceId": vpc_id,
                "State": "available", "Association": {"TransitGatewayRouteTableId": rt_spokes, "State": "associated"}}),
            );
            hub_propagations
                .push(json!({"TransitGatewayAttachmentId": attachment, "ResourceId": vpc_id, "ResourceType": "vpc", "State": "enabled"}));
            for i in 0..TGW_STATIC_ROUTES_PER_SPOKE {
                inspection_routes.push(json!({"DestinationCidrBlock": cidr(base + ((i as u32 % 16) << 8), 24 + (i as u32 / 16) as u8),
                    "TransitGatewayAttachments": [{"ResourceId": vpc_id, "TransitGatewayAttachmentId": attachment, "ResourceType": "vpc"}],
                    "Type": "static", "State": "active"}));
            }
            stats.tgw_routes += TGW_STATIC_ROUTES_PER_SPOKE + 1;
            if broken != Some(3) {
                phz_vpcs.push(json!({"VPCRegion": region, "VPCId": vpc_id}));
            }
        }
        // Spokes table: default to the hub (centralized egress), the hub's CIDR propagated.
        hub.push(
            "TransitGatewayPropagations",
            json!({"TransitGatewayRouteTableId": rt_spokes, "TransitGatewayRouteTablePropagations": [
            {"TransitGatewayAttachmentId": hub_attachment, "ResourceId": hub_vpc, "ResourceType": "vpc", "State": "enabled"}]}),
        );
        hub.push("TransitGatewayStaticRoutes", json!({"TransitGatewayRouteTableId": rt_spokes, "Routes": [
            {"DestinationCidrBlock": "0.0.0.0/0", "TransitGatewayAttachments": [{"ResourceId": hub_vpc, "TransitGatewayAttachmentId": hub_attachment,
                "ResourceType": "vpc"}], "Type": "static", "State": "active"}]}));
        hub.push(
            "TransitGatewayPropagations",
            json!({"TransitGatewayRouteTableId": rt_hub, "TransitGatewayRouteTablePropagations": hub_propagations}),
        );
        hub.push("TransitGatewayStaticRoutes", json!({"TransitGatewayRouteTableId": rt_hub, "Routes": []}));
        hub.push(
            "TransitGatewayPropagations",
            json!({"TransitGatewayRouteTableId": rt_inspection, "TransitGatewayRouteTablePropagations": []}),
        );
        hub.push("TransitGatewayStaticRoutes", json!({"TransitGatewayRouteTableId": rt_inspection, "Routes": inspection_routes}));
        stats.tgw_routes += 1;
        // One PHZ per hub endpoint service, associated with the region's spokes.
        for (service, dns, zone_id) in zones {
            // The zone is the name the client dials (ECR's are `api.ecr.…` and `*.dkr.ecr.…`).
            let (name, record) = match service.as_str() {
                "ecr.api" => (format!("api.ecr.{region}.amazonaws.com."), format!("api.ecr.{region}.amazonaws.com.")),
                "ecr.dkr" => (format!("dkr.ecr.{region}.amazonaws.com."), format!("*.dkr.ecr.{region}.amazonaws.com.")),
                _ => (format!("{service}.{region}.amazonaws.com."), format!("{service}.{region}.amazonaws.com.")),
            };
            hub.push(
                "HostedZones",
                json!({"HostedZone": {"Id": zone_id, "Name": name, "Config": {"PrivateZone": true}, "ResourceRecordSetCount": 1},
                "VPCs": phz_vpcs, "ResourceRecordSets": [{"Name": record, "Type": "A",
                    "AliasTarget": {"HostedZoneId": "Z7HUB22UULQXV", "DNSName": format!("{dns}."), "EvaluateTargetHealth": true}}]}),
            );
        }
        scopes.push(hub.into_value());
        scopes.extend(spoke_scopes.into_iter().map(Scope::into_value));
    }
    let snapshot = json!({ "Regions": scopes });
    (serde_json::to_string_pretty(&snapshot).unwrap_or_default(), stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes_and_counts_scale() {
        let (a, stats) = generate(Options { vpcs: 10, seed: 1 });
        let (b, _) = generate(Options { vpcs: 10, seed: 1 });
        assert_eq!(a, b);
        assert_eq!(stats.subnets, 10 * SUBNETS_PER_VPC + 9);
        let (c, _) = generate(Options { vpcs: 10, seed: 2 });
        assert_ne!(a, c);
    }
}
