//! Organisation-scale benchmarks (issue 7): generated estates of 10, 100 and 1,000 spoke VPCs
//! (10 subnets each, the stack profile's 19 services), timed phase by phase, with the bare
//! `serde_json::Value` parse of the same file as the baseline. Run with
//! `cargo bench --no-default-features --bench scale`; figures and memory in benches/README.md.

use std::sync::OnceLock;

use divan::counter::BytesCount;
use divan::Bencher;
use vpcreach::generate::{generate, Options};
use vpcreach::model::{self, Snapshot};
use vpcreach::reachability::{self, services, ServiceSpec};

fn main() {
    divan::main();
}

const SIZES: &[usize] = &[10, 100, 1000];

fn text(vpcs: usize) -> &'static str {
    static TEXTS: [OnceLock<String>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let slot = SIZES.iter().position(|&s| s == vpcs).and_then(|i| TEXTS.get(i)).expect("a benchmarked size");
    slot.get_or_init(|| generate(Options { vpcs, seed: 1 }).0)
}

fn snapshot(vpcs: usize) -> &'static Snapshot {
    static SNAPSHOTS: [OnceLock<Snapshot>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let slot = SIZES.iter().position(|&s| s == vpcs).and_then(|i| SNAPSHOTS.get(i)).expect("a benchmarked size");
    slot.get_or_init(|| model::load_str("estate.json", text(vpcs)).expect("the generated estate loads"))
}

fn stack() -> Vec<&'static ServiceSpec> {
    services::STACK_PROFILE.iter().filter_map(|id| services::lookup(id)).collect()
}

/// Baseline: the same file parsed into a `serde_json::Value` and nothing else.
#[divan::bench(args = SIZES, sample_count = 3, sample_size = 1)]
fn parse_value(bencher: Bencher, vpcs: usize) {
    let text = text(vpcs);
    bencher.counter(BytesCount::of_str(text)).bench(|| serde_json::from_str::<serde_json::Value>(text).expect("JSON"));
}

/// Parse, validate and build the snapshot model (there is no separate graph-building phase:
/// the model's indexes are the graph).
#[divan::bench(args = SIZES, sample_count = 3, sample_size = 1)]
fn load(bencher: Bencher, vpcs: usize) {
    let text = text(vpcs);
    bencher.counter(BytesCount::of_str(text)).bench(|| model::load_str("estate.json", text).expect("loads"));
}

/// Every workload subnet × the stack profile, on a loaded snapshot.
#[divan::bench(args = SIZES, sample_count = 3, sample_size = 1)]
fn analyse(bencher: Bencher, vpcs: usize) {
    let snapshot = snapshot(vpcs);
    let services = stack();
    let (workloads, _) = reachability::default_workloads(snapshot);
    bencher.bench(|| reachability::analyze(snapshot, &workloads, &services));
}

/// Read (from memory), parse, validate, analyse and write the JSON report (to a sink, streamed as
/// the CLI does). The snapshot and analysis are returned, so freeing them is not timed, as the
/// baseline's returned `Value` is freed untimed.
#[divan::bench(args = SIZES, sample_count = 3, sample_size = 1)]
fn end_to_end(bencher: Bencher, vpcs: usize) {
    let text = text(vpcs);
    let services = stack();
    bencher.counter(BytesCount::of_str(text)).bench(|| {
        let snapshot = model::load_str("estate.json", text).expect("loads");
        let (workloads, _) = reachability::default_workloads(&snapshot);
        let analysis = reachability::analyze(&snapshot, &workloads, &services);
        vpcreach::report::write_json_report(&snapshot, &analysis, &[], std::io::sink()).expect("written");
        (snapshot, analysis)
    });
}
