//! Issue 7's end-to-end ratio measured with the baseline and the run interleaved, round by
//! round, in one process (divan times each benchmark's samples one after the other, so a drift
//! of the machine's speed between them moves the ratio). Each round parses the file into a
//! `serde_json::Value`, then loads, analyses (stack profile) and writes the JSON report to a
//! sink, as `benches/scale.rs`'s `end_to_end` does; each phase is timed.
//!
//! ```sh
//! cargo run --release --no-default-features --example interleaved -- /tmp/g1000.json 8
//! ```
//! (`vpcreach generate --vpcs 1000 -o /tmp/g1000.json` makes the file.) Figures in
//! benches/README.md.

use std::time::{Duration, Instant};

use vpcreach::model;
use vpcreach::reachability::{self, services, ServiceSpec};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: interleaved FILE [ROUNDS]")?;
    let rounds: usize = args.next().map_or(Ok(8), |r| r.parse())?;
    let text = std::fs::read_to_string(&path)?;
    let services: Vec<&'static ServiceSpec> = services::STACK_PROFILE.iter().filter_map(|id| services::lookup(id)).collect();
    let mut rows: Vec<[Duration; 5]> = Vec::new();
    println!("round     parse      load   analyse    report  end to end  ratio");
    for round in 1..=rounds {
        let start = Instant::now();
        let value: serde_json::Value = serde_json::from_str(&text)?;
        let parse = start.elapsed();
        drop(value);
        let start = Instant::now();
        let snapshot = model::load_str(&path, &text).map_err(|e| format!("{e:?}"))?;
        let loaded = start.elapsed();
        let (workloads, _) = reachability::default_workloads(&snapshot);
        let analysis = reachability::analyze(&snapshot, &workloads, &services);
        let analysed = start.elapsed();
        vpcreach::report::write_json_report(&snapshot, &analysis, &[], std::io::sink())?;
        let total = start.elapsed();
        // Freed outside the timing, as divan frees what a benchmark returns.
        drop((snapshot, analysis, workloads));
        let row = [parse, loaded, analysed - loaded, total - analysed, total];
        println!("{round:5} {} {:6.2}×", columns(&row), total.as_secs_f64() / parse.as_secs_f64());
        rows.push(row);
    }
    let pick = |f: fn(&mut [Duration]) -> Duration| -> [Duration; 5] {
        std::array::from_fn(|i| f(&mut rows.iter().map(|r| r[i]).collect::<Vec<_>>()))
    };
    for (name, row) in [("median", pick(median)), ("fastest", pick(fastest))] {
        println!("{name:7}{} {:6.2}×", columns(&row), row[4].as_secs_f64() / row[0].as_secs_f64());
    }
    Ok(())
}

fn columns(row: &[Duration; 5]) -> String {
    row.iter().map(|d| format!(" {:7.1} ms", d.as_secs_f64() * 1e3)).collect::<Vec<_>>().join("")
}

fn median(values: &mut [Duration]) -> Duration {
    values.sort();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

fn fastest(values: &mut [Duration]) -> Duration {
    values.iter().min().copied().unwrap_or_default()
}
