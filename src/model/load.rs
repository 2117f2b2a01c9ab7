//! Reading a snapshot: one merged JSON file (optionally with `Regions`), or a folder of AWS CLI
//! outputs in the Batfish layout (`aws_configs/[accounts/<id>/]<region>/*.json`).
//!
//! Every resource is parsed from a borrowed `RawValue`, so its byte range in the file is known
//! (the pointer of the borrowed slice minus the pointer of the file text) and every later
//! diagnostic can point at it.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::span::{offset_of, SourceId, Span};
use super::{Scope, ScopeId, Snapshot, SourceFile};

/// One problem that makes a snapshot unusable, located in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub label: String,
    pub span: Option<Span>,
    pub help: Option<String>,
}

impl Problem {
    pub fn new(message: impl Into<String>, span: Option<Span>) -> Self {
        Self { message: message.into(), label: "here".to_owned(), span, help: None }
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Why a snapshot could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file or folder could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The input was read but is not a valid snapshot; every problem found is listed.
    #[error("{path} is not a valid snapshot ({} problem{})", problems.len(), if problems.len() == 1 { "" } else { "s" })]
    Invalid { path: String, problems: Vec<Problem>, sources: Vec<SourceFile> },
}

/// One parsed JSON object of resource keys, with the scope it belongs to.
pub(crate) struct Document<'a> {
    pub scope: ScopeId,
    pub source: SourceId,
    pub text: &'a str,
    pub entries: Vec<(String, &'a RawValue)>,
    /// Byte offsets (in `text`) of resources that a later overlay file replaced or deleted:
    /// validation skips them ([`super::overlay`]).
    pub removed: std::collections::BTreeSet<usize>,
}

/// The top-level object's entries in file order; duplicate keys are kept so they can be
/// reported instead of silently overwritten.
struct Entries<'a>(Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for Entries<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor;
        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object of AWS resource lists")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, &'de RawValue>()? {
                    entries.push((key, value));
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor)
    }
}

/// A top-level object read in one pass with the items of its `Regions` read as regions (issue
/// 7: the text is read once less than by [`Entries`] and then the list). Anything else than one
/// `Regions` whose items each hold `Region` and no `Regions` fails, and the file is read again
/// by the reading that points at each problem.
struct OnePass<'a> {
    entries: Vec<(String, &'a RawValue)>,
    regions: Vec<Entries<'a>>,
}

impl<'de> Deserialize<'de> for OnePass<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OnePassVisitor;
        impl<'de> Visitor<'de> for OnePassVisitor {
            type Value = OnePass<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object of AWS resource lists")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                let mut regions: Option<Vec<Entries<'de>>> = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key != "Regions" {
                        entries.push((key, map.next_value::<&'de RawValue>()?));
                        continue;
                    }
                    let items: Vec<Entries<'de>> = map.next_value()?;
                    let is_region =
                        |inner: &Entries<'_>| inner.0.iter().any(|(k, _)| k == "Region") && !inner.0.iter().any(|(k, _)| k == "Regions");
                    if regions.is_some() || !items.iter().all(is_region) {
                        return Err(serde::de::Error::custom("`Regions` to be read item by item"));
                    }
                    regions = Some(items);
                }
                Ok(OnePass { entries, regions: regions.unwrap_or_default() })
            }
        }
        deserializer.deserialize_map(OnePassVisitor)
    }
}

/// Span of `raw` inside `text`, whose own span starts at `base`.
pub(crate) fn span_in(source: SourceId, text: &str, raw: &str) -> Span {
    Span::new(source, 0, text.len()).sub(text, raw)
}

/// Turns a serde_json error on `fragment` (a slice of `text`) into a located problem.
pub(crate) fn json_problem(source: SourceId, text: &str, fragment: &str, err: &serde_json::Error) -> Problem {
    let base = span_in(source, text, fragment);
    let within = if err.line() == 0 { 0 } else { offset_of(fragment, err.line(), err.column()) };
    let mut message = err.to_string();
    if let Some((head, _)) = message.rsplit_once(" at line ") {
        message = head.to_owned();
    }
    let offset = error_offset(text, base.offset + within, err);
    let len = text.get(offset..).and_then(|rest| rest.chars().next()).map_or(0, char::len_utf8);
    Problem::new(message, Some(Span::new(source, offset, len))).label("here")
}

/// Moves serde_json's error position onto the character the error is about. serde_json
/// reports the last byte it consumed: for a type error that is the last character of a scalar
/// value (`5`, the closing quote of a string), or the byte *before* a value it only peeked at
/// (`{`, `[`), and for a control character in a string the byte before it. The caret belongs
/// at the start of the offending value, or on the control character itself.
fn error_offset(text: &str, offset: usize, err: &serde_json::Error) -> usize {
    let bytes = text.as_bytes();
    let Some(&at) = bytes.get(offset) else { return offset.min(text.len()) };
    let next_char = |i: usize| text.get(i..).and_then(|rest| rest.chars().next()).map_or(i, |c| i + c.len_utf8());
    if err.to_string().starts_with("control character") {
        return next_char(offset);
    }
    if err.classify() != serde_json::error::Category::Data {
        return offset;
    }
    if at.is_ascii_whitespace() || at == b':' || at == b',' || (at == b'[' && offset > 0) {
        // A peeked value: it starts at the next non-blank character.
        let mut i = offset + 1;
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        return if i < bytes.len() { i } else { offset };
    }
    if at == b'"' {
        // The closing quote of a string: find its opening quote (not escaped).
        let mut i = offset;
        while i > 0 {
            i -= 1;
            if bytes.get(i) == Some(&b'"') {
                let backslashes = bytes.get(..i).map_or(0, |b| b.iter().rev().take_while(|&&c| c == b'\\').count());
                if backslashes % 2 == 0 {
                    return i;
                }
            }
        }
        return offset;
    }
    if at.is_ascii_alphanumeric() || at == b'.' || at == b'-' || at == b'+' {
        // The last character of a number or literal.
        let mut i = offset;
        while i > 0 && bytes.get(i - 1).is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+')) {
            i -= 1;
        }
        return i;
    }
    offset
}

fn parse_entries<'a>(source: SourceId, text: &'a str, fragment: &'a str) -> Result<Entries<'a>, Problem> {
    serde_json::from_str::<Entries<'a>>(fragment).map_err(|e| json_problem(source, text, fragment, &e))
}

/// Reads a snapshot file or a Batfish-layout folder.
///
/// # Errors
/// [`LoadError::Io`] when the path cannot be read, [`LoadError::Invalid`] with every problem
/// found when the content is not a valid snapshot.
pub fn load_path(path: &Path) -> Result<Snapshot, LoadError> {
    let display = path.display().to_string();
    let (sources, scopes) = read_sources(path)?;
    let mut snapshot = load_sources(&display, sources, scopes, 0)?;
    report_unread_files(path, &mut snapshot);
    Ok(snapshot)
}

/// A folder's files that are not read (only `*.json` are): named, not dropped silently (a
/// `hosted-zones.txt` would otherwise leave its key "not captured" and its default assumed).
fn report_unread_files(path: &Path, snapshot: &mut Snapshot) {
    if !path.is_dir() {
        return;
    }
    let mut unread = Vec::new();
    collect_files(path, &mut unread, &|p| !p.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")));
    unread.retain(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')));
    unread.sort();
    for file in unread {
        snapshot.warnings.push(super::LoadWarning::Ignored {
            resource_id: file.display().to_string(),
            reason: "only the files of a folder whose names end in `.json` are read (rename it if it holds an AWS CLI answer)".to_owned(),
            span: Span::default(),
        });
    }
}

/// Every regular file under `dir` that `keep` accepts (errors reading a folder are left to the
/// reading of the JSON files, which reports them).
fn collect_files(dir: &Path, out: &mut Vec<PathBuf>, keep: &dyn Fn(&Path) -> bool) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, out, keep);
        } else if keep(&path) {
            out.push(path);
        }
    }
}

/// The files of a snapshot path: the file itself, or every JSON file of a folder with the
/// account and region its place in the folder gives it.
type RawSources = (Vec<(String, Vec<u8>)>, Option<Vec<Scope>>);

fn read_sources(path: &Path) -> Result<RawSources, LoadError> {
    let display = path.display().to_string();
    let io = |source| LoadError::Io { path: display.clone(), source };
    if path.is_dir() {
        let root = if path.join("aws_configs").is_dir() { path.join("aws_configs") } else { path.to_path_buf() };
        let mut files = Vec::new();
        collect_json_files(&root, &mut files).map_err(io)?;
        files.sort();
        let mut sources = Vec::new();
        let mut scopes = Vec::new();
        for file in &files {
            let bytes = std::fs::read(file).map_err(io)?;
            let relative = file.strip_prefix(&root).unwrap_or(file);
            scopes.push(scope_from_path(relative));
            sources.push((file.display().to_string(), bytes));
        }
        Ok((sources, Some(scopes)))
    } else {
        let bytes = read_file(path).map_err(io)?;
        Ok((vec![(display.clone(), bytes)], None))
    }
}

/// Files from this size on are read in two halves at once (issue 7): most of the time of
/// reading a large file goes to mapping the fresh memory it is read into, page by page.
const SPLIT_READ_BYTES: u64 = 8 << 20;

/// [`std::fs::read`], a large file read by two threads, each into its half of the buffer.
fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    read_file_split_from(path, SPLIT_READ_BYTES)
}

/// [`read_file`], splitting files from `split_bytes` on.
fn read_file_split_from(path: &Path, split_bytes: u64) -> std::io::Result<Vec<u8>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        let file = std::fs::File::open(path)?;
        let len = file.metadata()?.len();
        if let (true, Ok(size)) = (len >= split_bytes.max(1), usize::try_from(len)) {
            let fill = |buffer: &mut [u8], mut at: u64| -> std::io::Result<()> {
                let mut buffer = buffer;
                while !buffer.is_empty() {
                    match file.read_at(buffer, at) {
                        Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
                        Ok(n) => {
                            buffer = buffer.get_mut(n..).unwrap_or_default();
                            at += n as u64;
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                }
                Ok(())
            };
            let mut bytes = vec![0; size];
            let (first, second) = bytes.split_at_mut(size / 2);
            let halves = std::thread::scope(|scope| {
                let other = scope.spawn(|| fill(second, (size / 2) as u64));
                let done = fill(first, 0);
                done.and(other.join().unwrap_or_else(|payload| std::panic::resume_unwind(payload)))
            });
            // The file changed size while it was read: read it again as a whole.
            if halves.is_ok() && file.read_at(&mut [0], len)? == 0 {
                return Ok(bytes);
            }
        }
    }
    std::fs::read(path)
}

/// Reads a snapshot (file or folder) and merges each overlay file into it, in order
/// ([`super::overlay`]: add or replace by resource ID, `"Delete": [ids]` removes). Without
/// overlays this is [`load_path`].
///
/// # Errors
/// As [`load_path`]; also a `Delete` of an ID that no earlier file defines, and an overlay
/// without `Region` on a snapshot of several accounts or regions.
pub fn load_with_overlays(base: &Path, overlays: &[PathBuf]) -> Result<Snapshot, LoadError> {
    if overlays.is_empty() {
        return load_path(base);
    }
    let mut display = base.display().to_string();
    let (mut sources, scopes) = read_sources(base)?;
    let base_path = base.to_path_buf();
    let base_count = sources.len();
    let mut scopes = scopes.unwrap_or_else(|| vec![Scope::default(); base_count]);
    for overlay in overlays {
        let name = overlay.display().to_string();
        let bytes = std::fs::read(overlay).map_err(|source| LoadError::Io { path: name.clone(), source })?;
        display.push_str(" + ");
        display.push_str(&name);
        sources.push((name, bytes));
        scopes.push(Scope::default());
    }
    let mut snapshot = load_sources(&display, sources, Some(scopes), base_count)?;
    report_unread_files(&base_path, &mut snapshot);
    Ok(snapshot)
}

/// Parses one snapshot held in memory; `name` is used in messages.
///
/// # Errors
/// [`LoadError::Invalid`] with every problem found.
pub fn load_str(name: &str, text: &str) -> Result<Snapshot, LoadError> {
    load_sources(name, vec![(name.to_owned(), text.as_bytes().to_vec())], None, 0)
}

/// Parses one snapshot held in memory as raw bytes (which may be invalid UTF-8); `name` is used
/// in messages.
///
/// # Errors
/// [`LoadError::Invalid`] with every problem found.
pub fn load_bytes(name: &str, bytes: Vec<u8>) -> Result<Snapshot, LoadError> {
    load_sources(name, vec![(name.to_owned(), bytes)], None, 0)
}

pub(crate) fn collect_json_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_json_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
            out.push(path);
        }
    }
    Ok(())
}

/// `accounts/<id>/<region>/x.json`, `<region>/x.json` or `x.json`.
pub(crate) fn scope_from_path(relative: &Path) -> Scope {
    let mut scope = Scope::default();
    let parts: Vec<String> =
        relative.parent().map(|p| p.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect()).unwrap_or_default();
    for part in parts {
        if is_account_id(&part) {
            scope.account = Some(part);
        } else if is_region_name(&part) {
            scope.region = Some(part);
        }
    }
    scope
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// `us-east-1`, `us-gov-west-1`, `ap-southeast-2`, …
pub(crate) fn is_region_name(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts.first().is_some_and(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts.last().is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Files from this size on have their line index made while their top level is read.
const LINE_INDEX_AHEAD_BYTES: usize = 1 << 20;

/// `overlay_start`: index of the first overlay source (0: no overlays); every source from there
/// on is merged into the ones before it.
fn load_sources(
    path: &str,
    raw_sources: Vec<(String, Vec<u8>)>,
    dir_scopes: Option<Vec<Scope>>,
    overlay_start: usize,
) -> Result<Snapshot, LoadError> {
    let mut problems = Vec::new();
    let mut sources = Vec::new();
    let mut bom_sources = Vec::new();
    for (index, (name, bytes)) in raw_sources.into_iter().enumerate() {
        let source = SourceId(index as u32);
        let (bytes, had_bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => (rest.to_vec(), true),
            None => (bytes, false),
        };
        if had_bom {
            bom_sources.push(source);
        }
        match String::from_utf8(bytes) {
            Ok(text) => sources.push(SourceFile::new(name, Arc::new(text))),
            Err(err) => {
                let offset = err.utf8_error().valid_up_to();
                let utf16 = err.as_bytes().starts_with(b"\xFF\xFE") || err.as_bytes().starts_with(b"\xFE\xFF");
                let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
                problems.push(
                    Problem::new("the snapshot is not valid UTF-8", Some(Span::new(source, offset, 1))).label("invalid byte here").help(
                        if utf16 {
                            "the file is UTF-16 (what Windows PowerShell's `>` writes): save it as UTF-8 (`Out-File -Encoding utf8`, or `iconv -f UTF-16 -t UTF-8`)"
                        } else {
                            "AWS CLI output is UTF-8: re-export the file, or convert it with `iconv -t UTF-8`"
                        },
                    ),
                );
                sources.push(SourceFile::new(name, Arc::new(text)));
            }
        }
    }
    if !problems.is_empty() {
        return Err(LoadError::Invalid { path: path.to_owned(), problems, sources });
    }

    let mut scopes: Vec<Scope> = Vec::new();
    let mut scope_id = |scope: Scope, scopes: &mut Vec<Scope>| -> ScopeId {
        if let Some(i) = scopes.iter().position(|s| *s == scope) {
            ScopeId(i as u32)
        } else {
            scopes.push(scope);
            ScopeId((scopes.len() - 1) as u32)
        }
    };

    let mut documents = Vec::new();
    let mut ignored = Vec::new();
    for (index, file) in sources.iter().enumerate() {
        let source = SourceId(index as u32);
        let text: &str = &file.text;
        // A large file's line index is made meanwhile on the other core, idle while the top
        // level is read (issue 7): most reports point into the file.
        let read = std::thread::scope(|scope| {
            if text.len() >= LINE_INDEX_AHEAD_BYTES {
                scope.spawn(|| file.line_index());
            }
            serde_json::from_str::<OnePass<'_>>(text)
        });
        let (entries, regions) = match read {
            Ok(top) => (top.entries, top.regions),
            Err(_) => match parse_entries(source, text, text) {
                Ok(e) => (e.0, Vec::new()),
                Err(p) => {
                    problems.push(with_likely_cause(p, text));
                    continue;
                }
            },
        };
        let entries = plain_tgw_route_search(&file.name, entries);
        let mut base_scope = dir_scopes.as_ref().and_then(|s| s.get(index)).cloned().unwrap_or_default();
        if overlay_start > 0 && index >= overlay_start {
            // An overlay that names no account or region changes the base's only one.
            if let [only] = scopes.as_slice() {
                base_scope = only.clone();
            }
        }
        let parts = Parts { entries, regions };
        ignored.extend(unused_region(source, text, &parts));
        split_document(source, text, parts, base_scope, &mut scopes, &mut scope_id, &mut documents, &mut problems);
    }
    if !problems.is_empty() {
        return Err(LoadError::Invalid { path: path.to_owned(), problems, sources });
    }
    let deleted = if overlay_start > 0 {
        match super::overlay::apply(&mut documents, SourceId(overlay_start as u32), &scopes) {
            Ok(deleted) => deleted,
            Err(problems) => return Err(LoadError::Invalid { path: path.to_owned(), problems, sources }),
        }
    } else {
        Default::default()
    };

    match super::validate::validate(&sources, &documents, scopes.clone(), &deleted) {
        Ok(mut snapshot) => {
            for source in bom_sources {
                snapshot.warnings.push(super::LoadWarning::ByteOrderMark { source });
            }
            snapshot.warnings.append(&mut ignored);
            snapshot.sources = sources;
            snapshot.path = path.to_owned();
            Ok(snapshot)
        }
        Err(problems) => Err(LoadError::Invalid { path: path.to_owned(), problems, sources }),
    }
}

/// A whole file's JSON error, with what usually causes it when a user saves AWS CLI answers.
fn with_likely_cause(mut p: Problem, text: &str) -> Problem {
    let first = text.trim_start_matches('\u{feff}').trim_start().chars().next();
    let help = if first.is_none() {
        Some("the file is empty: did the command that wrote it fail?")
    } else if p.message.starts_with("trailing characters") {
        Some("a second JSON document follows the first (two answers or pages in one file): give each its own file, or merge their lists")
    } else if p.message.starts_with("expected value") && !matches!(first, Some('{' | '[')) {
        Some("this is not JSON: run the AWS CLI with `--output json` (its YAML and text output are not read)")
    } else {
        None
    };
    if let Some(help) = help {
        p.help = Some(help.to_owned());
    }
    p
}

/// A plain `search-transit-gateway-routes` answer (`{"Routes": […]}`) names no table: in a
/// folder it is read from a file whose name holds the table ID
/// (`TransitGatewayRoutes.tgw-rtb-0123….json`), and its keys are tagged with that ID.
fn plain_tgw_route_search<'a>(file_name: &str, entries: Vec<(String, &'a RawValue)>) -> Vec<(String, &'a RawValue)> {
    let stem = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let Some(start) = stem.find("tgw-rtb-") else { return entries };
    let table: String = stem[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    if !entries.iter().any(|(k, _)| k == "Routes") {
        return entries;
    }
    entries
        .into_iter()
        .map(|(key, raw)| match key.as_str() {
            "Routes" | "AdditionalRoutesAvailable" => (format!("{TGW_ROUTES_PREFIX}{table}:{key}"), raw),
            _ => (key, raw),
        })
        .collect()
}

/// Span of the `"key"` that precedes `value` in `text` (the value's own span when the key is
/// written with escapes and cannot be found as is).
pub(crate) fn key_span(source: SourceId, text: &str, key: &str, value: &str) -> Span {
    let value_span = span_in(source, text, value);
    let quoted = format!("\"{key}\"");
    match text.get(..value_span.offset).and_then(|before| before.rfind(&quoted)) {
        Some(at) => Span::new(source, at, quoted.len()),
        None => value_span,
    }
}

/// Key prefix of a plain route search answer read from a file named after its table.
pub(crate) const TGW_ROUTES_PREFIX: &str = "TransitGatewayRoutes:";

/// A top-level `Region` beside `Regions` names the region of the resources listed beside
/// `Regions`; when there are none it applies to nothing, as each item of `Regions` names its own
/// region: said, not dropped silently.
fn unused_region(source: SourceId, text: &str, parts: &Parts<'_>) -> Option<super::LoadWarning> {
    let has_regions = !parts.regions.is_empty() || parts.entries.iter().any(|(key, _)| key == "Regions");
    let has_resources = parts.entries.iter().any(|(key, _)| !matches!(key.as_str(), "Region" | "AccountId" | "Regions"));
    let (_, raw) = parts.entries.iter().find(|(key, _)| key == "Region")?;
    (has_regions && !has_resources).then(|| super::LoadWarning::Ignored {
        resource_id: "Region".to_owned(),
        reason: format!(
            "the top-level `Region` ({}) is the region of resources listed beside `Regions`, and there are none: each item of `Regions` names its own region",
            raw.get()
        ),
        span: span_in(source, text, raw.get()),
    })
}

/// A top-level object's entries, and the items of its `Regions` when they were read with it
/// ([`OnePass`]; then `entries` has no `Regions`).
struct Parts<'a> {
    entries: Vec<(String, &'a RawValue)>,
    regions: Vec<Entries<'a>>,
}

/// Takes `Region`, `AccountId` and `Regions` out of a top-level object; what is left is a
/// document of resource keys in that scope.
#[allow(clippy::too_many_arguments)]
fn split_document<'a>(
    source: SourceId,
    text: &'a str,
    parts: Parts<'a>,
    mut scope: Scope,
    scopes: &mut Vec<Scope>,
    scope_id: &mut impl FnMut(Scope, &mut Vec<Scope>) -> ScopeId,
    documents: &mut Vec<Document<'a>>,
    problems: &mut Vec<Problem>,
) {
    let Parts { entries, regions: mut read_regions } = parts;
    let mut rest = Vec::new();
    let mut regions = Vec::new();
    // The same key twice (two exports pasted into one object): JSON leaves the meaning open,
    // and merging or keeping the last would both be a guess.
    let mut seen = std::collections::BTreeSet::new();
    for (key, raw) in &entries {
        if !seen.insert(key.as_str()) {
            problems.push(
                Problem::new(format!("duplicate key `{key}`"), Some(key_span(source, text, key, raw.get())))
                    .label("second occurrence")
                    .help(format!("merge the two `{key}` lists into one, or put each export in its own file")),
            );
        }
    }
    for (key, raw) in entries {
        match key.as_str() {
            "Region" | "AccountId" => match serde_json::from_str::<String>(raw.get()) {
                Ok(value) if key == "Region" => scope.region = Some(value),
                Ok(value) => scope.account = Some(value),
                Err(_) => problems.push(
                    Problem::new(format!("`{key}` must be a string"), Some(span_in(source, text, raw.get()))).label("expected a string"),
                ),
            },
            // Each region's entries read in the same pass as the list (issue 7: the text is read
            // once less); each item kept as raw JSON first only when one is not a valid region,
            // for the problem's place.
            "Regions" => match serde_json::from_str::<Vec<Entries<'a>>>(raw.get()) {
                Ok(items)
                    if items
                        .iter()
                        .all(|inner| inner.0.iter().any(|(k, _)| k == "Region") && !inner.0.iter().any(|(k, _)| k == "Regions")) =>
                {
                    // A second `Regions` (reported as a duplicate) replaces the first, as before.
                    (read_regions, regions) = (items, Vec::new());
                }
                _ => match serde_json::from_str::<Vec<&RawValue>>(raw.get()) {
                    Ok(items) => (read_regions, regions) = (Vec::new(), items),
                    Err(e) => problems.push(json_problem(source, text, raw.get(), &e)),
                },
            },
            _ => rest.push((key, raw)),
        }
    }
    for inner in read_regions {
        let child = Scope { account: scope.account.clone(), region: None };
        split_document(source, text, Parts { entries: inner.0, regions: Vec::new() }, child, scopes, scope_id, documents, problems);
    }
    for item in regions {
        match parse_entries(source, text, item.get()) {
            // One level only: a `Regions` item that holds `Regions` again is refused, so that
            // a deeply nested file cannot make the loader recurse.
            Ok(inner) if inner.0.iter().any(|(k, _)| k == "Regions") => problems.push(
                Problem::new("an item of `Regions` holds `Regions` again", Some(span_in(source, text, item.get())))
                    .label("nested `Regions`")
                    .help("`Regions` is a list of per-region documents at the top level only"),
            ),
            Ok(inner) => {
                let has_region = inner.0.iter().any(|(k, _)| k == "Region");
                if !has_region {
                    problems.push(
                        Problem::new("an item of `Regions` has no `Region`", Some(span_in(source, text, item.get())))
                            .label("this item")
                            .help("give each item of `Regions` a `\"Region\": \"<name>\"` key"),
                    );
                }
                let child = Scope { account: scope.account.clone(), region: None };
                split_document(source, text, Parts { entries: inner.0, regions: Vec::new() }, child, scopes, scope_id, documents, problems);
            }
            Err(p) => problems.push(p),
        }
    }
    if !rest.is_empty() || documents.iter().all(|d| d.source != source) {
        let id = scope_id(scope, scopes);
        documents.push(Document { scope: id, source, text, entries: rest, removed: Default::default() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file read in two halves is the file.
    #[test]
    fn split_reading_gives_the_whole_file() {
        let dir = std::env::temp_dir().join(format!("vpcreach-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        for len in [1_usize, 2, 7, 4_099] {
            let path = dir.join(format!("{len}.json"));
            let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            std::fs::write(&path, &bytes).expect("written");
            assert_eq!(read_file_split_from(&path, 1).expect("read"), bytes, "{len} bytes");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn region_names() {
        assert!(is_region_name("us-east-1"));
        assert!(is_region_name("us-gov-west-1"));
        assert!(!is_region_name("aws_configs"));
        assert!(!is_region_name("accounts"));
    }

    #[test]
    fn scope_from_batfish_paths() {
        let s = scope_from_path(Path::new("accounts/028403472736/us-east-1/Vpcs.json"));
        assert_eq!(s.account.as_deref(), Some("028403472736"));
        assert_eq!(s.region.as_deref(), Some("us-east-1"));
        assert_eq!(scope_from_path(Path::new("Vpcs.json")), Scope::default());
    }

    #[test]
    fn raw_value_spans_are_exact() {
        let text = r#"{"Vpcs": [ {"VpcId": "vpc-1"} ]}"#;
        let entries = parse_entries(SourceId(0), text, text).unwrap();
        let (_, raw) = &entries.0[0];
        let items: Vec<&RawValue> = serde_json::from_str(raw.get()).unwrap();
        let span = span_in(SourceId(0), text, items[0].get());
        assert_eq!(&text[span.offset..span.offset + span.len], r#"{"VpcId": "vpc-1"}"#);
    }

    /// The top level and its regions are read in one pass only when every item is a region
    /// and `Regions` comes once; anything else is left to the reading that points at problems.
    #[test]
    fn regions_are_read_with_the_top_level_when_all_are_regions() {
        let text = r#"{"AccountId": "1", "Regions": [{"Region": "us-east-1", "Vpcs": []}, {"Region": "eu-west-1"}], "Vpcs": []}"#;
        let top = serde_json::from_str::<OnePass<'_>>(text).expect("one pass");
        let keys: Vec<&str> = top.entries.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["AccountId", "Vpcs"]);
        assert_eq!(top.regions.len(), 2);
        for text in [
            r#"{"Regions": [{"Region": "us-east-1"}, {"Vpcs": []}]}"#,
            r#"{"Regions": [{"Region": "us-east-1", "Regions": []}]}"#,
            r#"{"Regions": [{"Region": "us-east-1"}], "Regions": [{"Region": "eu-west-1"}]}"#,
            r#"{"Regions": [5]}"#,
        ] {
            assert!(serde_json::from_str::<OnePass<'_>>(text).is_err(), "{text}");
        }
    }

    /// `Regions` items are read with the list when they are all regions; otherwise each item's
    /// problem points at that item.
    #[test]
    fn regions_items_that_are_not_regions_are_pointed_at() {
        let text = r#"{"Regions": [{"Region": "us-east-1", "Vpcs": []}, {"Vpcs": []}, {"Region": "eu-west-1", "Regions": []}]}"#;
        let Err(LoadError::Invalid { problems, .. }) = load_str("regions.json", text) else { panic!("not a valid snapshot") };
        let found: Vec<(&str, &str)> = problems
            .iter()
            .map(|p| {
                let span = p.span.expect("a place");
                (p.message.as_str(), &text[span.offset..span.offset + span.len])
            })
            .collect();
        assert_eq!(
            found,
            [
                ("an item of `Regions` has no `Region`", r#"{"Vpcs": []}"#),
                ("an item of `Regions` holds `Regions` again", r#"{"Region": "eu-west-1", "Regions": []}"#),
            ]
        );
        let text = r#"{"Regions": [{"Region": "us-east-1", "Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]},
            {"Region": "eu-west-1", "Vpcs": [{"VpcId": "vpc-2", "CidrBlock": "10.1.0.0/16"}]}]}"#;
        let snapshot = load_str("regions.json", text).expect("loads");
        let regions: Vec<Option<&str>> = snapshot.vpcs.values().map(|v| snapshot.region_of(v.scope)).collect();
        assert_eq!(regions, [Some("us-east-1"), Some("eu-west-1")]);
    }

    /// A top-level `Region` beside `Regions` applies to the resources beside `Regions` only:
    /// with none it is reported as ignored, with some it is their region.
    #[test]
    fn a_top_level_region_beside_regions_is_used_or_reported() {
        let ignored = |snapshot: &Snapshot| -> Vec<(String, String)> {
            snapshot
                .warnings
                .iter()
                .filter_map(|w| match w {
                    super::super::LoadWarning::Ignored { resource_id, span, .. } => {
                        Some((resource_id.clone(), snapshot.sources[0].text[span.offset..span.offset + span.len].to_owned()))
                    }
                    _ => None,
                })
                .collect()
        };
        let text = r#"{"AccountId": "111122223333", "Region": "us-west-2",
            "Regions": [{"Region": "us-east-1", "Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}]}"#;
        let snapshot = load_str("regions.json", text).expect("loads");
        assert_eq!(ignored(&snapshot), [("Region".to_owned(), r#""us-west-2""#.to_owned())]);
        let regions: Vec<Option<&str>> = snapshot.vpcs.values().map(|v| snapshot.region_of(v.scope)).collect();
        assert_eq!(regions, [Some("us-east-1")]);

        let text = r#"{"Region": "us-west-2", "Vpcs": [{"VpcId": "vpc-2", "CidrBlock": "10.1.0.0/16"}],
            "Regions": [{"Region": "us-east-1", "Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}]}"#;
        let snapshot = load_str("regions.json", text).expect("loads");
        assert_eq!(ignored(&snapshot), []);
        let regions: Vec<Option<&str>> = snapshot.vpcs.values().map(|v| snapshot.region_of(v.scope)).collect();
        assert_eq!(regions, [Some("us-east-1"), Some("us-west-2")]);
    }

    /// Whole-file errors name their usual cause: an empty file, two documents, YAML or text
    /// output, a UTF-16 file.
    #[test]
    fn whole_file_errors_name_their_likely_cause() {
        let help = |bytes: &[u8]| -> String {
            let Err(LoadError::Invalid { problems, .. }) = load_bytes("f.json", bytes.to_vec()) else { panic!("refused") };
            problems.first().and_then(|p| p.help.clone()).unwrap_or_default()
        };
        assert!(help(b"  \n").contains("the file is empty"));
        assert!(help(b"{\"Vpcs\": []}\n{\"Vpcs\": []}").contains("a second JSON document"));
        assert!(help(b"Vpcs:\n- VpcId: vpc-1\n").contains("--output json"));
        assert!(help(b"\xFF\xFE{\x00}\x00").contains("UTF-16"));
        assert_eq!(help(b"{\"Vpcs\": [1,]}"), "");
    }
}
