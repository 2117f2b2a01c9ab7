//! The parts of a JSON text that serde_json has already read in full, and so is known to be
//! valid JSON: a list's elements, an object's fields. Found by following strings and brackets
//! only (issue 7: reading a resource list again with serde_json, to cut it into resources,
//! and each resource again for its lists' elements, took a third of the load).
//!
//! Each function answers `None` for a text it does not expect (not a list or an object, a key
//! with escapes), and the caller reads that text with serde_json as before. Each part is a
//! slice of the text, as a `RawValue` is: the value's own bytes, without the spaces around it.

/// The index of the first byte at or after `at` that is not JSON white space.
fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|b| matches!(b, b' ' | b'\n' | b'\r' | b'\t')) {
        at += 1;
    }
    at
}

/// Eight bytes at a time (issue 7: a byte at a time was as slow as serde_json): a mask with
/// the high bit of each byte of `word` equal to `byte`. Only the lowest set bit is sure (a
/// borrow may set the bits above it), which is the one used.
const fn bytes_equal(word: u64, byte: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let x = word ^ (ONES * byte as u64);
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// The index of the first byte at or after `at` that `matches` (a byte test and its eight-byte
/// form), or the text's length.
fn find(bytes: &[u8], at: usize, matches: impl Fn(u8) -> bool, matches_word: impl Fn(u64) -> u64) -> usize {
    let mut next = at;
    while let Some(chunk) = bytes.get(next..next + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let found = matches_word(word);
        if found != 0 {
            return next + (found.trailing_zeros() / 8) as usize;
        }
        next += 8;
    }
    next + bytes.get(next..).unwrap_or_default().iter().position(|&b| matches(b)).unwrap_or(bytes.len().saturating_sub(next))
}

/// The index just after the string that opens at `at` (its quote): the first quote that no
/// backslash escapes.
fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut next = at + 1;
    loop {
        let found = find(bytes, next, |b| b == b'"' || b == b'\\', |w| bytes_equal(w, b'"') | bytes_equal(w, b'\\'));
        match bytes.get(found)? {
            b'\\' => next = found + 2,
            _ => return Some(found + 1),
        }
    }
}

/// The index of the first byte at or after `at` that may open or close a string, list or
/// object: `"`, `[`, `]`, `{` or `}`, and the letters `Y`, `_`, `y` and DEL, which share their
/// test (`b | 0x26 == 0x7f` for the brackets) and are never outside a string in valid JSON.
fn next_structural(bytes: &[u8], at: usize) -> usize {
    const MARKS: u64 = 0x2626_2626_2626_2626;
    find(bytes, at, |b| b == b'"' || b | 0x26 == 0x7f, |w| bytes_equal(w | MARKS, 0x7f) | bytes_equal(w, b'"'))
}

/// The index just after the value that starts at `at`.
fn value_end(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at)? {
        b'"' => string_end(bytes, at),
        b'[' | b'{' => {
            let mut depth = 0usize;
            let mut next = at;
            loop {
                next = next_structural(bytes, next);
                match bytes.get(next)? {
                    b'"' => {
                        next = string_end(bytes, next)?;
                        continue;
                    }
                    b'[' | b'{' => depth += 1,
                    b']' | b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(next + 1);
                        }
                    }
                    _ => {}
                }
                next += 1;
            }
        }
        // A number, `true`, `false` or `null`: up to what ends it.
        _ => {
            let rest = bytes.get(at..)?;
            Some(at + rest.iter().position(|b| matches!(b, b',' | b']' | b'}' | b' ' | b'\n' | b'\r' | b'\t')).unwrap_or(rest.len()))
        }
    }
}

/// The members of the list or object that `text` is (`open` and `close`: its brackets), in
/// order, each read by `member` from where it starts, which gives it and where it ends.
fn members<T>(text: &str, open: u8, close: u8, mut member: impl FnMut(usize) -> Option<(T, usize)>) -> Option<Vec<T>> {
    let bytes = text.as_bytes();
    if bytes.first() != Some(&open) {
        return None;
    }
    let mut parts = Vec::new();
    let mut at = skip_space(bytes, 1);
    if bytes.get(at) == Some(&close) {
        return Some(parts);
    }
    loop {
        let (part, end) = member(at)?;
        parts.push(part);
        at = skip_space(bytes, end);
        match *bytes.get(at)? {
            b',' => at = skip_space(bytes, at + 1),
            byte if byte == close => return Some(parts),
            _ => return None,
        }
    }
}

/// The elements of `text`, a JSON list.
pub(crate) fn elements(text: &str) -> Option<Vec<&str>> {
    members(text, b'[', b']', |at| {
        let end = value_end(text.as_bytes(), at)?;
        Some((text.get(at..end)?, end))
    })
}

/// The fields of `text`, a JSON object, in order: each key (its text between the quotes) and
/// value. `None` also when a key holds an escape (the key's text is then not its name).
pub(crate) fn fields(text: &str) -> Option<Vec<(&str, &str)>> {
    let bytes = text.as_bytes();
    members(text, b'{', b'}', |at| {
        if bytes.get(at) != Some(&b'"') {
            return None;
        }
        let key_end = string_end(bytes, at)?;
        let key = text.get(at + 1..key_end - 1)?;
        if key.contains('\\') {
            return None;
        }
        let colon = skip_space(bytes, key_end);
        if bytes.get(colon) != Some(&b':') {
            return None;
        }
        let start = skip_space(bytes, colon + 1);
        let end = value_end(bytes, start)?;
        Some(((key, text.get(start..end)?), end))
    })
}

#[cfg(test)]
mod tests {
    use super::{elements, fields};
    use serde_json::value::RawValue;

    #[test]
    fn parts_are_the_values_own_texts() {
        assert_eq!(elements("[]"), Some(vec![]));
        assert_eq!(elements("[ \n ]"), Some(vec![]));
        assert_eq!(
            elements(r#"[1, "a\"]", {"b": [2, {}]}, [[]], true,null , -1.5e3]"#).unwrap(),
            vec!["1", r#""a\"]""#, r#"{"b": [2, {}]}"#, "[[]]", "true", "null", "-1.5e3"]
        );
        assert_eq!(elements(r#"{"a": 1}"#), None);
        assert_eq!(fields(r#"{}"#), Some(vec![]));
        assert_eq!(fields("{ \"A\" : [1, 2] ,\n\"B\":{\"C\": \"}\"}}").unwrap(), vec![("A", "[1, 2]"), ("B", r#"{"C": "}"}"#)]);
        assert_eq!(fields(r#"{"A\u0042": 1}"#), None);
        assert_eq!(fields("[1]"), None);
    }

    /// JSON values with long strings of the bytes the scans look for, so that they fall
    /// anywhere in an eight-byte word, and of the letters that share the brackets' test.
    fn long_strings() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        use serde_json::Value;
        let text = || {
            proptest::collection::vec(
                prop_oneof![Just('"'), Just('\\'), Just('['), Just('}'), Just('Y'), Just('_'), Just('y'), Just('a')],
                0..24,
            )
            .prop_map(|c| c.into_iter().collect::<String>())
        };
        let leaf =
            prop_oneof![Just(Value::Null), (-5i64..100_000).prop_map(Value::from), Just(Value::from(true)), text().prop_map(Value::from)];
        leaf.prop_recursive(4, 40, 4, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                proptest::collection::vec((text(), inner), 0..5).prop_map(|fields| Value::Object(fields.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        /// What serde_json reads in the same texts, compact and pretty-printed.
        #[test]
        fn parts_match_serde_json(value in proptest::prop_oneof![crate::model::validate::tests::json(), long_strings()]) {
            for text in [serde_json::to_string(&value).unwrap(), serde_json::to_string_pretty(&value).unwrap()] {
                let by_serde: Option<Vec<&str>> = serde_json::from_str::<Vec<&RawValue>>(&text).ok().map(|v| v.iter().map(|r| r.get()).collect());
                proptest::prop_assert_eq!(elements(&text), by_serde, "{}", text);
                let mut de = serde_json::Deserializer::from_str(&text);
                let by_serde: Option<Vec<(String, &str)>> = serde::Deserializer::deserialize_map(&mut de, Fields).ok();
                let by_scan = fields(&text).map(|f| f.into_iter().map(|(k, v)| (k.to_owned(), v)).collect::<Vec<_>>());
                match (by_scan, by_serde) {
                    // Only an object with a key that JSON escapes is left to serde_json.
                    (None, Some(by_serde)) => {
                        proptest::prop_assert!(by_serde.iter().any(|(k, _)| k.contains(['"', '\\'])), "{}", text);
                    }
                    (by_scan, by_serde) => proptest::prop_assert_eq!(by_scan, by_serde, "{}", text),
                }
            }
        }
    }

    /// An object's fields in order, each value as its text, as serde_json reads them.
    struct Fields;

    impl<'de> serde::de::Visitor<'de> for Fields {
        type Value = Vec<(String, &'de str)>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an object")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some((key, value)) = map.next_entry::<String, &'de RawValue>()? {
                out.push((key, value.get()));
            }
            Ok(out)
        }
    }
}
