use vpcreach::reachability::{Egress, Verdict};

use crate::util::*;

const FOLDERS: &[&str] = &[
    "test-nat-gateway",
    "test-public-subnet",
    "test-subnet",
    "test-transit-gateway",
    "test-transit-gateway-asymmetric-paths",
    "test-transit-gateway-multi-account",
    "test-transit-gateway-multi-table",
    "test-transit-gateway-peering",
    "test-vpc-endpoint-gateway",
    "test-vpc-endpoint-interface",
    "test-vpc-peering",
];

fn folder(name: &str) -> Option<std::path::PathBuf> {
    Some(shared()?.join("external/batfish-aws").join(name))
}

#[test]
fn every_batfish_folder_loads_and_analyses() {
    for name in FOLDERS {
        let Some(dir) = folder(name) else { return };
        let snapshot = load(&dir);
        assert!(!snapshot.subnets.is_empty(), "{name}: no subnets");
        let analysis = analyze_runner(&snapshot);
        assert_eq!(analysis.results.len(), snapshot.subnets.len() * 5, "{name}");
        // No ECS service: every subnet audited with the default SG, said once.
        assert!(!analysis.facts.is_empty(), "{name}: the assumption must be stated");
    }
}

fn result<'a>(a: &'a vpcreach::reachability::Analysis, subnet: &str, service: &str) -> &'a vpcreach::reachability::PairResult {
    a.results.iter().find(|r| r.subnet_id.as_str() == subnet && r.service.id == service).unwrap()
}

/// The private subnet routes 0.0.0.0/0 to the NAT gateway, whose public subnet routes to the
/// attached IGW: reachable via NAT. The public subnet routes to the IGW, but the audited
/// tasks have no public IP (VPCR103).
#[test]
fn nat_gateway_folder() {
    let Some(dir) = folder("test-nat-gateway") else { return };
    let snapshot = load(&dir);
    let a = analyze_runner(&snapshot);
    let private = result(&a, "subnet-06f469bcee42e408e", "secretsmanager");
    assert_eq!(private.verdict, Verdict::Reachable);
    assert_eq!(private.egress, Some(Egress::NatGateway));
    assert!(private.path.iter().any(|h| h.kind == "nat_gateway"));
    let public = a.results.iter().find(|r| {
        r.service.id == "logs" && r.facts.iter().any(|f| matches!(f, vpcreach::reachability::Fact::IgwRouteWithoutPublicIp { .. }))
    });
    assert!(public.is_some_and(|r| r.verdict == Verdict::Unreachable));
}

/// S3 through the gateway endpoint on both route tables; the other services have no path
/// for tasks without a public IP.
#[test]
fn vpc_endpoint_gateway_folder() {
    let Some(dir) = folder("test-vpc-endpoint-gateway") else { return };
    let a = analyze_runner(&load(&dir));
    for subnet in ["subnet-01e5f0945f6d6f47c", "subnet-04391f04b912d0a73"] {
        let s3 = result(&a, subnet, "s3");
        assert_eq!(s3.verdict, Verdict::Reachable);
        assert_eq!(s3.egress, Some(Egress::GatewayEndpoint));
        assert!(s3.path.iter().any(|h| &*h.resource_id == "vpce-0b7357542bb7b83ec"));
        assert_eq!(result(&a, subnet, "logs").verdict, Verdict::Unreachable);
    }
}

/// The multi-account folder has no InternetGateways file, and every subnet routes `0/0 → igw`.
/// Tasks without a public IP are unreachable whatever the gateway's state (IGW-1(c), IGW-4);
/// with a public IP the answer depends on the missing record: unknown, never guessed.
#[test]
fn multi_account_folder_is_unknown_where_data_is_missing() {
    let Some(dir) = folder("test-transit-gateway-multi-account") else { return };
    let snapshot = load(&dir);
    assert_eq!(snapshot.scopes.iter().filter_map(|s| s.account.as_deref()).collect::<std::collections::BTreeSet<_>>().len(), 2);
    let a = analyze_runner(&snapshot);
    assert!(!a.results.is_empty());
    for r in &a.results {
        assert_eq!(r.verdict, Verdict::Unreachable, "{:?}", r.facts);
        assert!(r.facts.iter().any(|f| matches!(f, vpcreach::reachability::Fact::IgwRouteWithoutPublicIp { .. })), "{:?}", r.facts);
    }
    let (mut workloads, _) = vpcreach::reachability::default_workloads(&snapshot);
    for w in &mut workloads {
        w.assign_public_ip = true;
    }
    let services: Vec<_> =
        vpcreach::reachability::services::RUNNER_PROFILE.iter().filter_map(|id| vpcreach::reachability::services::lookup(id)).collect();
    let a = vpcreach::reachability::analyze(&snapshot, &workloads, &services);
    assert!(!a.results.is_empty());
    for r in &a.results {
        assert_eq!(r.verdict, Verdict::Unknown, "{:?}", r.facts);
        assert!(
            r.facts.iter().any(|f| matches!(f, vpcreach::reachability::Fact::NotCaptured { key, .. } if key == "InternetGateways")),
            "{:?}",
            r.facts
        );
    }
}

/// Traces every subnet of a Batfish folder to `to` (`ADDRESS:PORT`), as `analyze --to` does.
fn trace_to(dir: &std::path::Path, to: &str) -> vpcreach::reachability::Analysis {
    let snapshot = load(dir);
    let (workloads, _) = vpcreach::reachability::default_workloads(&snapshot);
    let target = vpcreach::reachability::services::custom_target(to).unwrap();
    vpcreach::reachability::analyze(&snapshot, &workloads, &[target])
}

fn path_ids(r: &vpcreach::reachability::PairResult) -> Vec<&str> {
    r.path.iter().map(|h| &*h.resource_id).collect()
}

/// VPC A (10.10.0.0/16) is attached to the TGW only through subnet-006a… in us-east-2c; VPC B
/// (192.168.0.0/16) through subnet-0ebf… in us-east-2b. Both propagate into the one default
/// table. So 10.10.10.0/24 (us-east-2c) reaches the instance 192.168.1.106 across the TGW, and
/// B's main table routes the reply 10.10.0.0/16 back to the TGW; 10.10.20.0/24 is in
/// us-east-2a, where the attachment has no subnet: TGW-2 drops it.
#[test]
fn transit_gateway_folder_hop_by_hop() {
    let Some(dir) = folder("test-transit-gateway") else { return };
    let a = trace_to(&dir, "192.168.1.106:22");
    let ok = a.results.iter().find(|r| r.subnet_id.as_str() == "subnet-006a19c846f047bd7").unwrap();
    assert_eq!(ok.verdict, Verdict::Reachable, "{:?}", ok.facts);
    for id in [
        "rtb-0891861fffaea6d52",
        "tgw-attach-07f5ec59e9f540021",
        "tgw-044be4464fcc69aff",
        "tgw-rtb-0fa40c8df355dce6e",
        "tgw-attach-0ae2696617bb06fb4",
        "eni-0024c0af5aa1387e5",
    ] {
        assert!(path_ids(ok).contains(&id), "path {:?} misses {id}", path_ids(ok));
    }
    assert!(ok.path.iter().any(|h| h.kind == "return_transit_gateway_route_table" && &*h.resource_id == "tgw-rtb-0fa40c8df355dce6e"));
    let no_az = a.results.iter().find(|r| r.subnet_id.as_str() == "subnet-0b5b8ddd5a69fcfcd").unwrap();
    assert_eq!(no_az.verdict, Verdict::Unreachable);
    assert!(no_az.facts.iter().any(|f| matches!(f, vpcreach::reachability::Fact::TgwNoAttachmentInAz { az, .. } if az == "us-east-2a")));
}

/// Two VPCs peer with VPC A (10.10.0.0/16) through two peering connections; A's main table
/// routes each one's CIDR back over its own connection, so both reach 10.10.10.157.
#[test]
fn vpc_peering_folder_hop_by_hop() {
    let Some(dir) = folder("test-vpc-peering") else { return };
    let a = trace_to(&dir, "10.10.10.157:22");
    for (subnet, pcx) in [("subnet-0af94b59d214ff20a", "pcx-0d5b836985ac8ca8c"), ("subnet-0ebf6378a79a3e534", "pcx-0b89b559e3319d6cf")] {
        let r = a.results.iter().find(|r| r.subnet_id.as_str() == subnet).unwrap();
        assert_eq!(r.verdict, Verdict::Reachable, "{subnet}: {:?}", r.facts);
        assert!(path_ids(r).contains(&pcx), "{subnet}: {:?}", path_ids(r));
        assert!(r.path.iter().any(|h| h.kind == "return_route_table" && &*h.resource_id == "rtb-0891861fffaea6d52"));
    }
}

/// TGW peering between us-east-1 (tgw-0e20…) and us-west-1 (tgw-0320…). In us-east-1, VPC
/// 10.20.0.0/16 is associated with tgw-rtb-018a…, which sends 192.168.0.0/16 to the peering
/// attachment; the us-west-1 side sends it on to its VPC and routes 10.20.0.0/16 back over the
/// peering. But the peering attachment is associated in us-east-1 with tgw-rtb-05d2…, which
/// only holds 10.10.0.0/16: the reply is dropped (TGW-5). VPC 10.10.0.0/16 is itself
/// associated with tgw-rtb-05d2…, which has no route to 192.168.0.0/16 at all.
#[test]
fn transit_gateway_peering_folder_hop_by_hop() {
    let Some(dir) = folder("test-transit-gateway-peering") else { return };
    let a = trace_to(&dir, "192.168.1.100:22");
    let far = a.results.iter().find(|r| r.subnet_id.as_str() == "subnet-0934a46c6eb5542d9").unwrap();
    assert_eq!(far.verdict, Verdict::Unreachable);
    for id in ["tgw-rtb-018a5e572ec3088d1", "tgw-03201f1960ddb0c25", "tgw-rtb-00be87593fb2cd0ae", "tgw-attach-075ea06a59d3212af"] {
        assert!(path_ids(far).contains(&id), "path {:?} misses {id}", path_ids(far));
    }
    assert!(far.facts.iter().any(|f| matches!(f,
        vpcreach::reachability::Fact::TgwNoRoute { table, is_return: true, .. } if table.as_str() == "tgw-rtb-05d2952671d1f460a")));
    let near = a.results.iter().find(|r| r.subnet_id.as_str() == "subnet-06818d8a511df9b3d").unwrap();
    assert_eq!(near.verdict, Verdict::Unreachable);
    assert!(near.facts.iter().any(|f| matches!(f,
        vpcreach::reachability::Fact::TgwNoRoute { table, is_return: false, .. } if table.as_str() == "tgw-rtb-05d2952671d1f460a")));
}

/// Two accounts share one TGW (owned by 028403472736). From 10.1.0.0/16 (account 0284) to
/// 10.2.1.183 (an ENI in account 9516): `10.2.0.0/16 → tgw`, the TGW table both attachments
/// are associated with and propagate into picks the other account's attachment, whose subnet
/// table (`local`) delivers; the reply's `10.1.0.0/16 → tgw` and the same TGW table bring it
/// back. Every route is in place, but the folder has no NetworkAcls: the verdict is `unknown`
/// for that reason alone. From the ENI's own subnet no NACL is crossed: reachable.
#[test]
fn shared_transit_gateway_across_accounts_hop_by_hop() {
    let Some(dir) = folder("test-transit-gateway-multi-account") else { return };
    let a = trace_to(&dir, "10.2.1.183:22");
    for subnet in ["subnet-03b8a36729c9da776", "subnet-0a68915f31d3ca69f"] {
        let r = a.results.iter().find(|r| r.subnet_id.as_str() == subnet).unwrap();
        assert_eq!(
            path_ids(r),
            [
                subnet,
                "10.2.1.183",
                "rtb-0fef69d4490091932",
                "tgw-attach-0f832eb2ca4a975a4",
                "tgw-0efdeab79e9a8e490",
                "tgw-rtb-0b2c8eeefcf19371b",
                "tgw-attach-0f8397dbb9b9bce0d",
                "rtb-0b064b1571221e230",
                "eni-0d1a34edceb1e9c42",
                "rtb-0b064b1571221e230",
                "tgw-rtb-0b2c8eeefcf19371b"
            ]
        );
        assert_eq!(r.verdict, Verdict::Unknown);
        assert!(
            r.facts.iter().all(|f| matches!(f, vpcreach::reachability::Fact::NotCaptured { key, .. } if key == "NetworkAcls")),
            "{:?}",
            r.facts
        );
    }
    let local = a.results.iter().find(|r| r.subnet_id.as_str() == "subnet-0c2cb08833b3c9921").unwrap();
    assert_eq!(local.verdict, Verdict::Reachable);
}

/// One account's export of a TGW peering (the peer gateway's account and region left out): the
/// answer is unknown, and the finding names the peer gateway and its account, whose export is
/// what is missing (not a key of this one, which was captured).
#[test]
fn tgw_peering_without_the_peer_export_names_the_peer_account() {
    let Some(dir) = folder("test-transit-gateway-peering") else { return };
    let west = std::env::temp_dir().join(format!("vpcreach-batfish-{}-tgw-peering-west", std::process::id()));
    let _ = std::fs::remove_dir_all(&west);
    let from = dir.join("aws_configs/accounts/804819755326/us-west-1");
    let to = west.join("aws_configs/accounts/804819755326/us-west-1");
    std::fs::create_dir_all(&to).unwrap();
    for entry in std::fs::read_dir(&from).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
    // Batfish's data leaves the route to the peer out on purpose; this is the account's fixed
    // table: 10.10.0.0/16 over the peering attachment.
    let routes = to.join("TransitGatewayStaticRoutes.json");
    let mut v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&routes).unwrap()).unwrap();
    let list = v.pointer_mut("/TransitGatewayStaticRoutes/0/Routes").and_then(|r| r.as_array_mut()).expect("the table's routes");
    list.push(serde_json::json!({
        "DestinationCidrBlock": "10.10.0.0/16",
        "State": "active",
        "Type": "static",
        "TransitGatewayAttachments": [{
            "ResourceId": "tgw-0e20010ebf43d07a2",
            "ResourceType": "peering",
            "TransitGatewayAttachmentId": "tgw-attach-012e5d602f859dd80"
        }]
    }));
    std::fs::write(&routes, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let snapshot = load(&west);
    let a = trace_to(&west, "10.10.1.10:443");
    let r = a.results.iter().find(|r| r.subnet_id.as_str() == "subnet-0080bd39fe3626e89").unwrap();
    assert_eq!(r.verdict, Verdict::Unknown, "{:?}", r.facts);
    let findings = vpcreach::report::all_findings(&snapshot, &a, &[]);
    let f = findings.iter().find(|f| f.code == "VPCR002").expect("a VPCR002 finding");
    assert!(f.message.contains("peer transit gateway tgw-0e20010ebf43d07a2 of account 732168539940 was not exported"), "{}", f.message);
    let _ = std::fs::remove_dir_all(&west);
}
