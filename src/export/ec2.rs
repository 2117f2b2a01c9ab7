//! EC2 describe calls and their CLI-shaped JSON (the fields `analyze` reads, plus tags).

use aws_sdk_ec2::types as t;
use aws_sdk_ec2::Client;
use serde_json::Value;

use super::json::{en, obj, strings};
use super::Region;

fn tags(list: &[t::Tag]) -> Vec<Value> {
    list.iter().map(|x| obj! { "Key" => x.key(), "Value" => x.value() }).collect()
}

fn state<T: AsRef<str>>(value: Option<&T>) -> Value {
    obj! { "State" => en(value) }
}

pub(super) fn vpc(v: &t::Vpc) -> Value {
    let cidrs: Vec<Value> = v
        .cidr_block_association_set()
        .iter()
        .map(|a| obj! { "AssociationId" => a.association_id(), "CidrBlock" => a.cidr_block(), "CidrBlockState" => a.cidr_block_state().map(|s| state(s.state())) })
        .collect();
    let ipv6: Vec<Value> = v
        .ipv6_cidr_block_association_set()
        .iter()
        .map(|a| obj! { "AssociationId" => a.association_id(), "Ipv6CidrBlock" => a.ipv6_cidr_block() })
        .collect();
    obj! {
        "VpcId" => v.vpc_id(), "CidrBlock" => v.cidr_block(), "CidrBlockAssociationSet" => cidrs,
        "Ipv6CidrBlockAssociationSet" => ipv6, "IsDefault" => v.is_default(),
        "DhcpOptionsId" => v.dhcp_options_id(), "State" => en(v.state()), "OwnerId" => v.owner_id(), "Tags" => tags(v.tags()),
    }
}

pub(super) fn subnet(s: &t::Subnet) -> Value {
    obj! {
        "SubnetId" => s.subnet_id(), "VpcId" => s.vpc_id(), "CidrBlock" => s.cidr_block(), "AvailabilityZone" => s.availability_zone(),
        "AvailabilityZoneId" => s.availability_zone_id(), "MapPublicIpOnLaunch" => s.map_public_ip_on_launch(), "OwnerId" => s.owner_id(),
        "Ipv6Native" => s.ipv6_native(), "Tags" => tags(s.tags()),
    }
}

fn route(r: &t::Route) -> Value {
    obj! {
        "DestinationCidrBlock" => r.destination_cidr_block(), "DestinationIpv6CidrBlock" => r.destination_ipv6_cidr_block(),
        "DestinationPrefixListId" => r.destination_prefix_list_id(), "GatewayId" => r.gateway_id(), "NatGatewayId" => r.nat_gateway_id(),
        "TransitGatewayId" => r.transit_gateway_id(), "VpcPeeringConnectionId" => r.vpc_peering_connection_id(),
        "NetworkInterfaceId" => r.network_interface_id(), "InstanceId" => r.instance_id(),
        "EgressOnlyInternetGatewayId" => r.egress_only_internet_gateway_id(), "LocalGatewayId" => r.local_gateway_id(),
        "CarrierGatewayId" => r.carrier_gateway_id(), "CoreNetworkArn" => r.core_network_arn(), "OdbNetworkArn" => r.odb_network_arn(),
        "IpAddress" => r.ip_address(), "Origin" => en(r.origin()), "State" => en(r.state()),
    }
}

pub(super) fn route_table(rt: &t::RouteTable) -> Value {
    let associations: Vec<Value> = rt
        .associations()
        .iter()
        .map(|a| {
            obj! {
                "Main" => a.main(), "RouteTableAssociationId" => a.route_table_association_id(), "RouteTableId" => a.route_table_id(),
                "SubnetId" => a.subnet_id(), "GatewayId" => a.gateway_id(), "AssociationState" => a.association_state().map(|s| state(s.state())),
            }
        })
        .collect();
    obj! {
        "RouteTableId" => rt.route_table_id(), "VpcId" => rt.vpc_id(), "Associations" => associations,
        "Routes" => rt.routes().iter().map(route).collect::<Vec<_>>(), "OwnerId" => rt.owner_id(), "Tags" => tags(rt.tags()),
    }
}

fn attachments(list: &[t::InternetGatewayAttachment]) -> Vec<Value> {
    list.iter().map(|a| obj! { "State" => en(a.state()), "VpcId" => a.vpc_id() }).collect()
}

pub(super) fn internet_gateway(g: &t::InternetGateway) -> Value {
    obj! { "InternetGatewayId" => g.internet_gateway_id(), "Attachments" => attachments(g.attachments()), "OwnerId" => g.owner_id(), "Tags" => tags(g.tags()) }
}

pub(super) fn egress_only_gateway(g: &t::EgressOnlyInternetGateway) -> Value {
    obj! { "EgressOnlyInternetGatewayId" => g.egress_only_internet_gateway_id(), "Attachments" => attachments(g.attachments()), "Tags" => tags(g.tags()) }
}

pub(super) fn nat_gateway(n: &t::NatGateway) -> Value {
    let addresses: Vec<Value> = n
        .nat_gateway_addresses()
        .iter()
        .map(|a| obj! { "AllocationId" => a.allocation_id(), "NetworkInterfaceId" => a.network_interface_id(), "PrivateIp" => a.private_ip(), "PublicIp" => a.public_ip() })
        .collect();
    obj! {
        "NatGatewayId" => n.nat_gateway_id(), "VpcId" => n.vpc_id(), "SubnetId" => n.subnet_id(), "State" => en(n.state()),
        "ConnectivityType" => en(n.connectivity_type()), "AvailabilityMode" => en(n.availability_mode()),
        "NatGatewayAddresses" => addresses, "Tags" => tags(n.tags()),
    }
}

pub(super) fn vpc_endpoint(e: &t::VpcEndpoint) -> Value {
    let groups: Vec<Value> = e.groups().iter().map(|g| obj! { "GroupId" => g.group_id(), "GroupName" => g.group_name() }).collect();
    let dns: Vec<Value> =
        e.dns_entries().iter().map(|d| obj! { "DnsName" => d.dns_name(), "HostedZoneId" => d.hosted_zone_id() }).collect();
    obj! {
        "VpcEndpointId" => e.vpc_endpoint_id(), "VpcEndpointType" => en(e.vpc_endpoint_type()), "VpcId" => e.vpc_id(),
        "ServiceName" => e.service_name(), "ServiceRegion" => e.service_region(), "State" => en(e.state()),
        "PrivateDnsEnabled" => e.private_dns_enabled(), "SubnetIds" => strings(e.subnet_ids()), "Groups" => groups,
        "NetworkInterfaceIds" => strings(e.network_interface_ids()), "RouteTableIds" => strings(e.route_table_ids()),
        "PolicyDocument" => e.policy_document(),
        "DnsOptions" => e.dns_options().map(|o| obj! {
            "DnsRecordIpType" => en(o.dns_record_ip_type()),
            "PrivateDnsOnlyForInboundResolverEndpoint" => o.private_dns_only_for_inbound_resolver_endpoint(),
        }),
        "DnsEntries" => dns, "OwnerId" => e.owner_id(), "Tags" => tags(e.tags()),
    }
}

fn peering_side(i: &t::VpcPeeringConnectionVpcInfo) -> Value {
    obj! { "VpcId" => i.vpc_id(), "OwnerId" => i.owner_id(), "Region" => i.region(), "CidrBlock" => i.cidr_block() }
}

pub(super) fn peering(p: &t::VpcPeeringConnection) -> Value {
    obj! {
        "VpcPeeringConnectionId" => p.vpc_peering_connection_id(),
        "Status" => p.status().map(|s| obj! { "Code" => en(s.code()), "Message" => s.message() }),
        "RequesterVpcInfo" => p.requester_vpc_info().map(peering_side), "AccepterVpcInfo" => p.accepter_vpc_info().map(peering_side),
        "Tags" => tags(p.tags()),
    }
}

fn permission(p: &t::IpPermission) -> Value {
    obj! {
        "IpProtocol" => p.ip_protocol(), "FromPort" => p.from_port(), "ToPort" => p.to_port(),
        "IpRanges" => p.ip_ranges().iter().map(|r| obj! { "CidrIp" => r.cidr_ip(), "Description" => r.description() }).collect::<Vec<_>>(),
        "Ipv6Ranges" => p.ipv6_ranges().iter().map(|r| obj! { "CidrIpv6" => r.cidr_ipv6() }).collect::<Vec<_>>(),
        "PrefixListIds" => p.prefix_list_ids().iter().map(|r| obj! { "PrefixListId" => r.prefix_list_id() }).collect::<Vec<_>>(),
        "UserIdGroupPairs" => p.user_id_group_pairs().iter().map(|g| obj! {
            "GroupId" => g.group_id(), "UserId" => g.user_id(), "VpcId" => g.vpc_id(),
            "VpcPeeringConnectionId" => g.vpc_peering_connection_id(), "PeeringStatus" => g.peering_status(),
        }).collect::<Vec<_>>(),
    }
}

pub(super) fn security_group(g: &t::SecurityGroup) -> Value {
    obj! {
        "GroupId" => g.group_id(), "GroupName" => g.group_name(), "VpcId" => g.vpc_id(), "OwnerId" => g.owner_id(),
        "IpPermissions" => g.ip_permissions().iter().map(permission).collect::<Vec<_>>(),
        "IpPermissionsEgress" => g.ip_permissions_egress().iter().map(permission).collect::<Vec<_>>(), "Tags" => tags(g.tags()),
    }
}

pub(super) fn network_acl(a: &t::NetworkAcl) -> Value {
    let associations: Vec<Value> = a
        .associations()
        .iter()
        .map(|x| obj! { "NetworkAclAssociationId" => x.network_acl_association_id(), "NetworkAclId" => x.network_acl_id(), "SubnetId" => x.subnet_id() })
        .collect();
    let entries: Vec<Value> = a
        .entries()
        .iter()
        .map(|e| {
            obj! {
                "RuleNumber" => e.rule_number(), "Protocol" => e.protocol(), "RuleAction" => en(e.rule_action()), "Egress" => e.egress(),
                "CidrBlock" => e.cidr_block(), "Ipv6CidrBlock" => e.ipv6_cidr_block(),
                "PortRange" => e.port_range().map(|r| obj! { "From" => r.from(), "To" => r.to() }),
            }
        })
        .collect();
    obj! {
        "NetworkAclId" => a.network_acl_id(), "VpcId" => a.vpc_id(), "IsDefault" => a.is_default(), "Associations" => associations,
        "Entries" => entries, "OwnerId" => a.owner_id(), "Tags" => tags(a.tags()),
    }
}

pub(super) fn network_interface(n: &t::NetworkInterface) -> Value {
    obj! {
        "NetworkInterfaceId" => n.network_interface_id(), "SubnetId" => n.subnet_id(), "VpcId" => n.vpc_id(),
        "AvailabilityZone" => n.availability_zone(), "InterfaceType" => en(n.interface_type()), "Description" => n.description(),
        "PrivateIpAddress" => n.private_ip_address(),
        "PrivateIpAddresses" => n.private_ip_addresses().iter().map(|p| obj! { "PrivateIpAddress" => p.private_ip_address(), "Primary" => p.primary() }).collect::<Vec<_>>(),
        "Groups" => n.groups().iter().map(|g| obj! { "GroupId" => g.group_id(), "GroupName" => g.group_name() }).collect::<Vec<_>>(),
        "Association" => n.association().map(|a| obj! { "PublicIp" => a.public_ip() }),
        "TagSet" => tags(n.tag_set()),
    }
}

pub(super) fn prefix_list(p: &t::PrefixList) -> Value {
    obj! { "PrefixListId" => p.prefix_list_id(), "PrefixListName" => p.prefix_list_name(), "Cidrs" => strings(p.cidrs()) }
}

pub(super) fn managed_prefix_list(p: &t::ManagedPrefixList, entries: Option<Vec<Value>>) -> Value {
    obj! {
        "PrefixListId" => p.prefix_list_id(), "PrefixListName" => p.prefix_list_name(), "AddressFamily" => p.address_family(),
        "State" => en(p.state()), "OwnerId" => p.owner_id(), "Entries" => entries, "Tags" => tags(p.tags()),
    }
}

pub(super) fn dhcp_options(d: &t::DhcpOptions) -> Value {
    let configurations: Vec<Value> = d
        .dhcp_configurations()
        .iter()
        .map(|c| obj! { "Key" => c.key(), "Values" => c.values().iter().map(|v| obj! { "Value" => v.value() }).collect::<Vec<_>>() })
        .collect();
    obj! { "DhcpOptionsId" => d.dhcp_options_id(), "DhcpConfigurations" => configurations, "OwnerId" => d.owner_id(), "Tags" => tags(d.tags()) }
}

pub(super) fn transit_gateway(g: &t::TransitGateway) -> Value {
    let options = g.options().map(|o| {
        obj! {
            "AmazonSideAsn" => o.amazon_side_asn(), "DefaultRouteTableAssociation" => en(o.default_route_table_association()),
            "AssociationDefaultRouteTableId" => o.association_default_route_table_id(),
            "DefaultRouteTablePropagation" => en(o.default_route_table_propagation()),
            "PropagationDefaultRouteTableId" => o.propagation_default_route_table_id(),
            "SecurityGroupReferencingSupport" => en(o.security_group_referencing_support()),
        }
    });
    obj! { "TransitGatewayId" => g.transit_gateway_id(), "OwnerId" => g.owner_id(), "State" => en(g.state()), "Options" => options, "Tags" => tags(g.tags()) }
}

pub(super) fn tgw_attachment(a: &t::TransitGatewayAttachment) -> Value {
    obj! {
        "TransitGatewayAttachmentId" => a.transit_gateway_attachment_id(), "TransitGatewayId" => a.transit_gateway_id(),
        "TransitGatewayOwnerId" => a.transit_gateway_owner_id(), "ResourceOwnerId" => a.resource_owner_id(),
        "ResourceType" => en(a.resource_type()), "ResourceId" => a.resource_id(), "State" => en(a.state()),
        "Association" => a.association().map(|x| obj! { "TransitGatewayRouteTableId" => x.transit_gateway_route_table_id(), "State" => en(x.state()) }),
        "Tags" => tags(a.tags()),
    }
}

pub(super) fn tgw_vpc_attachment(a: &t::TransitGatewayVpcAttachment) -> Value {
    let options = a.options().map(|o| {
        obj! {
            "DnsSupport" => en(o.dns_support()), "SecurityGroupReferencingSupport" => en(o.security_group_referencing_support()),
            "Ipv6Support" => en(o.ipv6_support()), "ApplianceModeSupport" => en(o.appliance_mode_support()),
        }
    });
    obj! {
        "TransitGatewayAttachmentId" => a.transit_gateway_attachment_id(), "TransitGatewayId" => a.transit_gateway_id(),
        "VpcId" => a.vpc_id(), "VpcOwnerId" => a.vpc_owner_id(), "State" => en(a.state()), "SubnetIds" => strings(a.subnet_ids()),
        "Options" => options, "Tags" => tags(a.tags()),
    }
}

pub(super) fn tgw_route_table(r: &t::TransitGatewayRouteTable) -> Value {
    obj! {
        "TransitGatewayRouteTableId" => r.transit_gateway_route_table_id(), "TransitGatewayId" => r.transit_gateway_id(),
        "State" => en(r.state()), "DefaultAssociationRouteTable" => r.default_association_route_table(),
        "DefaultPropagationRouteTable" => r.default_propagation_route_table(), "Tags" => tags(r.tags()),
    }
}

pub(super) fn tgw_propagation(p: &t::TransitGatewayRouteTablePropagation) -> Value {
    obj! {
        "TransitGatewayAttachmentId" => p.transit_gateway_attachment_id(), "ResourceId" => p.resource_id(),
        "ResourceType" => en(p.resource_type()), "State" => en(p.state()),
    }
}

pub(super) fn tgw_route(r: &t::TransitGatewayRoute) -> Value {
    let attachments: Vec<Value> = r
        .transit_gateway_attachments()
        .iter()
        .map(|a| obj! { "ResourceId" => a.resource_id(), "TransitGatewayAttachmentId" => a.transit_gateway_attachment_id(), "ResourceType" => en(a.resource_type()) })
        .collect();
    obj! {
        "DestinationCidrBlock" => r.destination_cidr_block(), "PrefixListId" => r.prefix_list_id(),
        "TransitGatewayAttachments" => attachments, "Type" => en(r.r#type()), "State" => en(r.state()),
    }
}

pub(super) fn bpa_options(o: &t::VpcBlockPublicAccessOptions) -> Value {
    obj! {
        "AwsAccountId" => o.aws_account_id(), "AwsRegion" => o.aws_region(), "State" => en(o.state()),
        "InternetGatewayBlockMode" => en(o.internet_gateway_block_mode()),
    }
}

pub(super) fn bpa_exclusion(x: &t::VpcBlockPublicAccessExclusion) -> Value {
    obj! {
        "ExclusionId" => x.exclusion_id(), "InternetGatewayExclusionMode" => en(x.internet_gateway_exclusion_mode()),
        "ResourceArn" => x.resource_arn(), "State" => en(x.state()),
    }
}

/// Every EC2 list of one region, each under its snapshot key; a denied call leaves its key out
/// and records the gap.
pub(super) async fn collect(client: &Client, region: &mut Region) {
    macro_rules! items {
        ($key:literal, $op:literal, $call:expr, $convert:expr) => {
            match region.track($op, $call.into_paginator().items().send().collect::<Result<Vec<_>, _>>()).await {
                Some(list) => {
                    let values: Vec<Value> = list.iter().map($convert).collect();
                    region.put($key, values);
                }
                None => region.gap($key, $op),
            }
        };
    }
    items!("Vpcs", "ec2:DescribeVpcs", client.describe_vpcs(), vpc);
    items!("Subnets", "ec2:DescribeSubnets", client.describe_subnets(), subnet);
    items!("RouteTables", "ec2:DescribeRouteTables", client.describe_route_tables(), route_table);
    items!("InternetGateways", "ec2:DescribeInternetGateways", client.describe_internet_gateways(), internet_gateway);
    items!(
        "EgressOnlyInternetGateways",
        "ec2:DescribeEgressOnlyInternetGateways",
        client.describe_egress_only_internet_gateways(),
        egress_only_gateway
    );
    items!("NatGateways", "ec2:DescribeNatGateways", client.describe_nat_gateways(), nat_gateway);
    items!("VpcEndpoints", "ec2:DescribeVpcEndpoints", client.describe_vpc_endpoints(), vpc_endpoint);
    items!("VpcPeeringConnections", "ec2:DescribeVpcPeeringConnections", client.describe_vpc_peering_connections(), peering);
    items!("SecurityGroups", "ec2:DescribeSecurityGroups", client.describe_security_groups(), security_group);
    items!("NetworkAcls", "ec2:DescribeNetworkAcls", client.describe_network_acls(), network_acl);
    items!("NetworkInterfaces", "ec2:DescribeNetworkInterfaces", client.describe_network_interfaces(), network_interface);
    items!("PrefixLists", "ec2:DescribePrefixLists", client.describe_prefix_lists(), prefix_list);
    items!("DhcpOptions", "ec2:DescribeDhcpOptions", client.describe_dhcp_options(), dhcp_options);
    items!("TransitGateways", "ec2:DescribeTransitGateways", client.describe_transit_gateways(), transit_gateway);
    items!(
        "TransitGatewayAttachments",
        "ec2:DescribeTransitGatewayAttachments",
        client.describe_transit_gateway_attachments(),
        tgw_attachment
    );
    items!(
        "TransitGatewayVpcAttachments",
        "ec2:DescribeTransitGatewayVpcAttachments",
        client.describe_transit_gateway_vpc_attachments(),
        tgw_vpc_attachment
    );

    // Managed prefix lists with their entries (the S3 and DynamoDB lists among them).
    match region
        .track(
            "ec2:DescribeManagedPrefixLists",
            client.describe_managed_prefix_lists().into_paginator().items().send().collect::<Result<Vec<_>, _>>(),
        )
        .await
    {
        Some(lists) => {
            let mut values = Vec::new();
            let mut entries_gap = false;
            for list in &lists {
                let id = list.prefix_list_id().unwrap_or_default().to_owned();
                let call = client
                    .get_managed_prefix_list_entries()
                    .prefix_list_id(&id)
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Result<Vec<_>, _>>();
                let entries = region
                    .track("ec2:GetManagedPrefixListEntries", call)
                    .await
                    .map(|e| e.iter().map(|x| super::json::obj! { "Cidr" => x.cidr(), "Description" => x.description() }).collect());
                // A list without its entries: the export says which call failed (once).
                if entries.is_none() && !entries_gap {
                    region.gap("ManagedPrefixLists", "ec2:GetManagedPrefixListEntries");
                    entries_gap = true;
                }
                values.push(managed_prefix_list(list, entries));
            }
            region.put("ManagedPrefixLists", values);
        }
        None => region.gap("ManagedPrefixLists", "ec2:DescribeManagedPrefixLists"),
    }

    // VPC DNS attributes, two calls per VPC.
    let vpc_ids: Vec<String> = region.ids("Vpcs", "VpcId");
    let mut attributes = Vec::new();
    let mut complete = true;
    for id in &vpc_ids {
        let mut entry = super::json::map();
        entry.insert("VpcId".to_owned(), Value::String(id.clone()));
        for (name, attribute) in
            [("EnableDnsSupport", t::VpcAttributeName::EnableDnsSupport), ("EnableDnsHostnames", t::VpcAttributeName::EnableDnsHostnames)]
        {
            let call = client.describe_vpc_attribute().vpc_id(id).attribute(attribute).send();
            match region.track("ec2:DescribeVpcAttribute", call).await {
                Some(out) => {
                    let value = if name == "EnableDnsSupport" { out.enable_dns_support() } else { out.enable_dns_hostnames() };
                    if let Some(v) = value.and_then(|v| v.value()) {
                        entry.insert(name.to_owned(), super::json::obj! { "Value" => v });
                    }
                }
                None => complete = false,
            }
        }
        attributes.push(Value::Object(entry));
    }
    if complete || !attributes.is_empty() {
        region.put("VpcAttributes", attributes);
    } else {
        region.gap("VpcAttributes", "ec2:DescribeVpcAttribute");
    }

    // Transit gateway route tables, their propagations and every route (a complete search).
    match region
        .track(
            "ec2:DescribeTransitGatewayRouteTables",
            client.describe_transit_gateway_route_tables().into_paginator().items().send().collect::<Result<Vec<_>, _>>(),
        )
        .await
    {
        Some(tables) => {
            let mut propagations = Vec::new();
            let mut routes = Vec::new();
            for table in &tables {
                let id = table.transit_gateway_route_table_id().unwrap_or_default().to_owned();
                let call = client
                    .get_transit_gateway_route_table_propagations()
                    .transit_gateway_route_table_id(&id)
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Result<Vec<_>, _>>();
                if let Some(list) = region.track("ec2:GetTransitGatewayRouteTablePropagations", call).await {
                    propagations.push(super::json::obj! {
                        "TransitGatewayRouteTableId" => id.as_str(),
                        "TransitGatewayRouteTablePropagations" => list.iter().map(tgw_propagation).collect::<Vec<_>>(),
                    });
                }
                let filter = t::Filter::builder().name("state").values("active").values("blackhole").build();
                let call = client
                    .search_transit_gateway_routes()
                    .transit_gateway_route_table_id(&id)
                    .filters(filter)
                    .max_results(1000)
                    .into_paginator()
                    .send()
                    .collect::<Result<Vec<_>, _>>();
                if let Some(pages) = region.track("ec2:SearchTransitGatewayRoutes", call).await {
                    let more = pages.last().and_then(|p| p.additional_routes_available()).unwrap_or(false);
                    routes.push(super::json::obj! {
                        "TransitGatewayRouteTableId" => id.as_str(),
                        "Routes" => pages.iter().flat_map(|p| p.routes()).map(tgw_route).collect::<Vec<_>>(),
                        "AdditionalRoutesAvailable" => more,
                    });
                }
            }
            region.put("TransitGatewayRouteTables", tables.iter().map(tgw_route_table).collect());
            region.put("TransitGatewayPropagations", propagations);
            region.put("TransitGatewayRoutes", routes);
        }
        None => region.gap("TransitGatewayRouteTables", "ec2:DescribeTransitGatewayRouteTables"),
    }

    // VPC Block Public Access (IGW-8): one object per region, and the exclusions.
    if let Some(out) =
        region.track("ec2:DescribeVpcBlockPublicAccessOptions", client.describe_vpc_block_public_access_options().send()).await
    {
        if let Some(options) = out.vpc_block_public_access_options() {
            region.put_value("VpcBlockPublicAccessOptions", bpa_options(options));
        }
    }
    if let Some(out) =
        region.track("ec2:DescribeVpcBlockPublicAccessExclusions", client.describe_vpc_block_public_access_exclusions().send()).await
    {
        region.put("VpcBlockPublicAccessExclusions", out.vpc_block_public_access_exclusions().iter().map(bpa_exclusion).collect());
    }
}
