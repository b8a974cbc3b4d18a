//! The one record of an error that the Python and Node packages receive and hand to the generated class.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::Error;

/// Everything a binding needs to raise an error as its class. The keys are those of the catalogue's
/// [`super::catalogue::DetailField`]s; absent facts are left out.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ErrorDetail {
    pub kind: &'static str,
    pub class: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub argument: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problems: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drift: Option<Value>,
}

impl Error {
    pub fn detail(&self) -> ErrorDetail {
        let response = self.response();
        ErrorDetail {
            kind: self.kind(),
            class: self.class_name(),
            message: self.to_string(),
            status: response.map(|r| r.status.as_u16()),
            body: response.and_then(|r| r.body.clone()),
            headers: response.map(|r| {
                let mut headers: BTreeMap<String, String> = BTreeMap::new();
                for (name, value) in &r.headers {
                    let value = String::from_utf8_lossy(value.as_bytes());
                    headers
                        .entry(name.as_str().to_string())
                        .and_modify(|joined| {
                            joined.push_str(", ");
                            joined.push_str(&value);
                        })
                        .or_insert_with(|| value.into_owned());
                }
                headers
            }),
            retry_after: match self {
                Error::RateLimited { retry_after, .. } => retry_after.map(|d| d.as_secs_f64()),
                _ => None,
            },
            argument: match self {
                Error::InvalidArgument { name, .. } => Some(name.clone()),
                _ => None,
            },
            problems: match self {
                Error::InvalidFile { problems } => serde_json::to_value(problems).ok(),
                _ => None,
            },
            drift: match self {
                Error::SpecDrift(report) => serde_json::to_value(report).ok(),
                _ => None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use reqwest::StatusCode;
    use reqwest::header::{HeaderMap, HeaderValue};

    use super::super::catalogue::CATALOGUE;
    use super::*;

    fn response(status: u16) -> Box<super::super::ErrorResponse> {
        let mut headers = HeaderMap::new();
        headers.append("x-trace", HeaderValue::from_static("a"));
        headers.append("x-trace", HeaderValue::from_static("b"));
        Box::new(super::super::ErrorResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers,
            body: Some(serde_json::json!({"message": "no"})),
        })
    }

    /// One of each variant. The match below has no wildcard, so a new variant does not compile until it is here.
    fn one_of_each() -> Vec<Error> {
        let all = vec![
            Error::BadRequest(response(400)),
            Error::Authentication(response(401)),
            Error::PermissionDenied(response(403)),
            Error::NotFound(response(404)),
            Error::Conflict(response(409)),
            Error::SyncInProgress(response(409)),
            Error::PayloadTooLarge(response(413)),
            Error::UnprocessableEntity(response(422)),
            Error::RateLimited { response: response(429), retry_after: Some(Duration::from_secs(3)) },
            Error::Server(response(503)),
            Error::UnexpectedStatus(response(418)),
            Error::Timeout,
            Error::Connection("refused".into()),
            Error::Decode { what: "w".into(), location: "l".into() },
            Error::SpecDrift(Box::new(crate::strict::DriftReport {
                operation: "getApps".into(),
                method: "GET".into(),
                route: "/apps".into(),
                status: 200,
                differences: Vec::new(),
                omitted: 0,
            })),
            Error::invalid_argument("limit", "too big"),
            Error::invalid_type("limit", "not a number"),
            Error::InvalidFile {
                problems: vec![crate::custom_integration::Problem {
                    path: "users[0].email".into(),
                    message: "missing".into(),
                }],
            },
            Error::Config("no key".into()),
            Error::Aborted,
            Error::Internal("boom".into()),
        ];
        for error in &all {
            match error {
                Error::BadRequest(_)
                | Error::Authentication(_)
                | Error::PermissionDenied(_)
                | Error::NotFound(_)
                | Error::Conflict(_)
                | Error::SyncInProgress(_)
                | Error::PayloadTooLarge(_)
                | Error::UnprocessableEntity(_)
                | Error::RateLimited { .. }
                | Error::Server(_)
                | Error::UnexpectedStatus(_)
                | Error::Timeout
                | Error::Connection(_)
                | Error::Decode { .. }
                | Error::SpecDrift(_)
                | Error::InvalidArgument { .. }
                | Error::InvalidFile { .. }
                | Error::Config(_)
                | Error::Aborted
                | Error::Internal(_) => {}
            }
        }
        all
    }

    fn rate_limited() -> Error {
        one_of_each().into_iter().find(|e| e.kind() == "rate_limited").unwrap()
    }

    #[test]
    fn every_error_has_a_class_of_the_catalogue_with_its_kind() {
        for error in one_of_each() {
            let class = CATALOGUE.iter().find(|c| c.name == error.class_name());
            let class = class.unwrap_or_else(|| panic!("{} is not in the catalogue", error.class_name()));
            assert_eq!(class.kind, Some(error.kind()), "{}", class.name);
        }
    }

    #[test]
    fn every_class_of_the_catalogue_is_raised_or_is_a_parent() {
        let errors = one_of_each();
        for class in CATALOGUE {
            let raised = errors.iter().any(|e| e.class_name() == class.name);
            let parent = CATALOGUE.iter().any(|c| c.parent == Some(class.name));
            assert!(raised || parent, "{} is never raised and has no subclass", class.name);
        }
    }

    #[test]
    fn parents_come_before_their_children_and_fields_come_from_the_detail() {
        let keys = ["status", "body", "headers", "retry_after", "argument", "problems", "drift"];
        for (index, class) in CATALOGUE.iter().enumerate() {
            if let Some(parent) = class.parent {
                assert!(CATALOGUE[..index].iter().any(|c| c.name == parent), "{} before its parent", class.name);
            }
            for field in class.fields {
                assert!(keys.contains(&field.key), "{}.{} is not a detail key", class.name, field.key);
            }
        }
        let detail = serde_json::to_value(rate_limited().detail()).unwrap();
        for key in keys.iter().filter(|k| !["argument", "problems", "drift"].contains(*k)) {
            assert!(detail.get(key).is_some(), "a rate-limit detail lacks {key}: {detail}");
        }
    }

    #[test]
    fn the_detail_joins_repeated_headers_and_names_the_argument() {
        let detail = rate_limited().detail();
        assert_eq!(detail.headers.unwrap()["x-trace"], "a, b");
        assert_eq!(detail.retry_after, Some(3.0));
        let argument = Error::invalid_type("body.name", "not a string").detail();
        assert_eq!((argument.class, argument.argument.as_deref()), ("ArgumentTypeError", Some("body.name")));
    }
}
