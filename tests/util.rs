use std::path::PathBuf;

use vpcreach::model::{self, Snapshot};
use vpcreach::reachability::{self, services, Analysis};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the repository. Absent on a user's clone: the test prints a note and
/// skips; absent under `CI=true`: the test fails.
pub fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("VPCREACH_SHARED").map(PathBuf::from).unwrap_or_else(|| root().join("../shared"));
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{} is missing, and CI=true requires it", dir.display());
    }
    eprintln!("note: {} not found; skipping tests that need the shared data", dir.display());
    None
}

pub fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("fixtures"))
        .expect("fixtures folder")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("snapshot.json").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

pub fn load(path: &std::path::Path) -> Snapshot {
    model::load_path(path).unwrap_or_else(|e| panic!("{} failed to load: {e:?}", path.display()))
}

pub fn analyze_runner(snapshot: &Snapshot) -> Analysis {
    let (workloads, assumption) = reachability::default_workloads(snapshot);
    let services: Vec<_> = services::RUNNER_PROFILE.iter().filter_map(|id| services::lookup(id)).collect();
    let mut analysis = reachability::analyze(snapshot, &workloads, &services);
    analysis.facts.extend(assumption);
    analysis
}

/// The fixture's extra command-line arguments (`args.json`, a list of strings such as
/// `["--to", "10.2.0.15:5432"]`); none when the file is absent.
pub fn fixture_args(name: &str) -> Vec<String> {
    let path = root().join("fixtures").join(name).join("args.json");
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
        Err(_) => Vec::new(),
    }
}

/// Analyses a fixture as `vpcreach analyze fixtures/<name>/snapshot.json <args.json>` does.
pub fn analyze_fixture(name: &str, snapshot: &Snapshot) -> Analysis {
    analyze_fixture_with(name, snapshot, reachability::Sharing::On)
}

/// [`analyze_fixture`], with walks shared between pairs or not.
pub fn analyze_fixture_with(name: &str, snapshot: &Snapshot, sharing: reachability::Sharing) -> Analysis {
    use clap::Parser;
    let path = format!("fixtures/{name}/snapshot.json");
    let argv = ["vpcreach", "analyze", path.as_str()].into_iter().map(str::to_owned).chain(fixture_args(name));
    let vpcreach::cli::Command::Analyze(args) = vpcreach::cli::Cli::try_parse_from(argv).expect("args.json").command else {
        unreachable!("an analyze command")
    };
    let services = vpcreach::cli::pick_services(&args.selection).expect("services");
    let (workloads, assumption) = vpcreach::cli::pick_workloads(&args.selection, snapshot).expect("workloads");
    let mut analysis = reachability::analyze_with(snapshot, &workloads, &services, sharing);
    analysis.facts.extend(assumption);
    analysis
}
