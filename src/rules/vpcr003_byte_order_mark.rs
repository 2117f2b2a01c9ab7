//! VPCR003 byte-order-mark: the snapshot file starts with a byte-order mark.

use super::declare::declare_rule;
use super::{Cx, Finding};
use crate::model::*;

declare_rule! {
    /// ## What it checks
    /// A UTF-8 byte-order mark at the start of a snapshot file, as Windows PowerShell's `Out-File`
    /// writes.
    ///
    /// ## Why it matters
    /// JSON forbids it and most parsers reject the file; vpcreach skips it and says so, so the same
    /// file does not surprise another tool.
    ///
    /// ## Example
    /// ```json
    /// \u{feff}{ "Vpcs": [] }
    /// ```
    ///
    /// ## How to fix
    /// Write the file without a BOM (`Out-File -Encoding utf8NoBOM`, or `aws … > file.json` from a
    /// POSIX shell).
    code: "VPCR003", name: "byte-order-mark", severity: Info, summary: "the snapshot file starts with a byte-order mark",
}

pub(crate) fn finding(cx: &Cx<'_>, source: SourceId) -> Finding {
    let name = cx.snapshot.source(source).map_or("the snapshot", |s| s.name.as_str());
    Finding::new(&RULE, format!("{name} starts with a byte-order mark, which was skipped"))
        .label(Some(Span::new(source, 0, 1)), "byte-order mark")
        .help("save the file as UTF-8 without a BOM")
}
