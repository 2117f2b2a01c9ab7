//! `analyze --format mermaid`: the paths per workload as a Mermaid flowchart that GitHub
//! renders in Markdown (a ```` ```mermaid ```` block) and in `.mmd` files.
//!
//! Ids are `[A-Za-z0-9_]` and start with a letter (never a keyword such as `end`, never
//! readable as an edge head such as `o…`/`x…` after an arrow). Every label is a quoted string
//! whose special characters are Mermaid entity codes (`#quot;`, `#35;`, …), so names and
//! messages from the snapshot cannot break the syntax or inject markup.

use std::fmt::Write as _;

use super::{verdict_str, Edge, Picture};
use crate::reachability::Verdict;

/// A string inside `"…"` in Mermaid: quotes, markup and Mermaid's own specials become entity
/// codes, line breaks become spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#amp;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '`' => out.push_str("#96;"),
            '|' => out.push_str("#124;"),
            '\\' => out.push_str("#92;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A quoted label made of lines (escaped, joined by `<br/>`).
fn label(lines: &[String]) -> String {
    let escaped: Vec<String> = lines.iter().map(|l| escape(l)).collect();
    format!("\"{}\"", escaped.join("<br/>"))
}

/// The arrow of an edge: solid when reachable, dotted when unknown, a cross where a path that
/// is not reachable stops.
fn arrow(edge: &Edge) -> &'static str {
    match (edge.verdict, edge.is_final) {
        (Verdict::Reachable, _) => "-->",
        (Verdict::Unreachable, true) => "--x",
        _ => "-.->",
    }
}

fn colour(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Reachable => "#2e7d32",
        Verdict::Unknown => "#f9a825",
        Verdict::Unreachable => "#c62828",
    }
}

pub fn render(picture: &Picture) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "%% vpcreach: {}: {} reachable, {} unreachable, {} unknown ({})",
        escape(&picture.title),
        picture.reachable,
        picture.unreachable,
        picture.unknown,
        picture.status
    );
    out.push_str("flowchart LR\n");
    for w in &picture.workloads {
        let _ = writeln!(out, "  subgraph {}[{}]", w.id, label(&[format!("workload {}", w.name)]));
        out.push_str("    direction LR\n");
        for n in &w.nodes {
            // Services are drawn as stadiums, resources as boxes.
            let (open, close) = if n.kind == "service" { ("([", "])") } else { ("[", "]") };
            let _ = writeln!(out, "    {}{open}{}{close}", n.id, label(&n.lines));
        }
        out.push_str("  end\n");
    }
    let mut link_styles: Vec<(Verdict, bool, usize)> = Vec::new();
    let mut index = 0;
    for w in &picture.workloads {
        for e in &w.edges {
            if e.codes.is_empty() {
                let _ = writeln!(out, "  {} {} {}", e.from, arrow(e), e.to);
            } else {
                let _ = writeln!(out, "  {} {}|{}| {}", e.from, arrow(e), label(&[e.codes.join(", ")]), e.to);
            }
            link_styles.push((e.verdict, e.is_final && e.verdict != Verdict::Reachable, index));
            index += 1;
        }
    }
    out.push_str("  classDef reachable fill:#e8f5e9,stroke:#2e7d32,color:#1b5e20\n");
    out.push_str("  classDef unknown fill:#fff8e1,stroke:#f9a825,color:#4e342e\n");
    out.push_str("  classDef unreachable fill:#ffebee,stroke:#c62828,color:#b71c1c\n");
    out.push_str("  classDef blocked stroke:#c62828,stroke-width:3px,stroke-dasharray:5 3\n");
    for verdict in [Verdict::Reachable, Verdict::Unknown, Verdict::Unreachable] {
        let ids: Vec<&str> =
            picture.workloads.iter().flat_map(|w| &w.nodes).filter(|n| n.verdict == verdict).map(|n| n.id.as_str()).collect();
        if !ids.is_empty() {
            let _ = writeln!(out, "  class {} {}", ids.join(","), verdict_str(verdict));
        }
    }
    let blocked: Vec<&str> = picture.workloads.iter().flat_map(|w| &w.nodes).filter(|n| n.is_blocked).map(|n| n.id.as_str()).collect();
    if !blocked.is_empty() {
        let _ = writeln!(out, "  class {} blocked", blocked.join(","));
    }
    for verdict in [Verdict::Reachable, Verdict::Unknown, Verdict::Unreachable] {
        for is_stop in [false, true] {
            let indices: Vec<String> =
                link_styles.iter().filter(|(v, s, _)| *v == verdict && *s == is_stop).map(|(_, _, i)| i.to_string()).collect();
            if !indices.is_empty() {
                let width = if is_stop { 3 } else { 2 };
                let _ = writeln!(out, "  linkStyle {} stroke:{},stroke-width:{width}px", indices.join(","), colour(verdict));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_cannot_break_out_of_their_quotes() {
        let escaped = escape("a\"b<script>#x;`|\\\nend");
        assert_eq!(escaped, "a#quot;b#lt;script#gt;#35;x;#96;#124;#92; end");
        assert!(!escaped.contains('"') && !escaped.contains('<') && !escaped.contains('\n'));
    }
}
