//! Bounded excerpts of a snapshot file for miette snippets.
//!
//! miette's own `SourceCode` for a string scans the text from its start on every lookup and
//! prints whole lines. On real inputs that went wrong three ways: 10,000 problems took minutes
//! (each rescanned the file), a 2 MB minified line was echoed once per diagnostic, and a label
//! past column 65,535 panicked inside miette (a format width is a `u16`). An [`Excerpt`] holds
//! only the lines around the labels, cuts long lines to a window around the label, shows
//! control characters as `?`, and still reports the true line and column numbers.

use std::collections::BTreeSet;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::model::SourceFile;

/// Lines of context above and below a label (miette's default, which the handler keeps).
const CONTEXT_LINES: usize = 1;
/// A line longer than this (bytes) is cut to a window of this length.
const LONG_LINE: usize = 200;
/// Bytes of a long line kept before the label's start.
const LEAD: usize = 40;
/// A label spanning more lines than this is cut to its first line.
const MAX_LABEL_LINES: usize = 200;
const ELLIPSIS: &str = "…";

/// One line (or window of a line) of the original file, as copied into the excerpt.
#[derive(Debug, Clone)]
struct Segment {
    /// 0-based line number in the original file.
    line: usize,
    /// Byte offset in the original file where the line starts.
    line_start: usize,
    /// Byte range of the original file copied into the excerpt.
    real: (usize, usize),
    /// Where the copy starts in the excerpt (after the ellipsis, if cut).
    copy_start: usize,
    /// The segment's whole range in the excerpt, ellipses included.
    range: (usize, usize),
    /// Whether the previous segment is the previous line of the file (no gap between them).
    follows_previous: bool,
}

/// A small text made of the lines around some labels of one file; a `SourceCode` for miette
/// that reports the file's real name, line and column numbers.
#[derive(Debug, Clone)]
pub struct Excerpt {
    name: String,
    text: String,
    segments: Vec<Segment>,
}

/// The largest char boundary of `text` at or below `i`.
fn floor_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl Excerpt {
    /// The excerpt of `file` around `spans` (byte offset and length in the file), with each
    /// span mapped into the excerpt.
    pub fn new(file: &SourceFile, spans: &[(usize, usize)]) -> (Self, Vec<(usize, usize)>) {
        let text: &str = &file.text;
        let index = file.line_index();
        let last_line = index.len().saturating_sub(1);

        // Each span, clipped to the file and to its first MAX_LABEL_LINES lines.
        let clipped: Vec<(usize, usize, usize, usize)> = spans
            .iter()
            .map(|&(offset, len)| {
                let start = floor_boundary(text, offset);
                let mut end = floor_boundary(text, offset.saturating_add(len)).max(start);
                let first = index.line_of(start);
                let mut last = index.line_of(end.saturating_sub(1).max(start));
                if last - first > MAX_LABEL_LINES {
                    end = index.line_range(text, first).1.max(start);
                    last = first;
                }
                (start, end, first, last)
            })
            .collect();

        let mut lines = BTreeSet::new();
        for &(_, _, first, last) in &clipped {
            lines.extend(first.saturating_sub(CONTEXT_LINES)..=(last + CONTEXT_LINES).min(last_line));
        }

        let mut excerpt = String::new();
        let mut segments: Vec<Segment> = Vec::new();
        for line in lines {
            let (line_start, line_end) = index.line_range(text, line);
            let (from, to) = if line_end - line_start <= LONG_LINE {
                (line_start, line_end)
            } else {
                // Anchor the window at the first label that touches this line.
                let anchor = clipped
                    .iter()
                    .filter(|&&(start, end, _, _)| start <= line_end && end >= line_start)
                    .map(|&(start, _, _, _)| start.max(line_start))
                    .min()
                    .unwrap_or(line_start);
                let from = floor_boundary(text, anchor.saturating_sub(LEAD).max(line_start));
                let to = floor_boundary(text, (from + LONG_LINE).min(line_end)).max(from);
                (from, to)
            };
            let follows_previous = segments.last().is_some_and(|s| s.line + 1 == line);
            if !segments.is_empty() {
                excerpt.push('\n');
            }
            let seg_start = excerpt.len();
            if from > line_start {
                excerpt.push_str(ELLIPSIS);
            }
            let copy_start = excerpt.len();
            // Control characters would move the terminal's cursor: show them as `?` (one
            // byte for one byte, so offsets stay aligned).
            excerpt.extend(
                text.get(from..to).unwrap_or("").chars().map(|c| if c != '\t' && c.is_control() && c.is_ascii() { '?' } else { c }),
            );
            if to < line_end {
                excerpt.push_str(ELLIPSIS);
            }
            segments.push(Segment { line, line_start, real: (from, to), copy_start, range: (seg_start, excerpt.len()), follows_previous });
        }

        let this = Self { name: file.name.clone(), text: excerpt, segments };
        let mapped = clipped
            .iter()
            .map(|&(start, end, _, _)| {
                let a = this.map_offset(start);
                let b = this.map_offset(end).max(a);
                (a, b - a)
            })
            .collect();
        (this, mapped)
    }

    /// The excerpt offset of a file offset, clamped into the window of its line.
    fn map_offset(&self, real: usize) -> usize {
        let i = self.segments.partition_point(|s| s.line_start <= real).saturating_sub(1);
        let Some(seg) = self.segments.get(i) else { return 0 };
        let within = real.clamp(seg.real.0, seg.real.1) - seg.real.0;
        seg.copy_start + within
    }

    /// Index of the segment holding excerpt offset `offset`.
    fn segment_at(&self, offset: usize) -> usize {
        self.segments.partition_point(|s| s.range.0 <= offset).saturating_sub(1)
    }

    /// The excerpt text (for tests).
    #[cfg(test)]
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(&'a self, span: &SourceSpan, before: usize, after: usize) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let first = self.segment_at(span.offset());
        let last = self.segment_at(span.offset() + span.len().saturating_sub(1)).max(first);
        // Context lines only where the file's lines are contiguous; a span across a gap
        // cannot be shown as one snippet (miette then draws the labels separately).
        if (first + 1..=last).any(|i| self.segments.get(i).is_some_and(|s| !s.follows_previous)) {
            return Err(MietteError::OutOfBounds);
        }
        let mut lo = first;
        while lo > 0 && first - lo < before && self.segments.get(lo).is_some_and(|s| s.follows_previous) {
            lo -= 1;
        }
        let mut hi = last;
        while hi - last < after && self.segments.get(hi + 1).is_some_and(|s| s.follows_previous) {
            hi += 1;
        }
        let (Some(lo_seg), Some(hi_seg), Some(first_seg)) = (self.segments.get(lo), self.segments.get(hi), self.segments.get(first)) else {
            return Err(MietteError::OutOfBounds);
        };
        let (start, column) = if before == 0 {
            // The primary label's own position: miette prints it as `file:line:column`.
            let real = first_seg.real.0 + span.offset().saturating_sub(first_seg.copy_start);
            (span.offset(), real - first_seg.line_start)
        } else {
            (lo_seg.range.0, 0)
        };
        let end = hi_seg.range.1;
        let data = self.text.as_bytes().get(start..end).ok_or(MietteError::OutOfBounds)?;
        let line = if before == 0 { first_seg.line } else { lo_seg.line };
        Ok(Box::new(
            MietteSpanContents::new_named(self.name.clone(), data, (start, end - start).into(), line, column, hi - lo + 1)
                .with_language("JSON"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("s.json".to_owned(), Arc::new(text.to_owned()))
    }

    #[test]
    fn keeps_only_lines_around_the_label() {
        let text = (1..=20).map(|i| format!("line {i}")).collect::<Vec<_>>().join("\n");
        let offset = text.find("line 10").unwrap();
        let (excerpt, spans) = Excerpt::new(&file(&text), &[(offset, 7)]);
        assert_eq!(excerpt.text(), "line 9\nline 10\nline 11");
        assert_eq!(&excerpt.text()[spans[0].0..spans[0].0 + spans[0].1], "line 10");
        let contents = excerpt.read_span(&spans[0].into(), 0, 0).unwrap();
        assert_eq!((contents.line(), contents.column()), (9, 0));
        let context = excerpt.read_span(&spans[0].into(), 1, 1).unwrap();
        assert_eq!((context.line(), context.line_count()), (8, 3));
        assert_eq!(context.data(), b"line 9\nline 10\nline 11");
    }

    #[test]
    fn cuts_a_long_line_around_the_label_and_keeps_the_true_column() {
        let text = format!("{{\"a\":\"{}\",\"VpcId\":5}}", "x".repeat(70_000));
        let offset = text.find('5').unwrap();
        let (excerpt, spans) = Excerpt::new(&file(&text), &[(offset, 1)]);
        assert!(excerpt.text().len() < 300, "{}", excerpt.text().len());
        assert!(excerpt.text().starts_with(ELLIPSIS));
        assert_eq!(&excerpt.text()[spans[0].0..spans[0].0 + 1], "5");
        let contents = excerpt.read_span(&spans[0].into(), 0, 0).unwrap();
        assert_eq!((contents.line(), contents.column()), (0, offset));
    }

    #[test]
    fn separate_groups_do_not_merge_across_a_gap() {
        let text = (1..=20).map(|i| format!("line {i}")).collect::<Vec<_>>().join("\n");
        let a = text.find("line 2\n").unwrap();
        let b = text.find("line 15").unwrap();
        let (excerpt, spans) = Excerpt::new(&file(&text), &[(a, 6), (b, 7)]);
        let whole = (spans[0].0, spans[1].0 + spans[1].1 - spans[0].0);
        assert!(excerpt.read_span(&whole.into(), 1, 1).is_err());
        let second = excerpt.read_span(&spans[1].into(), 1, 1).unwrap();
        assert_eq!(second.line(), 13);
        assert_eq!(second.data(), b"line 14\nline 15\nline 16");
    }

    #[test]
    fn control_characters_are_shown_as_question_marks() {
        let text = "{\"a\":\"x\u{1b}[2Jy\"}";
        let (excerpt, _) = Excerpt::new(&file(text), &[(0, 1)]);
        assert_eq!(excerpt.text(), "{\"a\":\"x?[2Jy\"}");
    }
}
