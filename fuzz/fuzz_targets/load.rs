//! Snapshot loading on arbitrary bytes: parse, validate, and render every error as the CLI does
//! (miette excerpts included). Must never panic, hang or allocate without bound.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vpcreach::report::{self, HumanOptions};

fuzz_target!(|data: &[u8]| {
    match vpcreach::model::load_bytes("fuzz.json", data.to_vec()) {
        Ok(snapshot) => {
            // The loader's warnings (ignored keys, byte-order mark) render like an analysis.
            let analysis = vpcreach::reachability::analyze(&snapshot, &[], &[]);
            let _ = report::human_report(&snapshot, &analysis, &[], HumanOptions { color: false, width: 80 });
        }
        Err(error) => {
            let _ = report::render_load_error(&error, HumanOptions { color: true, width: 80 });
        }
    }
});
