//! A call to an endpoint the spec does not describe yet — Torii ships endpoints before its docs do — by method and
//! path, through the same pipeline as every operation: the key (to the API's origin only), the call's options, the
//! retries, the size cap, the log line and the error classes. The path must stay under the base URL: it is checked
//! before anything is sent, as path ids are.

use serde_json::Value;

use crate::dynamic::{RawResponse, plain_text, with_deadline};
use crate::options::CallOptions;
use crate::{Client, Error, Result};

impl Client {
    /// Sends `method path` (`"GET"`, `"/apps/42/notes"`) under the base URL with `query` pairs and a JSON `body`,
    /// and returns the answer as it came. A status outside 2xx is its error class, as for an operation. `path`
    /// must start with `/` and stay under the base URL: another host, a scheme, `..`, a query or fragment (use
    /// `query`), a backslash or a character outside RFC 3986's path characters is an invalid argument.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        query: &[(String, String)],
        body: Option<&Value>,
        options: &CallOptions,
    ) -> Result<RawResponse> {
        let method: reqwest::Method = method
            .parse()
            .map_err(|_| Error::invalid_argument("method", format!("{method:?} is not an HTTP method")))?;
        check_path(path)?;
        let transport = self.inner.for_call(options).labelled(path);
        let mut builder = transport.http().request(method, transport.url(path)).query(query);
        if let Some(body) = body {
            builder = builder.json(body);
        }
        let request = builder.build().map_err(|e| Error::invalid_argument("path", e.to_string()))?;
        let call = async {
            let (status, headers, body) = transport.send(request).await?;
            Ok(RawResponse::new(status, &headers, body))
        };
        with_deadline(options.timeout, call).await
    }

    /// As [`Client::request`], with the query and the body in one JSON object, `{"query": {...}, "body": ...}`
    /// (what the Python and Node packages send): a list in `query` repeats its key, `null` leaves it out.
    pub async fn request_json(
        &self,
        method: &str,
        path: &str,
        params: &Value,
        options: &CallOptions,
    ) -> Result<RawResponse> {
        let query = query_pairs(params.get("query").unwrap_or(&Value::Null))?;
        let body = params.get("body").filter(|body| !body.is_null());
        self.request(method, path, &query, body, options).await
    }
}

/// Query parameters given as a JSON object: a list repeats its key, any other value is sent as its text; `null`
/// leaves the key out.
fn query_pairs(query: &Value) -> Result<Vec<(String, String)>> {
    let map = match query {
        Value::Null => return Ok(Vec::new()),
        Value::Object(map) => map,
        other => {
            let problem = format!("must be an object, not {}", toriihq_spec::ValueType::of(other));
            return Err(Error::invalid_type("query", problem));
        }
    };
    let mut pairs = Vec::new();
    for (name, value) in map {
        match value {
            Value::Null => {}
            Value::Array(items) => pairs.extend(items.iter().map(|item| (name.clone(), plain_text(item)))),
            other => pairs.push((name.clone(), plain_text(other))),
        }
    }
    Ok(pairs)
}

/// A path under the base URL, or why not.
fn check_path(path: &str) -> Result<()> {
    let refuse = |problem: &str| Err(Error::invalid_argument("path", format!("{path:?} {problem}")));
    if !path.starts_with('/') {
        return refuse("must start with `/`: it is a path under the base URL (another host cannot be called)");
    }
    if path.starts_with("//") {
        return refuse("starts with `//`, which names another host");
    }
    if let Some(c) = path.chars().find(|c| !is_path_char(*c)) {
        let problem = match c {
            '?' | '#' => "holds a query or fragment: give query parameters in `query`".to_string(),
            '\\' => "holds a backslash, which URL parsers read as `/`".to_string(),
            other => format!("holds {other:?}, which a path cannot carry unencoded (percent-encode it)"),
        };
        return refuse(&problem);
    }
    let bytes = path.as_bytes();
    for (i, _) in path.match_indices('%') {
        if !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit) && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        {
            return refuse("holds a `%` that is not a %XX escape");
        }
    }
    // `.` and `..` (however encoded: the URL parser decodes `%2e`) would climb out of the base URL's path.
    let dots = |segment: &str| matches!(segment.to_ascii_lowercase().replace("%2e", ".").as_str(), "." | "..");
    if path.split('/').any(dots) {
        return refuse("holds a `.` or `..` segment, which would leave the base URL's path");
    }
    Ok(())
}

/// RFC 3986's `pchar` (unreserved, sub-delims, `:` and `@`), `%` for escapes, and `/`.
fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@%/".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_under_the_base_url_pass() {
        for good in ["/apps", "/apps/42/notes", "/users/7/apps/3", "/a%20b", "/x;y=1", "/v2/", "/...", "/a.b"] {
            assert!(check_path(good).is_ok(), "{good}");
        }
        for bad in [
            "apps",
            "//evil.example/x",
            "http://evil.example/x",
            "/apps?x=1",
            "/apps#x",
            "/a\\..\\admin",
            "/../admin",
            "/apps/../../admin",
            "/%2e%2e/admin",
            "/.%2E/admin",
            "/./x",
            "/a b",
            "/é",
            "/%zz",
            "/a\r\nX: y",
        ] {
            let error = check_path(bad).unwrap_err();
            assert!(matches!(&error, Error::InvalidArgument { name, .. } if name == "path"), "{bad}: {error:?}");
        }
    }
}
