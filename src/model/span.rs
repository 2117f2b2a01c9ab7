//! Byte ranges into the snapshot text, so every finding can point at the JSON element it is
//! about. Our own type: the model does not depend on miette.

/// Index of a source file in [`crate::model::Snapshot::sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SourceId(pub u32);

/// The byte range of one JSON element in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub source: SourceId,
    pub offset: usize,
    pub len: usize,
}

impl Span {
    pub fn new(source: SourceId, offset: usize, len: usize) -> Self {
        Self { source, offset, len }
    }

    /// The span of `inner`, a sub-slice of `outer` whose span is `self`.
    ///
    /// Both slices must come from the same text; a slice that does not lie inside `outer`
    /// falls back to `self` rather than producing an out-of-range span.
    pub fn sub(self, outer: &str, inner: &str) -> Span {
        let start = (inner.as_ptr() as usize).wrapping_sub(outer.as_ptr() as usize);
        if start <= outer.len() && start + inner.len() <= outer.len() {
            Span::new(self.source, self.offset + start, inner.len())
        } else {
            self
        }
    }
}

/// Byte offset of a 1-based `line` / `column` position (as serde_json reports them) in `text`.
///
/// serde_json counts columns in bytes; a position past the end clamps to the end.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (index, l) in text.split_inclusive('\n').enumerate() {
        if index + 1 == line {
            return (offset + column.saturating_sub(1)).min(text.len());
        }
        offset += l.len();
    }
    text.len()
}

/// The byte offset where each line of a text starts.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Starts,
    len: usize,
}

/// Line starts, 4 bytes each when the text is under 4 GiB (a 79 MB snapshot has 2.6 million
/// lines: issue 7 counts the memory).
#[derive(Debug, Clone)]
enum Starts {
    Narrow(Vec<u32>),
    Wide(Vec<usize>),
}

impl Default for Starts {
    fn default() -> Self {
        Starts::Narrow(vec![0])
    }
}

impl Starts {
    fn get(&self, line: usize) -> Option<usize> {
        match self {
            Starts::Narrow(starts) => starts.get(line).map(|&s| s as usize),
            Starts::Wide(starts) => starts.get(line).copied(),
        }
    }

    fn len(&self) -> usize {
        match self {
            Starts::Narrow(starts) => starts.len(),
            Starts::Wide(starts) => starts.len(),
        }
    }

    /// Lines that start at or before `offset`.
    fn at_or_before(&self, offset: usize) -> usize {
        match self {
            Starts::Narrow(starts) => starts.partition_point(|&s| s as usize <= offset),
            Starts::Wide(starts) => starts.partition_point(|&s| s <= offset),
        }
    }
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        Self::with_width(text, u32::try_from(text.len()).is_err())
    }

    /// `wide`: 8-byte line starts (needed from 4 GiB on).
    fn with_width(text: &str, wide: bool) -> Self {
        // memchr finds the line breaks a vector at a time (issue 7: a 79 MB snapshot has 2.6
        // million lines, and reading it byte by byte took 26 ms).
        let starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let starts = if wide {
            Starts::Wide(starts.collect())
        } else {
            Starts::Narrow(starts.map(|s| u32::try_from(s).unwrap_or(u32::MAX)).collect())
        };
        Self { starts, len: text.len() }
    }

    /// Number of lines (a final newline does not start another one unless text follows).
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.at_or_before(offset).saturating_sub(1)
    }

    /// Byte range of 0-based `line`, without its line break (`\n` or `\r\n`).
    pub fn line_range(&self, text: &str, line: usize) -> (usize, usize) {
        let start = self.starts.get(line).unwrap_or(self.len);
        let mut end = self.starts.get(line + 1).map_or(self.len, |next| next - 1);
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        (start, end.max(start))
    }

    /// 1-based line and byte column of `offset`, as [`line_col`] but without rescanning.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.len);
        let line = self.line_of(offset);
        let start = self.starts.get(line).unwrap_or(0);
        (line + 1, offset - start + 1)
    }
}

/// 1-based line and column of a byte offset, for messages.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let col = before.rfind('\n').map_or(before.len() + 1, |nl| before.len() - nl);
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_round_trip_with_line_col() {
        let text = "{\n  \"a\": 1,\n  \"b\": [2]\n}\n";
        let off = offset_of(text, 3, 8);
        assert_eq!(&text[off..off + 3], "[2]");
        assert_eq!(line_col(text, off), (3, 8));
    }

    #[test]
    fn line_index_agrees_with_line_col() {
        let text = "{\r\n  \"a\": 1,\n\n  \"b\": [2]\n}";
        for wide in [false, true] {
            let index = LineIndex::with_width(text, wide);
            for offset in 0..=text.len() + 2 {
                assert_eq!(index.line_col(offset), line_col(text, offset), "offset {offset}, wide {wide}");
            }
            assert_eq!(index.len(), 5);
            assert_eq!(index.line_range(text, 0), (0, 1));
            assert_eq!(index.line_range(text, 2), (13, 13));
            assert_eq!(index.line_range(text, 4), (text.len() - 1, text.len()));
        }
    }

    #[test]
    fn sub_span_of_foreign_slice_falls_back() {
        let outer = "abc";
        let other = String::from("zz");
        let s = Span::new(SourceId(0), 10, 3);
        assert_eq!(s.sub(outer, &outer[1..2]), Span::new(SourceId(0), 11, 1));
        assert_eq!(s.sub(outer, &other), s);
    }
}
