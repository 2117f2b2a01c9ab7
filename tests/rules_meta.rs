use std::collections::BTreeSet;

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
        for r in &analysis.results {
            for f in vpcreach::report::findings_of(&snapshot, r) {
                assert!(!f.message.ends_with('.'), "{}: {}", f.code, f.message);
                assert!(!f.message.contains('\n'), "{}: {}", f.code, f.message);
            }
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
