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
        assert!(s3.path.iter().any(|h| h.resource_id == "vpce-0b7357542bb7b83ec"));
        assert_eq!(result(&a, subnet, "logs").verdict, Verdict::Unreachable);
    }
}

/// The multi-account folder has no InternetGateways file: what depends on it is unknown,
/// never guessed.
#[test]
fn multi_account_folder_is_unknown_where_data_is_missing() {
    let Some(dir) = folder("test-transit-gateway-multi-account") else { return };
    let snapshot = load(&dir);
    assert_eq!(snapshot.scopes.iter().filter_map(|s| s.account.as_deref()).collect::<std::collections::BTreeSet<_>>().len(), 2);
    let a = analyze_runner(&snapshot);
    assert!(a.results.iter().all(|r| r.verdict == Verdict::Unknown));
    assert!(a
        .results
        .iter()
        .all(|r| r.facts.iter().any(|f| matches!(f, vpcreach::reachability::Fact::NotCaptured { key, .. } if key == "InternetGateways"))));
}
