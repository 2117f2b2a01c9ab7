use std::collections::BTreeSet;

use vpcreach::generate::{generate, Options, SUBNETS_PER_VPC};
use vpcreach::model::{self, Snapshot};
use vpcreach::reachability::{self, services, Analysis, PairResult, Verdict, Workload};
use vpcreach::report;

fn estate(vpcs: usize) -> Snapshot {
    let (text, stats) = generate(Options { vpcs, seed: 1 });
    assert_eq!(stats.vpcs, vpcs + stats.regions);
    model::load_str("generated.json", &text).unwrap_or_else(|e| panic!("the generated estate does not load: {e:?}"))
}

fn stack() -> Vec<&'static services::ServiceSpec> {
    services::STACK_PROFILE.iter().filter_map(|id| services::lookup(id)).collect()
}

fn analyse(snapshot: &Snapshot) -> Analysis {
    let (workloads, _) = reachability::default_workloads(snapshot);
    reachability::analyze(snapshot, &workloads, &stack())
}

fn codes(snapshot: &Snapshot, r: &PairResult) -> BTreeSet<&'static str> {
    report::findings_of(snapshot, r).iter().map(|f| f.code).collect()
}

/// An estate of two regions (251 spokes) loads: each region has its own S3 prefix list, named
/// after its region, which its gateway endpoints' routes use (EP-11 refuses another
/// region's list; the lists of three regions once shared an ID).
#[test]
fn a_multi_region_estate_loads_with_each_regions_s3_list() {
    let snapshot = estate(251);
    let s3_lists: BTreeSet<(&str, Option<&str>)> = snapshot
        .prefix_lists
        .values()
        .map(|p| (p.id.as_str(), p.name.as_deref()))
        .filter(|(_, n)| n.is_some_and(|n| n.ends_with(".s3")))
        .collect();
    assert_eq!(s3_lists.len(), 2, "{s3_lists:?}");
}

/// Services that the hub's interface endpoints do not serve: they leave through a NAT gateway.
const VIA_NAT: &[&str] = &["ecs-agent", "ecs-telemetry", "iam", "s3", "dynamodb", "management-plane"];

#[test]
fn generated_estate_gives_the_designed_verdicts() {
    let snapshot = estate(10);
    let analysis = analyse(&snapshot);
    // 10 spokes × 10 subnets, each in one ECS service, × the 19 services of the stack profile.
    assert_eq!(analysis.results.len(), 10 * SUBNETS_PER_VPC * 19);
    // Spoke 7 is broken on purpose: its task tier's default route is a blackhole, so what is not
    // served by the hub's endpoints (reached over the TGW's 10.0.0.0/8 route) fails.
    let unreachable: BTreeSet<(&str, &str)> =
        analysis.results.iter().filter(|r| r.verdict != Verdict::Reachable).map(|r| (&*r.workload, r.service.id)).collect();
    let expected: BTreeSet<(&str, &str)> = VIA_NAT.iter().map(|s| ("runner-7", *s)).collect();
    assert_eq!(unreachable, expected);
    for r in analysis.results.iter().filter(|r| r.verdict != Verdict::Reachable) {
        assert_eq!(r.verdict, Verdict::Unreachable);
        assert!(codes(&snapshot, r).contains("VPCR102"), "{} {}: {:?}", r.subnet_id, r.service.id, codes(&snapshot, r));
    }
    // Centralized endpoints through the hub's PHZs; the rest through the hub's NAT gateway.
    for r in analysis.results.iter().filter(|r| &*r.workload == "runner-3") {
        let expected = if VIA_NAT.contains(&r.service.id) { "nat_gateway" } else { "vpc_endpoint" };
        let access = serde_json::to_value(r.access_type).unwrap();
        assert_eq!(access, expected, "{} {}", r.subnet_id, r.service.id);
    }
}

#[test]
fn each_kind_of_breakage_is_diagnosed() {
    let snapshot = estate(40);
    let analysis = analyse(&snapshot);
    let of = |workload: &str, service: &str| -> Vec<&PairResult> {
        analysis.results.iter().filter(|r| &*r.workload == workload && r.service.id == service).collect()
    };
    // Spoke 17: the task security group has no egress rule.
    for r in of("runner-17", "secretsmanager") {
        assert_eq!(r.verdict, Verdict::Unreachable);
        assert!(codes(&snapshot, r).contains("VPCR201"), "{:?}", codes(&snapshot, r));
    }
    // Spoke 27: its NACL denies outbound 443 before the allow rules, in every tier.
    for workload in ["runner-27", "api-27", "batch-27", "edge-27"] {
        for r in of(workload, "logs") {
            assert_eq!(r.verdict, Verdict::Unreachable, "{workload}");
            assert!(codes(&snapshot, r).contains("VPCR203"), "{workload}: {:?}", codes(&snapshot, r));
        }
    }
    // Spoke 37: not associated with the hub's private hosted zones, so the endpoint services
    // resolve to public addresses and leave through the hub's NAT gateway instead.
    for r in of("runner-37", "secretsmanager") {
        assert_eq!(r.verdict, Verdict::Reachable);
        assert_eq!(serde_json::to_value(r.access_type).unwrap(), "nat_gateway");
    }
    for r in of("runner-36", "secretsmanager") {
        assert_eq!(serde_json::to_value(r.access_type).unwrap(), "vpc_endpoint");
    }
}

/// The analysis shares work across cores; it must give what a plain walk of each pair, one at
/// a time, gives (issue 7).
#[test]
fn whole_estate_analysis_equals_a_walk_per_pair() {
    let snapshot = estate(40);
    let services = stack();
    let (workloads, _) = reachability::default_workloads(&snapshot);
    let whole = reachability::analyze(&snapshot, &workloads, &services);
    assert!(whole.results.len() >= 7_000, "large enough to be cut across threads");
    let mut i = 0;
    for workload in &workloads {
        for subnet in &workload.subnet_ids {
            for service in &services {
                let single = Workload { subnet_ids: vec![subnet.clone()], ..workload.clone() };
                let alone = reachability::analyze(&snapshot, &[single], &[*service]);
                let (Some(a), Some(b)) = (alone.results.first(), whole.results.get(i)) else { panic!("missing result {i}") };
                assert_eq!(
                    (&a.workload, &a.subnet_id, a.service.id, a.verdict, a.access_type, a.egress, format!("{:?}", a.path)),
                    (&b.workload, &b.subnet_id, b.service.id, b.verdict, b.access_type, b.egress, format!("{:?}", b.path)),
                );
                i += 1;
            }
        }
    }
    assert_eq!(i, whole.results.len());
}

/// The CLI streams the JSON report result by result; it must be the report's exact bytes.
#[test]
fn streamed_json_report_equals_the_built_one() {
    let mut cases: Vec<(String, Snapshot, Analysis)> = Vec::new();
    for name in crate::util::fixture_names() {
        let snapshot = crate::util::load(&crate::util::root().join("fixtures").join(&name).join("snapshot.json"));
        let analysis = crate::util::analyze_fixture(&name, &snapshot);
        cases.push((name, snapshot, analysis));
    }
    let snapshot = estate(10);
    let analysis = analyse(&snapshot);
    // The report writes a subnet's fields once for its consecutive results: here every result
    // shares one workload, VPC and AZ text, so only the subnet tells them apart.
    let mut shared = analysis.clone();
    let (workload, az) = (std::sync::Arc::<str>::from("w"), std::sync::Arc::<str>::from("us-east-1a"));
    let vpc = shared.results.first().and_then(|r| r.vpc_id.clone());
    for r in &mut shared.results {
        (r.workload, r.availability_zone, r.vpc_id) = (workload.clone(), Some(az.clone()), vpc.clone());
    }
    let shared_snapshot = estate(10);
    cases.push(("generated-10".to_owned(), snapshot, analysis));
    cases.push(("generated-10, one AZ text".to_owned(), shared_snapshot, shared));
    assert!(cases.len() > 50);
    for (name, snapshot, analysis) in &cases {
        for ignore in [vec![], vec!["VPCR503".to_owned(), "vpcr102".to_owned()]] {
            let built = serde_json::to_vec_pretty(&report::json_report(snapshot, analysis, &ignore)).unwrap();
            let mut streamed = Vec::new();
            report::write_json_report(snapshot, analysis, &ignore, &mut streamed).unwrap();
            assert!(built == streamed, "{name}: the streamed report differs");
        }
    }
}

fn stack_analysis(snapshot: &Snapshot, sharing: reachability::Sharing) -> Analysis {
    let (workloads, _) = reachability::default_workloads(snapshot);
    reachability::analyze_with(snapshot, &workloads, &stack(), sharing)
}

/// Every field of every result, facts included, in a comparable form.
fn debug_results(analysis: &Analysis) -> Vec<String> {
    analysis.results.iter().map(|r| format!("{r:?}")).chain(analysis.facts.iter().map(|f| format!("{f:?}"))).collect()
}

/// Walks beyond the first TGW table are remembered and replayed across pairs (issue 7); the
/// replay must give what walking every pair on its own gives, facts and all.
#[test]
fn shared_walks_equal_walks_made_alone() {
    let snapshot = estate(40);
    let shared = stack_analysis(&snapshot, reachability::Sharing::On);
    let alone = stack_analysis(&snapshot, reachability::Sharing::Off);
    assert!(shared.results.len() >= 7_000);
    assert_eq!(debug_results(&shared), debug_results(&alone));
}

/// A hub whose NACL refuses one spoke and whose endpoint route table blackholes another's
/// reply: the walk remembered for the earlier spokes must not be replayed for those two.
#[test]
fn a_hub_check_that_differs_for_one_spoke_is_not_replayed() {
    let (text, _) = generate(Options { vpcs: 10, seed: 1 });
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let spoke = |g: usize| {
        let vpc = &doc["Regions"][1]["Vpcs"][g];
        (vpc["VpcId"].as_str().unwrap().to_owned(), vpc["CidrBlock"].as_str().unwrap().to_owned())
    };
    // Spoke 7 is broken by the generator; 6 is healthy, 8 and 9 are broken here, in the hub.
    let ((healthy, _), (refused, refused_cidr), (no_reply, no_reply_cidr)) = (spoke(6), spoke(8), spoke(9));
    let hub = &mut doc["Regions"][0];
    assert!(hub["Vpcs"][0]["CidrBlock"] == "10.200.0.0/16", "the hub comes first");
    let acl = &mut hub["NetworkAcls"][0];
    let acl_id = acl["NetworkAclId"].as_str().unwrap().to_owned();
    acl["Entries"].as_array_mut().unwrap().push(serde_json::json!({
        "CidrBlock": refused_cidr, "Egress": false, "Protocol": "6", "PortRange": {"From": 443, "To": 443},
        "RuleAction": "deny", "RuleNumber": 1
    }));
    let tables = hub["RouteTables"].as_array_mut().unwrap();
    let endpoint_table = tables
        .iter_mut()
        .find(|t| t["Associations"].as_array().unwrap().len() == 3 && t["Routes"].as_array().unwrap().len() == 2)
        .expect("the endpoint subnets' table: local and the spokes over the TGW");
    let tgw = endpoint_table["Routes"][1]["TransitGatewayId"].clone();
    endpoint_table["Routes"].as_array_mut().unwrap().push(serde_json::json!({
        "DestinationCidrBlock": no_reply_cidr, "TransitGatewayId": tgw, "Origin": "CreateRoute", "State": "blackhole"
    }));
    let text = serde_json::to_string(&doc).unwrap();
    let snapshot = model::load_str("hub-broken.json", &text).unwrap_or_else(|e| panic!("{e:?}"));

    let shared = stack_analysis(&snapshot, reachability::Sharing::On);
    assert_eq!(debug_results(&shared), debug_results(&stack_analysis(&snapshot, reachability::Sharing::Off)));
    let of = |vpc: &str, service: &str| -> Vec<&PairResult> {
        shared.results.iter().filter(|r| r.vpc_id.as_ref().is_some_and(|v| v.as_str() == vpc) && r.service.id == service).collect()
    };
    for service in ["secretsmanager", "logs", "ecr.api", "ecr.dkr"] {
        let (ok, refused, no_reply) = (of(&healthy, service), of(&refused, service), of(&no_reply, service));
        assert!(!ok.is_empty() && !refused.is_empty() && !no_reply.is_empty());
        for r in ok {
            assert_eq!(r.verdict, Verdict::Reachable, "{service} from {}", r.subnet_id);
        }
        for r in refused {
            assert_eq!(r.verdict, Verdict::Unreachable, "{service} from {}", r.subnet_id);
            assert!(
                r.facts.iter().any(|f| matches!(f, reachability::Fact::NaclBlocks { acl, .. } if acl.as_str() == acl_id)),
                "{service} from {}: {:?}",
                r.subnet_id,
                r.facts
            );
        }
        for r in no_reply {
            assert_eq!(r.verdict, Verdict::Unreachable, "{service} from {}", r.subnet_id);
            assert!(
                r.facts.iter().any(|f| matches!(f, reachability::Fact::ReturnRouteMissing { destination, .. } if destination.starts_with(no_reply_cidr.split('.').take(2).collect::<Vec<_>>().join(".").as_str()))),
                "{service} from {}: {:?}",
                r.subnet_id,
                r.facts
            );
        }
    }
}

/// A spoke's NACL refuses the address of one endpoint's ENI in the second AZ: the walks to the
/// ENIs a task's path does not show are made once per subnet and address atom, and that NACL
/// entry makes the address an atom of its own, so the refused ENI is still walked (and blamed)
/// after the other endpoints' ENIs in the same hub subnet were reached cleanly.
#[test]
fn an_eni_walk_is_not_skipped_for_an_address_a_nacl_tells_apart() {
    let (text, _) = generate(Options { vpcs: 10, seed: 1 });
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let hub = &doc["Regions"][0];
    // secretsmanager comes after six other hub endpoints in the stack profile.
    let endpoint =
        hub["VpcEndpoints"].as_array().unwrap().iter().find(|e| e["ServiceName"].as_str().unwrap().ends_with(".secretsmanager")).unwrap()
            ["VpcEndpointId"]
            .as_str()
            .unwrap()
            .to_owned();
    let refused_ip = hub["NetworkInterfaces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["Description"].as_str().unwrap().ends_with(&endpoint) && n["AvailabilityZone"] == "us-east-1b")
        .unwrap()["PrivateIpAddress"]
        .as_str()
        .unwrap()
        .to_owned();
    let spokes = &mut doc["Regions"][1];
    let spoke = spokes["Vpcs"][6]["VpcId"].as_str().unwrap().to_owned();
    let acl = spokes["NetworkAcls"].as_array_mut().unwrap().iter_mut().find(|a| a["VpcId"] == spoke.as_str()).unwrap();
    let acl_id = acl["NetworkAclId"].as_str().unwrap().to_owned();
    acl["Entries"].as_array_mut().unwrap().push(serde_json::json!({
        "CidrBlock": format!("{refused_ip}/32"), "Egress": true, "Protocol": "6", "PortRange": {"From": 443, "To": 443},
        "RuleAction": "deny", "RuleNumber": 1
    }));
    let text = serde_json::to_string(&doc).unwrap();
    let snapshot = model::load_str("eni-refused.json", &text).unwrap_or_else(|e| panic!("{e:?}"));

    let shared = stack_analysis(&snapshot, reachability::Sharing::On);
    assert_eq!(debug_results(&shared), debug_results(&stack_analysis(&snapshot, reachability::Sharing::Off)));
    let blames_acl = |f: &reachability::Fact| matches!(f, reachability::Fact::NaclBlocks { acl, .. } if acl.as_str() == acl_id);
    let of = |service: &str| -> Vec<&PairResult> {
        shared.results.iter().filter(|r| r.vpc_id.as_ref().is_some_and(|v| v.as_str() == spoke) && r.service.id == service).collect()
    };
    let (refused, others) = (of("secretsmanager"), of("ssm"));
    assert_eq!(refused.len(), SUBNETS_PER_VPC);
    for r in refused {
        let blamed = r.facts.iter().any(|f| {
            blames_acl(f) || matches!(f, reachability::Fact::EndpointEnisDisagree { causes, .. } if causes.iter().any(blames_acl))
        });
        assert!(blamed, "secretsmanager from {} ({:?}): {:?}", r.subnet_id, r.availability_zone, r.facts);
    }
    for r in others {
        assert_eq!(r.verdict, Verdict::Reachable, "ssm from {}", r.subnet_id);
        assert!(!r.facts.iter().any(blames_acl), "ssm from {}: {:?}", r.subnet_id, r.facts);
    }
}
