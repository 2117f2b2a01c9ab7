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
        analysis.results.iter().filter(|r| r.verdict != Verdict::Reachable).map(|r| (r.workload.as_str(), r.service.id)).collect();
    let expected: BTreeSet<(&str, &str)> = VIA_NAT.iter().map(|s| ("runner-7", *s)).collect();
    assert_eq!(unreachable, expected);
    for r in analysis.results.iter().filter(|r| r.verdict != Verdict::Reachable) {
        assert_eq!(r.verdict, Verdict::Unreachable);
        assert!(codes(&snapshot, r).contains("VPCR102"), "{} {}: {:?}", r.subnet_id, r.service.id, codes(&snapshot, r));
    }
    // Centralized endpoints through the hub's PHZs; the rest through the hub's NAT gateway.
    for r in analysis.results.iter().filter(|r| r.workload == "runner-3") {
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
        analysis.results.iter().filter(|r| r.workload == workload && r.service.id == service).collect()
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
    cases.push(("generated-10".to_owned(), snapshot, analysis));
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
