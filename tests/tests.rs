//! All integration tests in one binary (STYLE: one `mod` per area).

/// Real AWS CLI outputs from Batfish's test data (../shared, skipped when absent).
mod batfish;
/// The binary end to end: exit codes, formats, bad input.
mod cli;
/// `vpcreach diff`: regressions, formats, goldens of the what-if pairs.
mod diff;
/// `vpcreach snapshot` against a local moto server (started by .ci/run).
#[cfg(feature = "aws")]
mod exporter;
/// Every bundled fixture: hand-written expectations and golden reports.
mod fixtures;
/// The invalid-input corpus: fixtures/invalid/cases.json, every bad input run through the binary
/// with a timeout (exit code, no panic, message, location).
mod invalid;
/// Folder layouts with route search answers, and the `Regions` form.
mod layouts;
/// What-if overlays (fixtures/what-if/): merge by resource ID, `Delete`, locations.
mod overlays;
/// `--format mermaid`, `dot` and `html`: goldens, escaping, Graphviz when installed.
mod pictures;
/// The rules catalogue: codes unique, documentation complete, a firing and a near-miss fixture
/// per rule (fixtures/rules.json), goldens for every fixture.
mod rules_meta;
/// Generated estates (`vpcreach generate`): designed verdicts, and the whole analysis equal to
/// a walk per pair.
mod scale;
/// `vpcreach test DIR`: the fixtures' own expectations, failures, bad input, JUnit.
mod test_cmd;
/// Helpers: paths, the shared folder, running the library.
mod util;
