use std::path::Path;

use assert_cmd::Command;
use vpcreach::pictures;

use crate::util::*;

/// The two fixtures with golden pictures: a working hub-and-spoke path and a blocked one.
const GOLDEN: [&str; 2] = ["hub-egress", "igw-route-no-public-ip"];

fn relative(name: &str) -> std::path::PathBuf {
    Path::new("fixtures").join(name).join("snapshot.json")
}

fn picture(name: &str) -> pictures::Picture {
    let snapshot = load(&relative(name));
    let analysis = analyze_fixture(name, &snapshot);
    pictures::picture(&snapshot, &analysis, &[])
}

/// Golden Mermaid and DOT pictures (reviewed when regenerated, see tests/snapshots/).
#[test]
fn golden_pictures() {
    for name in GOLDEN {
        let picture = picture(name);
        insta::assert_snapshot!(format!("{name}.mermaid"), pictures::mermaid::render(&picture));
        insta::assert_snapshot!(format!("{name}.dot"), pictures::dot::render(&picture));
    }
}

/// The blocked hop of igw-route-no-public-ip: the internet gateway, then a cross to each service
/// labelled with the code; the working one has no blocked hop and no code.
#[test]
fn blocked_hop_carries_the_code() {
    let blocked = picture("igw-route-no-public-ip");
    let mermaid = pictures::mermaid::render(&blocked);
    assert_eq!(mermaid.matches("w0_igw_03643e2353b5c8709 --x|\"VPCR103\"| w0_svc_").count(), 5, "{mermaid}");
    assert!(mermaid.contains("class w0_igw_03643e2353b5c8709 blocked\n"), "{mermaid}");
    let dot = pictures::dot::render(&blocked);
    assert_eq!(dot.matches("arrowhead=tee, penwidth=2, label=\"VPCR103\"").count(), 5, "{dot}");

    let working = picture("hub-egress");
    let mermaid = pictures::mermaid::render(&working);
    assert!(!mermaid.contains("--x") && !mermaid.contains("VPCR") && !mermaid.contains("blocked\n"), "{mermaid}");
    // The path crosses the transit gateway to the NAT in the egress VPC.
    for hop in ["w0_tgw_056bef46315d34f3c", "w0_nat_09ece6dc7c2410f29", "w0_igw_09f5766b875df0cf0"] {
        assert!(mermaid.contains(&format!("  {hop}[")), "{hop}: {mermaid}");
    }
}

/// Ids keep to `[A-Za-z0-9_]` and labels to quoted strings on every fixture, whatever the names.
#[test]
fn mermaid_ids_and_labels_are_safe_on_every_fixture() {
    for name in fixture_names() {
        let mermaid = pictures::mermaid::render(&picture(&name));
        for line in mermaid.lines().skip(1) {
            // Outside quoted labels, only ids, arrows, keywords and styles.
            let outside: String = line.split('"').step_by(2).collect();
            assert!(
                outside.chars().all(|c| c.is_ascii_alphanumeric() || " _-.>|[]()#:,;%".contains(c)),
                "{name}: unexpected character in {line:?}"
            );
            assert_eq!(line.matches('"').count() % 2, 0, "{name}: unbalanced quotes in {line:?}");
        }
    }
}

/// `dot` accepts every fixture's graph (when Graphviz is installed; `.ci/run` does not need it).
#[test]
fn dot_output_is_accepted_by_graphviz() {
    if std::process::Command::new("dot").arg("-V").output().is_err() {
        eprintln!("note: graphviz `dot` not installed; skipping");
        return;
    }
    for name in fixture_names() {
        let dot = pictures::dot::render(&picture(&name));
        let out = Command::new("dot").arg("-Tsvg").write_stdin(dot).output().unwrap();
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stderr).is_empty(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

/// The three formats through the binary: same exit codes as the other formats, same bytes twice.
#[test]
fn picture_formats_through_the_binary() {
    for (format, start) in [("mermaid", "%% vpcreach: "), ("dot", "digraph vpcreach {"), ("html", "<!DOCTYPE html>")] {
        let run = |fixture: &str| Command::cargo_bin("vpcreach").unwrap().args(["analyze", fixture, "--format", format]).output().unwrap();
        let ready = run("fixtures/hub-egress/snapshot.json");
        assert_eq!(ready.status.code(), Some(0), "{format}");
        assert!(String::from_utf8_lossy(&ready.stdout).starts_with(start), "{format}");
        let degraded = run("fixtures/igw-route-no-public-ip/snapshot.json");
        assert_eq!(degraded.status.code(), Some(1), "{format}");
        assert_eq!(degraded.stdout, run("fixtures/igw-route-no-public-ip/snapshot.json").stdout, "{format}: deterministic");
    }
}

/// `--ignore` leaves the code out of the pictures as it does of the JSON report.
#[test]
fn ignored_codes_leave_the_pictures() {
    let out = Command::cargo_bin("vpcreach")
        .unwrap()
        .args(["analyze", "fixtures/igw-route-no-public-ip/snapshot.json", "--format", "html", "--ignore", "VPCR103"])
        .output()
        .unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(!html.contains("VPCR103"));
    assert_eq!(html.matches("<td class=\"cell v-unreachable").count(), 10);
}

/// The README's Mermaid example is the output of the command it names, as it prints today.
#[test]
fn readme_mermaid_example_is_current() {
    let out = Command::cargo_bin("vpcreach")
        .unwrap()
        .args([
            "analyze",
            "fixtures/igw-route-no-public-ip/snapshot.json",
            "--format",
            "mermaid",
            "--service",
            "logs",
            "--subnet",
            "subnet-043f5b747573b8685",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let mermaid = String::from_utf8(out.stdout).unwrap();
    assert!(mermaid.contains("--x|\"VPCR103\"| w0_svc_logs"), "{mermaid}");
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(readme.contains(&format!("```mermaid\n{mermaid}```\n")), "README.md's Mermaid example is stale: paste\n{mermaid}");
}

/// A name with quotes, a backslash, markup and a newline escape stays one label in DOT (and in
/// Mermaid), and Graphviz draws it as that text.
#[test]
fn hostile_names_stay_labels() {
    let hostile = "x\"]; evil [label=\"y\\\\n<b>#quot;`|</b>\nend";
    let text = std::fs::read_to_string(root().join("fixtures/igw-route-no-public-ip/snapshot.json"))
        .unwrap()
        .replace("\"igw-route-no-public-ip-public-a\"", &serde_json::to_string(hostile).unwrap());
    let snapshot = vpcreach::model::load_str("hostile.json", &text).unwrap();
    let analysis = analyze_runner(&snapshot);
    let picture = pictures::picture(&snapshot, &analysis, &[]);
    let dot = pictures::dot::render(&picture);
    assert!(dot.contains(r#"\nx\"]; evil [label=\"y\\\\n<b>#quot;`|</b> end\n"#), "{dot}");
    assert!(!dot.contains("\nevil") && !dot.contains(" evil [label=\"y\\\\n<b>#quot;`|</b>\nend"), "{dot}");
    let mermaid = pictures::mermaid::render(&picture);
    assert!(mermaid.contains("<br/>x#quot;]; evil [label=#quot;y#92;#92;n#lt;b#gt;#35;quot;#96;#124;#lt;/b#gt; end<br/>"), "{mermaid}");
    if std::process::Command::new("dot").arg("-V").output().is_err() {
        eprintln!("note: graphviz `dot` not installed; skipping the drawing");
        return;
    }
    let out = Command::new("dot").arg("-Tsvg").write_stdin(dot).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let svg = String::from_utf8(out.stdout).unwrap();
    assert!(svg.contains("x&quot;]; evil [label=&quot;y\\\\n&lt;b&gt;#quot;`|&lt;/b&gt; end"), "{svg}");
    assert!(!svg.contains("<b>"));
}
