//! `analyze --format dot`: the paths per workload in Graphviz DOT (`dot -Tsvg`), one cluster
//! per workload. Ids are `[A-Za-z0-9_]`; every label is a quoted string with `\` and `"`
//! escaped and line breaks drawn by `\n`, so snapshot text cannot change the graph.

use std::fmt::Write as _;

use super::{verdict_str, Picture};
use crate::reachability::Verdict;

/// A DOT quoted string, quotes included.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Lines of a label, each escaped, joined by DOT's `\n` escape.
fn label(lines: &[String]) -> String {
    let quoted: Vec<String> = lines.iter().map(|l| quote(l)).collect();
    // Each piece is quoted on its own; strip the inner quotes and join them.
    let inner: Vec<&str> = quoted.iter().map(|q| q.get(1..q.len().saturating_sub(1)).unwrap_or("")).collect();
    format!("\"{}\"", inner.join("\\n"))
}

fn colours(verdict: Verdict) -> (&'static str, &'static str) {
    match verdict {
        Verdict::Reachable => ("#e8f5e9", "#2e7d32"),
        Verdict::Unknown => ("#fff8e1", "#f9a825"),
        Verdict::Unreachable => ("#ffebee", "#c62828"),
    }
}

pub fn render(picture: &Picture) -> String {
    let mut out = String::new();
    out.push_str("digraph vpcreach {\n");
    let title = format!(
        "vpcreach: {}: {} reachable, {} unreachable, {} unknown ({})",
        picture.title, picture.reachable, picture.unreachable, picture.unknown, picture.status
    );
    let _ = writeln!(out, "  graph [rankdir=LR, labelloc=t, fontname=\"Helvetica\", label={}];", quote(&title));
    out.push_str("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
    for (i, w) in picture.workloads.iter().enumerate() {
        let _ = writeln!(out, "  subgraph cluster_{i} {{");
        let _ = writeln!(out, "    label={};", quote(&format!("workload {}", w.name)));
        out.push_str("    style=rounded;\n");
        for n in &w.nodes {
            let (fill, stroke) = colours(n.verdict);
            let shape = if n.kind == "service" { ", shape=ellipse" } else { "" };
            let blocked = if n.is_blocked { ", penwidth=3, style=\"rounded,filled,dashed\"" } else { "" };
            let _ = writeln!(
                out,
                "    {} [label={}, fillcolor=\"{fill}\", color=\"{stroke}\", class=\"{}\"{shape}{blocked}];",
                n.id,
                label(&n.lines),
                verdict_str(n.verdict)
            );
        }
        out.push_str("  }\n");
    }
    for w in &picture.workloads {
        for e in &w.edges {
            let (_, stroke) = colours(e.verdict);
            let mut attrs = vec![format!("color=\"{stroke}\""), format!("class=\"{}\"", verdict_str(e.verdict))];
            match e.verdict {
                Verdict::Reachable => {}
                Verdict::Unknown => attrs.push("style=dashed".to_owned()),
                Verdict::Unreachable if e.is_final => attrs.extend(["arrowhead=tee".to_owned(), "penwidth=2".to_owned()]),
                Verdict::Unreachable => attrs.push("style=dashed".to_owned()),
            }
            if !e.codes.is_empty() {
                attrs.push(format!("label={}", quote(&e.codes.join(", "))));
                attrs.push(format!("fontcolor=\"{stroke}\""));
            }
            let _ = writeln!(out, "  {} -> {} [{}];", e.from, e.to, attrs.join(", "));
        }
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_backslashes_are_escaped() {
        assert_eq!(quote("a\"b\\c\nd"), "\"a\\\"b\\\\c d\"");
        assert_eq!(label(&["x\"".to_owned(), "y".to_owned()]), "\"x\\\"\\ny\"");
    }
}
