use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use vpcreach::rules::RULES;

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let mut codes = BTreeSet::new();
    let mut names = BTreeSet::new();
    for rule in RULES {
        assert!(codes.insert(rule.code), "duplicate code {}", rule.code);
        assert!(names.insert(rule.name), "duplicate name {}", rule.name);
        assert!(
            rule.code.len() == 7 && rule.code.starts_with("VPCR") && rule.code[4..].chars().all(|c| c.is_ascii_digit()),
            "{}",
            rule.code
        );
        assert!(rule.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{} is not kebab-case", rule.name);
        assert!(
            !rule.summary.ends_with('.') && rule.summary.chars().next().is_some_and(|c| !c.is_uppercase()),
            "{}: summary style",
            rule.code
        );
    }
}

#[test]
fn every_rule_is_documented() {
    for rule in RULES {
        assert!(!rule.explanation.contains("\\\""), "{}: a doc comment has an escaped quote", rule.code);
        for section in ["## What it checks", "## Why it matters", "## Example", "## How to fix"] {
            assert!(rule.explanation.contains(section), "{} lacks {section}", rule.code);
        }
    }
}

/// Messages are one lowercase factual statement without a final period (STYLE).
#[test]
fn messages_follow_the_style() {
    let root = crate::util::root();
    for name in crate::util::fixture_names() {
        let snapshot = crate::util::load(&root.join("fixtures").join(&name).join("snapshot.json"));
        let analysis = crate::util::analyze_fixture(&name, &snapshot);
        // Every finding, per result and about the whole run: one sentence, located in the
        // snapshot, with a fix (issue 4: "each finding … labels … help").
        for f in vpcreach::report::all_findings(&snapshot, &analysis, &[]) {
            assert!(!f.message.ends_with('.'), "{name}: {}: {}", f.code, f.message);
            assert!(!f.message.contains('\n'), "{name}: {}: {}", f.code, f.message);
            assert!(!f.labels.is_empty(), "{name}: {} has no location in the snapshot: {}", f.code, f.message);
            assert!(f.help.as_deref().is_some_and(|h| !h.is_empty()), "{name}: {} has no help: {}", f.code, f.message);
        }
    }
}

/// The registry is a list in code order, and each block holds its own topic (STYLE): 0xx snapshot
/// integrity, 1xx routing and gateways, 2xx security groups and NACLs, 3xx endpoints and DNS, 4xx
/// transit gateway and peering, 5xx cost and hygiene.
#[test]
fn rules_are_listed_in_code_order() {
    let codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    assert_eq!(codes, sorted);
    for rule in RULES {
        let about = format!("{} {} {}", rule.name, rule.summary, rule.explanation).to_lowercase();
        if rule.code.starts_with("VPCR4") {
            assert!(
                ["transit gateway", "peering", "return"].iter().any(|w| about.contains(w)),
                "{} is in the transit gateway and peering block but does not mention either",
                rule.code
            );
        }
    }
}

/// The README's catalogue block is `vpcreach rules` as it prints today.
#[test]
fn readme_lists_the_current_catalogue() {
    let mut out = Vec::new();
    let cli = vpcreach::cli::Cli { command: vpcreach::cli::Command::Rules { format: vpcreach::cli::RulesFormat::Human } };
    vpcreach::cli::run(cli, &mut out, &mut Vec::new());
    let listing = String::from_utf8(out).unwrap();
    let readme = std::fs::read_to_string(crate::util::root().join("README.md")).unwrap();
    assert!(readme.contains(&listing), "README.md's rules block is stale: paste the output of `vpcreach rules`");
}

/// `fixtures/rules.json`: for each rule code, `{"fires": <fixture>, "passes": <fixture>}`.
fn rule_fixtures() -> BTreeMap<String, (String, String)> {
    let path = crate::util::root().join("fixtures/rules.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let entries: BTreeMap<String, Value> = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    entries
        .into_iter()
        .map(|(code, entry)| {
            let field = |key: &str| {
                entry[key].as_str().map(str::to_owned).unwrap_or_else(|| panic!("fixtures/rules.json: {code} lacks a `{key}` fixture name"))
            };
            let pair = (field("fires"), field("passes"));
            (code, pair)
        })
        .collect()
}

/// Every diagnostic code in the fixture's JSON report: per result and about the snapshot as a
/// whole. `None` when there is no such fixture.
fn report_codes(name: &str) -> Option<BTreeSet<String>> {
    let path = crate::util::root().join("fixtures").join(name).join("snapshot.json");
    if !path.is_file() {
        return None;
    }
    let snapshot = crate::util::load(&path);
    let analysis = crate::util::analyze_fixture(name, &snapshot);
    let report = serde_json::to_value(vpcreach::report::json_report(&snapshot, &analysis, &[])).unwrap();
    let results = report["results"].as_array().into_iter().flatten();
    let diagnostics = results
        .flat_map(|r| r["diagnostics"].as_array().into_iter().flatten())
        .chain(report["diagnostics"].as_array().into_iter().flatten());
    Some(diagnostics.filter_map(|d| d["code"].as_str().map(str::to_owned)).collect())
}

/// The catalogue and `fixtures/rules.json` list the same codes.
#[test]
fn every_rule_has_a_fixture_pair() {
    let listed = rule_fixtures();
    let known: BTreeSet<&str> = RULES.iter().map(|r| r.code).collect();
    let missing: Vec<&str> = known.iter().copied().filter(|c| !listed.contains_key(*c)).collect();
    let unknown: Vec<&str> = listed.keys().map(String::as_str).filter(|c| !known.contains(c)).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "fixtures/rules.json is out of date: rules without an entry {missing:?}; entries for codes that are not rules {unknown:?}"
    );
}

/// Each rule fires in its `fires` fixture and stays silent in its `passes` near miss.
#[test]
fn each_rule_fires_in_its_fixture_and_not_in_its_near_miss() {
    let mut reports: BTreeMap<String, Option<BTreeSet<String>>> = BTreeMap::new();
    let mut failures = Vec::new();
    for (code, (fires, passes)) in rule_fixtures() {
        if fires == passes {
            failures.push(format!("{code}: `fires` and `passes` are the same fixture, {fires}"));
            continue;
        }
        for (name, should_fire) in [(&fires, true), (&passes, false)] {
            let codes = reports.entry(name.clone()).or_insert_with(|| report_codes(name));
            match codes {
                None => failures.push(format!("{code}: fixture {name} does not exist")),
                Some(codes) if codes.contains(&code) != should_fire => failures.push(format!(
                    "{code}: {} in {name}, whose report has {codes:?}",
                    if should_fire { "does not fire" } else { "fires in the near miss" }
                )),
                Some(_) => {}
            }
        }
    }
    assert!(failures.is_empty(), "fixtures/rules.json does not hold:\n{}", failures.join("\n"));
}

/// Every golden report in tests/snapshots/ belongs to a fixture, and every fixture has both.
#[test]
fn goldens_match_the_fixtures() {
    let fixtures: BTreeSet<String> = crate::util::fixture_names().into_iter().collect();
    let mut goldens: BTreeSet<(String, String)> = BTreeSet::new();
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(crate::util::root().join("tests/snapshots")).expect("tests/snapshots") {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        // insta's pending reviews, and the `vpcreach diff` goldens of the what-if pairs
        // (tests/diff.rs): not fixture reports.
        if file.ends_with(".snap.new") || file.ends_with(".pending-snap") || file.starts_with("tests__diff__") {
            continue;
        }
        // Pictures of some fixtures (tests/pictures.rs): the fixture must exist.
        if let Some(rest) = file.strip_prefix("tests__pictures__").and_then(|r| r.strip_suffix(".snap")) {
            match rest.rsplit_once('.').filter(|(_, kind)| matches!(*kind, "mermaid" | "dot")) {
                Some((name, _)) if fixtures.contains(name) => {}
                _ => failures
                    .push(format!("{file} is not a picture golden of a fixture (tests__pictures__<name>.mermaid.snap or .dot.snap)")),
            }
            continue;
        }
        let Some(rest) = file.strip_prefix("tests__fixtures__").and_then(|r| r.strip_suffix(".snap")) else {
            failures.push(format!("{file} is not a fixture golden (tests__fixtures__<name>.json.snap or .human.snap)"));
            continue;
        };
        let Some((name, kind)) = rest.rsplit_once('.').filter(|(_, kind)| matches!(*kind, "json" | "human")) else {
            failures.push(format!("{file} is neither a .json nor a .human golden"));
            continue;
        };
        if !fixtures.contains(name) {
            failures.push(format!("{file} belongs to no fixture (no fixtures/{name}/snapshot.json)"));
        }
        goldens.insert((name.to_owned(), kind.to_owned()));
    }
    for name in &fixtures {
        for kind in ["json", "human"] {
            if !goldens.contains(&(name.clone(), kind.to_owned())) {
                failures.push(format!("fixture {name} has no golden tests__fixtures__{name}.{kind}.snap"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
