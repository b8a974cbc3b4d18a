//! The checks a parameter's value must pass, as it travels in a URL or a header: one implementation for the
//! client (before it sends) and the mock (when it receives), so the two cannot disagree. And the limits both
//! sides hold.

use serde_json::Value;

use crate::{Parameter, ValueType};

/// The largest file `POST /files/upload` takes (facts §2.11); larger files go through the presigned URL.
pub const MAX_UPLOAD_BYTES: u64 = 3 * 1024 * 1024;

/// Why a value is not allowed. `wrong_type` tells text of the wrong kind ("ten" for an integer) from a value of
/// the right kind that is out of bounds, not in the enum or too long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueProblem {
    pub wrong_type: bool,
    /// Reads after the parameter's name: "must be an integer, not \"ten\"".
    pub problem: String,
}

impl ValueProblem {
    fn wrong_type(problem: String) -> Self {
        ValueProblem { wrong_type: true, problem }
    }

    fn not_allowed(problem: String) -> Self {
        ValueProblem { wrong_type: false, problem }
    }
}

/// "is 5000; it must be between 1 and 1000" when `number` is outside the bounds.
pub fn bounds_problem(text: &str, number: f64, minimum: Option<f64>, maximum: Option<f64>) -> Option<String> {
    if !(minimum.is_some_and(|m| number < m) || maximum.is_some_and(|m| number > m)) {
        return None;
    }
    let range = match (minimum, maximum) {
        (Some(lo), Some(hi)) => format!("between {lo} and {hi}"),
        (Some(lo), None) => format!("at least {lo}"),
        (None, Some(hi)) => format!("at most {hi}"),
        (None, None) => return None,
    };
    Some(format!("is {text}; it must be {range}"))
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

impl Parameter {
    /// Checks `text`, the value as sent: its type, bounds, enum and length.
    pub fn check(&self, text: &str) -> Result<(), ValueProblem> {
        let number = match self.value_type {
            ValueType::Integer => Some(
                text.trim()
                    .parse::<i64>()
                    .map(|n| n as f64)
                    .map_err(|_| ValueProblem::wrong_type(format!("must be an integer, not {text:?}")))?,
            ),
            ValueType::Number => Some(
                text.trim()
                    .parse::<f64>()
                    .map_err(|_| ValueProblem::wrong_type(format!("must be a number, not {text:?}")))?,
            ),
            ValueType::Boolean if text != "true" && text != "false" => {
                return Err(ValueProblem::wrong_type(format!("must be true or false, not {text:?}")));
            }
            _ => None,
        };
        if let Some(problem) = number.and_then(|n| bounds_problem(text, n, self.minimum, self.maximum)) {
            return Err(ValueProblem::not_allowed(problem));
        }
        if !self.enum_values.is_empty() && !self.enum_values.iter().any(|v| plain(v) == text) {
            let allowed: Vec<String> = self.enum_values.iter().map(plain).collect();
            return Err(ValueProblem::not_allowed(format!("must be one of {}, not {text:?}", allowed.join(", "))));
        }
        if let Some(max) = self.max_length.filter(|m| text.chars().count() as u64 > *m) {
            return Err(ValueProblem::not_allowed(format!("must be at most {max} characters")));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ParameterLocation;

    fn parameter(value_type: ValueType) -> Parameter {
        Parameter {
            name: "size".into(),
            snake_name: "size".into(),
            camel_name: "size".into(),
            location: ParameterLocation::Query,
            required: false,
            value_type,
            schema: None,
            enum_values: Vec::new(),
            minimum: None,
            maximum: None,
            max_length: None,
            pattern: None,
            default: None,
            description: None,
        }
    }

    #[test]
    fn types_bounds_enums_and_lengths() {
        let size = Parameter { minimum: Some(1.0), maximum: Some(1000.0), ..parameter(ValueType::Integer) };
        assert_eq!(size.check("20"), Ok(()));
        assert!(size.check("ten").unwrap_err().wrong_type);
        let too_big = size.check("5000").unwrap_err();
        assert_eq!((too_big.wrong_type, too_big.problem.as_str()), (false, "is 5000; it must be between 1 and 1000"));
        assert!(parameter(ValueType::Boolean).check("yes").unwrap_err().wrong_type);
        let sort = Parameter { enum_values: vec!["asc".into(), "desc".into()], ..parameter(ValueType::String) };
        assert_eq!(sort.check("up").unwrap_err().problem, "must be one of asc, desc, not \"up\"");
        let short = Parameter { max_length: Some(3), ..parameter(ValueType::String) };
        assert!(short.check("abcd").is_err() && short.check("abc").is_ok());
        assert!(parameter(ValueType::Number).check("1.5").is_ok());
    }
}
