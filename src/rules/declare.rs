//! The rule declaration macro and the plain-data finding types.

use serde::Serialize;

use crate::model::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A rule's identity and documentation.
#[derive(Debug)]
pub struct RuleInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    /// The doc comment: What it checks / Why it matters / Example / How to fix.
    pub explanation: &'static str,
}

impl RuleInfo {
    /// The rule's section in `docs/rules.md` (a GitHub heading anchor).
    /// The documentation as text: the doc comment without its leading space.
    pub fn doc_text(&self) -> String {
        self.explanation.trim_end().lines().map(|l| l.strip_prefix(' ').unwrap_or(l)).collect::<Vec<_>>().join("\n")
    }

    pub fn docs_path(&self) -> String {
        format!("docs/rules.md#{}-{}", self.code.to_ascii_lowercase(), self.name)
    }
}

/// A byte range in the snapshot with what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

/// One thing to tell the user, as data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub resource_ids: Vec<String>,
    /// The first label is the primary one.
    pub labels: Vec<Label>,
    pub help: Option<String>,
}

impl Finding {
    pub fn new(rule: &RuleInfo, message: impl Into<String>) -> Self {
        Finding {
            code: rule.code,
            severity: rule.severity,
            message: message.into(),
            resource_ids: Vec::new(),
            labels: Vec::new(),
            help: None,
        }
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn id(mut self, id: impl ToString) -> Self {
        let id = id.to_string();
        if !id.is_empty() && !self.resource_ids.contains(&id) {
            self.resource_ids.push(id);
        }
        self
    }

    pub fn label(mut self, span: Option<Span>, text: impl Into<String>) -> Self {
        if let Some(span) = span {
            self.labels.push(Label { span, text: text.into() });
        }
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Declares `pub static RULE: RuleInfo` with the doc comment as its explanation.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        code: $code:literal, name: $name:literal, severity: $severity:ident, summary: $summary:literal $(,)?
    ) => {
        $(#[doc = $doc])*
        pub static RULE: $crate::rules::RuleInfo = $crate::rules::RuleInfo {
            code: $code,
            name: $name,
            severity: $crate::rules::Severity::$severity,
            summary: $summary,
            explanation: concat!($($doc, "\n"),*),
        };
    };
}
pub(crate) use declare_rule;
