//! What a string must look like beyond its type: the spec's `format` (`date`, `date-time`, `email`, `uri`), its
//! `pattern`, and the docs spec's own `x-format` (`{email: …}`, `{uri: true}`, `{guid: true}`, from the validation
//! library behind Torii's API). The mock refuses request values that break them, so it cannot store a value it
//! would then serve against its own schema (an empty SCIM email was one).

use std::sync::{Mutex, OnceLock};

use serde_json::Value;

/// Why `text` breaks its schema's format or pattern, if it does.
pub fn problem(schema: &Value, text: &str) -> Option<String> {
    let format = schema.get("format").and_then(Value::as_str);
    let x_format = schema.get("x-format").and_then(Value::as_object);
    let wants = |name: &str| {
        format == Some(name) || x_format.is_some_and(|x| x.get(name).is_some_and(|v| v != &Value::Bool(false)))
    };
    if wants("email") && !email(text) {
        return Some("must be an email address".into());
    }
    if (wants("uri") || wants("url")) && !uri(text) {
        return Some("must be a URI".into());
    }
    if wants("guid") && !guid(text) {
        return Some("must be a GUID".into());
    }
    // The docs spec marks date-times `format: date` (its own examples are date-times): either is taken.
    if (format == Some("date") || format == Some("date-time")) && !date_or_date_time(text) {
        return Some("must be an ISO 8601 date or date-time".into());
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str)
        && matches(pattern, text) == Some(false)
    {
        return Some(format!("must match the pattern {pattern}"));
    }
    None
}

pub fn email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    let clean = |s: &str| !s.is_empty() && !s.contains('@') && !s.chars().any(char::is_whitespace);
    clean(local) && clean(domain) && domain.char_indices().any(|(i, c)| c == '.' && i > 0 && i + 1 < domain.len())
}

fn uri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else { return false };
    scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !rest.is_empty()
        && !text.chars().any(char::is_whitespace)
}

fn guid(text: &str) -> bool {
    let groups: Vec<&str> = text.trim_matches(|c| c == '{' || c == '}').split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

fn date_or_date_time(text: &str) -> bool {
    let date = text.get(..10).unwrap_or_default();
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let parts: Vec<&str> = date.split('-').collect();
    let date_ok = parts.len() == 3 && parts.iter().zip([4, 2, 2]).all(|(p, n)| p.len() == n && digits(p));
    date_ok && (text.len() == 10 || text[10..].starts_with('T'))
}

/// Whether `text` matches `pattern` (ECMAScript syntax, as OpenAPI's); `None` for a pattern that does not compile.
fn matches(pattern: &str, text: &str) -> Option<bool> {
    static COMPILED: OnceLock<Mutex<std::collections::HashMap<String, Option<regress::Regex>>>> = OnceLock::new();
    let mut cache = COMPILED.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner());
    let regex = cache.entry(pattern.to_string()).or_insert_with(|| regress::Regex::new(pattern).ok());
    regex.as_ref().map(|r| r.find(text).is_some())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn formats_and_patterns_refuse_what_they_should() {
        let email = json!({"type": "string", "x-format": {"email": true}});
        assert!(super::problem(&email, "").is_some() && super::problem(&email, "a@b.co").is_none());
        let uri = json!({"type": "string", "x-format": {"uri": true}});
        assert!(super::problem(&uri, "not a uri").is_some() && super::problem(&uri, "https://x.example").is_none());
        let date = json!({"type": "string", "format": "date"});
        for good in ["2026-01-01", "2026-01-01T00:00:00.000Z"] {
            assert!(super::problem(&date, good).is_none(), "{good}");
        }
        assert!(super::problem(&date, "yesterday").is_some());
        let cursor = json!({"type": "string", "pattern": "^[0-9]+$"});
        assert!(super::problem(&cursor, "12a").is_some() && super::problem(&cursor, "12").is_none());
    }
}
