//! A call's arguments as the Python and Node packages hand them over: JSON text, read once here, with every
//! problem a typed error naming where it is.

use serde_json::Value;

use crate::{Error, Result};

/// How deep the arguments of one call may nest, counting the arguments object itself: deeper is refused with an
/// error naming the path (the JSON parser's own limit; no Torii body comes near it).
pub const MAX_JSON_DEPTH: usize = 127;

/// `json` (the arguments or options named `what`) as a value; empty is `null`.
pub fn parse(what: &str, json: &[u8]) -> Result<Value> {
    if json.is_empty() {
        return Ok(Value::Null);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        // serde_path_to_error says `.` at the top and `?` where it has no position (the end of the text).
        let name = if matches!(path.as_str(), "" | "." | "?") { what.to_string() } else { path };
        let problem = e.inner().to_string();
        if problem.starts_with("recursion limit exceeded") {
            Error::invalid_type(name, format!("nests deeper than {MAX_JSON_DEPTH} levels, the most a call sends"))
        } else {
            Error::invalid_type(name, problem)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> String {
        format!(r#"{{"body": {}1{}}}"#, "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn arguments_nested_past_the_limit_are_refused_naming_the_path() {
        parse("params", nested(MAX_JSON_DEPTH - 1).as_bytes()).unwrap();
        let error = parse("params", nested(5_000).as_bytes()).unwrap_err();
        let Error::InvalidArgument { name, problem, wrong_type: true } = &error else { panic!("{error:?}") };
        assert!(name.starts_with("body[0][0]"), "{name}");
        assert!(problem.contains("127 levels"), "{problem}");
    }

    #[test]
    fn empty_is_none_and_broken_json_names_the_arguments() {
        assert_eq!(parse("params", b"").unwrap(), Value::Null);
        let error = parse("options", b"{").unwrap_err();
        assert!(matches!(&error, Error::InvalidArgument { name, .. } if name == "options"), "{error:?}");
    }
}
