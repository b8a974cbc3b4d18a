//! Path parameters into path segments: the one encoder every call uses (typed builders, calls by name, the
//! packages, the command line).
//!
//! Everything outside RFC 3986's unreserved set (`A–Z a–z 0–9 - . _ ~`) is percent-encoded, so no id can add,
//! remove or change a segment: `/`, `\` (which URL parsers read as `/` in http(s) URLs), `%`, `?`, `#`, controls
//! and non-ASCII all become `%XX`. An id that is empty, `.` or `..` is refused, since a URL resolves such a segment
//! away whatever its encoding (`%2e%2e` is `..` to the WHATWG URL parser), so `.` itself is left as it is.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::{Error, Result};

/// What is encoded: every byte but RFC 3986's unreserved characters.
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// `text` as one path segment. Callers check it first with [`check_segment`] (or use [`segment`]).
pub fn encode_segment(text: &str) -> String {
    utf8_percent_encode(text, NOT_UNRESERVED).to_string()
}

/// Refuses an id that would not be one segment of its own once in a URL. `name` is the argument's.
pub fn check_segment(name: &str, text: &str) -> Result<()> {
    let problem = match text {
        "" => "cannot be empty: it is part of the path",
        "." | ".." => "cannot be `.` or `..`: the URL would resolve it to another path",
        _ => return Ok(()),
    };
    Err(Error::invalid_argument(name, problem))
}

/// The checked, encoded segment for the argument `name`.
pub fn segment(name: &str, text: &str) -> Result<String> {
    check_segment(name, text)?;
    Ok(encode_segment(text))
}

/// What typed builders check before sending: a path parameter's value, when it was set.
pub fn check_argument<T: std::fmt::Display>(name: &str, value: Option<&T>) -> Result<()> {
    match value {
        Some(value) => check_segment(name, &value.to_string()),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_and_unsafe_characters_are_encoded() {
        assert_eq!(encode_segment(r"..\..\admin"), "..%5C..%5Cadmin");
        assert_eq!(encode_segment("../admin"), "..%2Fadmin");
        assert_eq!(encode_segment("%2e%2e"), "%252e%252e");
        assert_eq!(encode_segment("a?b#c d"), "a%3Fb%23c%20d");
        assert_eq!(encode_segment("é\r\n"), "%C3%A9%0D%0A");
        assert_eq!(encode_segment("A-z_0.9~"), "A-z_0.9~");
    }

    #[test]
    fn dot_segments_and_empty_ids_are_refused() {
        for id in ["", ".", ".."] {
            let error = segment("uuid_plugin", id).unwrap_err();
            assert!(matches!(&error, Error::InvalidArgument { name, .. } if name == "uuid_plugin"), "{error:?}");
        }
        assert_eq!(segment("id", "...").unwrap(), "...");
    }
}
