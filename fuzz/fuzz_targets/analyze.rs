//! Load and analyse arbitrary bytes: every workload (or every subnet when there are none) against
//! the stack profile and two `--to` destinations, then every output format. Must never panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use vpcreach::reachability::{self, services, ServiceSpec};
use vpcreach::report::{self, HumanOptions};

fn service_list() -> &'static [&'static ServiceSpec] {
    static LIST: OnceLock<Vec<&'static ServiceSpec>> = OnceLock::new();
    LIST.get_or_init(|| {
        let mut list: Vec<&'static ServiceSpec> = services::STACK_PROFILE.iter().filter_map(|id| services::lookup(id)).collect();
        for to in ["10.0.1.10:5432", "db.example.internal:5432"] {
            if let Ok(spec) = services::custom_target(to) {
                list.push(spec);
            }
        }
        list
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(snapshot) = vpcreach::model::load_bytes("fuzz.json", data.to_vec()) else {
        return;
    };
    let (workloads, assumption) = reachability::default_workloads(&snapshot);
    let mut analysis = reachability::analyze(&snapshot, &workloads, service_list());
    analysis.facts.extend(assumption);
    let json = report::json_report(&snapshot, &analysis, &[]);
    let _ = serde_json::to_string(&json);
    let _ = report::human_report(&snapshot, &analysis, &[], HumanOptions { color: false, width: 100 });
    let _ = serde_json::to_string(&vpcreach::sarif::sarif_log(&snapshot, &analysis, &[]));
});
