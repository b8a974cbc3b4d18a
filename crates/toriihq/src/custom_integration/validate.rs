//! Every problem of a custom-integration file, each with its path. The file is read as a stream: each user and
//! each licence is decoded, checked and dropped, and only the emails and licence names stay (for uniqueness).

use std::collections::HashMap;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One problem: where (`users[3].email`; empty for the whole file) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() { "the file" } else { &self.path };
        write!(f, "{path}: {}", self.message)
    }
}

/// What [`validate`] found: errors (Torii would refuse the file) and warnings (it would take it, perhaps not as
/// meant).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

impl Report {
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Checks a file given as JSON bytes.
pub fn validate(json: &[u8]) -> Report {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    run(&mut deserializer)
}

/// Checks a file read from `reader` (buffer it: the JSON parser reads byte by byte).
pub fn validate_reader(reader: impl std::io::Read) -> Report {
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    run(&mut deserializer)
}

fn run<'de, R: serde_json::de::Read<'de>>(deserializer: &mut serde_json::Deserializer<R>) -> Report {
    let mut checker = Checker::default();
    let outcome = FileSeed(&mut checker).deserialize(&mut *deserializer).and_then(|()| deserializer.end());
    if let Err(error) = outcome {
        checker.error(String::new(), format!("is not valid JSON: {error}"));
    }
    checker.finish()
}

#[derive(Default)]
struct Checker {
    report: Report,
    /// Whether the file was an object at all (else "users: missing" would only repeat it).
    saw_object: bool,
    saw_users: bool,
    user_count: usize,
    /// Lower-case email → the index of the first user with it.
    emails: HashMap<String, usize>,
    licence_names: HashMap<String, usize>,
    /// Licence users' emails, checked against the users once the whole file is read (licences may come first).
    licence_emails: Vec<(String, String)>,
}

impl Checker {
    fn error(&mut self, path: String, message: impl Into<String>) {
        self.report.errors.push(Problem { path, message: message.into() });
    }

    fn warning(&mut self, path: String, message: impl Into<String>) {
        self.report.warnings.push(Problem { path, message: message.into() });
    }

    fn finish(mut self) -> Report {
        if !self.saw_object {
        } else if !self.saw_users {
            self.report
                .errors
                .insert(0, Problem { path: "users".into(), message: "missing: a file needs at least one user".into() });
        } else if self.user_count == 0 && !self.report.errors.iter().any(|p| p.path == "users") {
            self.error("users".into(), "is empty: a file needs at least one user");
        }
        for (path, email) in std::mem::take(&mut self.licence_emails) {
            if !self.emails.contains_key(&email) {
                self.warning(path, format!("{email} is not the email of any user in the file"));
            }
        }
        self.report
    }

    fn user(&mut self, index: usize, user: Value) {
        let path = format!("users[{index}]");
        let Value::Object(user) = user else {
            return self.error(path, "must be an object");
        };
        if let Some(email) = self.email(&path, &user) {
            match self.emails.get(&email) {
                Some(first) => {
                    let first = *first;
                    self.error(
                        format!("{path}.email"),
                        format!("duplicates users[{first}].email (emails are unique, without regard to case)"),
                    );
                }
                None => {
                    self.emails.insert(email, index);
                }
            }
        }
        for key in ["id", "firstName", "lastName", "externalStatus"] {
            self.text(&path, &user, key);
        }
        self.one_of(&path, &user, "status", &["active", "deleted"]);
        match user.get("roles") {
            None | Some(Value::Null) => {}
            Some(Value::Array(roles)) => {
                for (i, role) in roles.iter().enumerate() {
                    if !role.is_string() {
                        self.error(format!("{path}.roles[{i}]"), format!("must be a string, not {}", kind(role)));
                    }
                }
            }
            Some(other) => {
                self.error(format!("{path}.roles"), format!("must be a list of strings, not {}", kind(other)))
            }
        }
        self.date(&path, &user, "lastUsedDate");
        self.unknown_keys(&path, &user, USER_KEYS);
    }

    fn licence(&mut self, index: usize, licence: Value) {
        let path = format!("licenses[{index}]");
        let Value::Object(licence) = licence else {
            return self.error(path, "must be an object");
        };
        match licence.get("name") {
            None | Some(Value::Null) => self.error(format!("{path}.name"), "missing"),
            Some(Value::String(name)) if name.trim().is_empty() => self.error(format!("{path}.name"), "is empty"),
            Some(Value::String(name)) => match self.licence_names.get(name) {
                Some(first) => {
                    let first = *first;
                    self.error(
                        format!("{path}.name"),
                        format!("duplicates licenses[{first}].name (licence names are unique)"),
                    );
                }
                None => {
                    self.licence_names.insert(name.clone(), index);
                }
            },
            Some(other) => self.error(format!("{path}.name"), format!("must be a string, not {}", kind(other))),
        }
        match licence.get("unassignedAmount") {
            None | Some(Value::Null) => {}
            Some(Value::Number(n)) if n.as_f64().is_some_and(|n| n >= 0.0) => {}
            Some(Value::Number(n)) => {
                self.error(format!("{path}.unassignedAmount"), format!("must be 0 or more, not {n}"))
            }
            Some(other) => {
                self.error(format!("{path}.unassignedAmount"), format!("must be a number, not {}", kind(other)))
            }
        }
        match licence.get("pricePerUser") {
            None | Some(Value::Null) => {}
            Some(Value::Number(n)) if n.is_u64() => {}
            Some(Value::Number(n)) if n.as_f64().is_some_and(|n| n < 0.0) => {
                self.error(format!("{path}.pricePerUser"), format!("must be 0 or more, not {n}"));
            }
            Some(Value::Number(n)) => {
                let cents = n.as_f64().map(|f| (f * 100.0).round()).unwrap_or_default();
                self.error(
                    format!("{path}.pricePerUser"),
                    format!("must be a whole number of cents, not {n} (a price of {n} is {cents} cents)"),
                );
            }
            Some(other) => self
                .error(format!("{path}.pricePerUser"), format!("must be a whole number of cents, not {}", kind(other))),
        }
        match licence.get("users") {
            None | Some(Value::Null) => {}
            Some(Value::Array(users)) => {
                for (i, user) in users.iter().enumerate() {
                    let user_path = format!("{path}.users[{i}]");
                    let Value::Object(user) = user else {
                        self.error(user_path, "must be an object");
                        continue;
                    };
                    if let Some(email) = self.email(&user_path, user) {
                        self.licence_emails.push((format!("{user_path}.email"), email));
                    }
                    self.one_of(&user_path, user, "licenseStatus", &["active", "inactive", "deleted"]);
                    self.date(&user_path, user, "lastUsedDate");
                    self.unknown_keys(&user_path, user, LICENCE_USER_KEYS);
                }
            }
            Some(other) => self.error(format!("{path}.users"), format!("must be a list, not {}", kind(other))),
        }
        self.unknown_keys(&path, &licence, LICENCE_KEYS);
    }

    /// The email in lower case, when it is present and well formed.
    fn email(&mut self, path: &str, object: &Map<String, Value>) -> Option<String> {
        let at = format!("{path}.email");
        match object.get("email") {
            None | Some(Value::Null) => self.error(at, "missing"),
            Some(Value::String(email)) if well_formed_email(email) => return Some(email.to_lowercase()),
            Some(Value::String(email)) => self.error(at, format!("{email:?} is not a well-formed email address")),
            Some(other) => self.error(at, format!("must be a string, not {}", kind(other))),
        }
        None
    }

    fn text(&mut self, path: &str, object: &Map<String, Value>, key: &str) {
        if let Some(value) = object.get(key).filter(|v| !v.is_null() && !v.is_string()) {
            self.error(format!("{path}.{key}"), format!("must be a string, not {}", kind(value)));
        }
    }

    fn one_of(&mut self, path: &str, object: &Map<String, Value>, key: &str, allowed: &[&str]) {
        match object.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::String(value)) if allowed.contains(&value.as_str()) => {}
            Some(value) => {
                self.error(format!("{path}.{key}"), format!("must be one of {}, not {value}", allowed.join(", ")))
            }
        }
    }

    fn date(&mut self, path: &str, object: &Map<String, Value>, key: &str) {
        match object.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::String(date)) if iso_8601(date) => {}
            Some(value) => self.error(
                format!("{path}.{key}"),
                format!("must be an ISO 8601 date (2021-07-05) or date-time (2021-07-05T20:43:14Z), not {value}"),
            ),
        }
    }

    fn unknown_keys(&mut self, path: &str, object: &Map<String, Value>, known: &[&str]) {
        for key in object.keys().filter(|k| !known.contains(&k.as_str())) {
            self.warning(
                format!("{path}.{key}"),
                format!("is not a field of the file (known: {}); Torii ignores it", known.join(", ")),
            );
        }
    }
}

const USER_KEYS: &[&str] =
    &["id", "email", "firstName", "lastName", "status", "externalStatus", "roles", "lastUsedDate"];
const LICENCE_KEYS: &[&str] = &["name", "unassignedAmount", "users", "pricePerUser"];
const LICENCE_USER_KEYS: &[&str] = &["email", "licenseStatus", "lastUsedDate"];

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// `local@domain.tld`, no spaces: what the schema's pattern `^[^@\s]+@[^@\s]+\.[^@\s]+$` accepts.
fn well_formed_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    let clean = |s: &str| !s.is_empty() && !s.contains('@') && !s.chars().any(char::is_whitespace);
    clean(local) && clean(domain) && domain.char_indices().any(|(i, c)| c == '.' && i > 0 && i + 1 < domain.len())
}

/// A calendar date, or a date and time (minutes at least) with an optional offset: what the schema's pattern
/// accepts, and a real day of a real month.
fn iso_8601(text: &str) -> bool {
    let (date, time) = match text.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    if date.len() != 10 || chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err() {
        return false;
    }
    let Some(time) = time else { return true };
    let (clock, offset) = match time.find(['Z', '+', '-']) {
        Some(i) => time.split_at(i),
        None => (time, ""),
    };
    let clock_ok = ["%H:%M", "%H:%M:%S", "%H:%M:%S%.f"].iter().any(|format| {
        chrono::NaiveTime::parse_from_str(clock, format).is_ok() && clock.len() >= 5 && &clock[2..3] == ":"
    }) && clock.split(':').all(|part| part.split('.').next().is_some_and(|p| p.len() == 2));
    let offset_ok = match offset {
        "" | "Z" => true,
        _ => {
            let digits: String = offset[1..].chars().filter(|c| *c != ':').collect();
            digits.len() == 4
                && digits.chars().all(|c| c.is_ascii_digit())
                && digits[..2].parse::<u32>().is_ok_and(|h| h < 24)
                && digits[2..].parse::<u32>().is_ok_and(|m| m < 60)
                && (offset.len() == 5 || (offset.len() == 6 && &offset[3..4] == ":"))
        }
    };
    clock_ok && offset_ok
}

/// The whole file: an object whose `users` and `licenses` are read one element at a time.
struct FileSeed<'c>(&'c mut Checker);

impl<'de> DeserializeSeed<'de> for FileSeed<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FileSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with users and licenses")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.0.saw_object = true;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "users" => {
                    self.0.saw_users = true;
                    map.next_value_seed(ListSeed { checker: self.0, list: List::Users })?;
                }
                "licenses" => map.next_value_seed(ListSeed { checker: self.0, list: List::Licences })?,
                other => {
                    map.next_value::<IgnoredAny>()?;
                    self.0.warning(
                        other.to_string(),
                        "is not a field of the file (known: users, licenses); Torii ignores it",
                    );
                }
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.0.error(String::new(), "must be an object with `users` (and `licenses`), not a list");
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.0.error(String::new(), "must be an object with `users` (and `licenses`), not null");
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.visit_unit()
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.visit_unit()
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.visit_unit()
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.visit_unit()
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.visit_unit()
    }
}

#[derive(Clone, Copy)]
enum List {
    Users,
    Licences,
}

impl List {
    fn key(self) -> &'static str {
        match self {
            List::Users => "users",
            List::Licences => "licenses",
        }
    }
}

/// `users` or `licenses`: each element decoded alone, checked, dropped.
struct ListSeed<'c> {
    checker: &'c mut Checker,
    list: List,
}

impl<'de> DeserializeSeed<'de> for ListSeed<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl ListSeed<'_> {
    fn not_a_list(self, what: &str) {
        let message = if what == "null" && matches!(self.list, List::Licences) {
            return;
        } else {
            format!("must be a list, not {what}")
        };
        self.checker.error(self.list.key().to_string(), message);
    }
}

impl<'de> Visitor<'de> for ListSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while let Some(element) = seq.next_element::<Value>()? {
            match self.list {
                List::Users => self.checker.user(index, element),
                List::Licences => self.checker.licence(index, element),
            }
            index += 1;
        }
        if let List::Users = self.list {
            self.checker.user_count = index;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        self.not_a_list("an object");
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.not_a_list("null");
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.not_a_list("a boolean");
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.not_a_list("a number");
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.not_a_list("a number");
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.not_a_list("a number");
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.not_a_list("a string");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(report: &Report) -> Vec<&str> {
        report.errors.iter().map(|p| p.path.as_str()).collect()
    }

    #[test]
    fn six_different_problems_are_all_reported_with_their_paths() {
        let report = validate(include_bytes!("../../../../spec/custom-integration/examples/six-problems.json"));
        assert_eq!(
            paths(&report),
            [
                "users[1].email",
                "users[2].email",
                "users[2].status",
                "users[3].email",
                "users[3].lastUsedDate",
                "licenses[0].pricePerUser"
            ],
            "{report:#?}"
        );
        let price = &report.errors[5].message;
        assert!(price.contains("cents") && price.contains("3520"), "{price}");
        assert!(report.errors[1].message.contains("users[0]"), "{:?}", report.errors[1]);
    }

    #[test]
    fn the_docs_example_is_valid() {
        let report = validate(include_bytes!("../../../../spec/custom-integration/examples/docs-example.json"));
        assert_eq!(report, Report::default());
    }

    #[test]
    fn a_licence_user_who_is_no_user_is_a_warning_even_when_licences_come_first() {
        let report = validate(br#"{"licenses": [{"name": "Pro", "users": [{"email": "ghost@example.com"}, {"email": "ADA@example.com"}]}],
                                  "users": [{"email": "ada@example.com"}]}"#);
        assert!(report.is_valid(), "{report:?}");
        assert_eq!(report.warnings.len(), 1);
        assert_eq!(report.warnings[0].path, "licenses[0].users[0].email");
    }

    #[test]
    fn shapes_that_are_not_the_file_are_problems_not_crashes() {
        for (json, path) in [
            (&b"[]"[..], ""),
            (b"null", ""),
            (b"{}", "users"),
            (b"{\"users\": []}", "users"),
            (b"{\"users\": {\"email\": \"a@b.co\"}}", "users"),
            (b"{\"users\": [7]}", "users[0]"),
            (b"{\"users\": [{\"email\": \"a@b.co\", \"roles\": \"admin\"}]}", "users[0].roles"),
            (b"{\"users\": [{\"email\": \"a@b.co\", \"roles\": [\"a\", 1]}]}", "users[0].roles[1]"),
            (
                b"{\"users\": [{\"email\": \"a@b.co\"}], \"licenses\": [{\"name\": \"P\", \"unassignedAmount\": -1}]}",
                "licenses[0].unassignedAmount",
            ),
            (
                b"{\"users\": [{\"email\": \"a@b.co\"}], \"licenses\": [{\"name\": \"P\"}, {\"name\": \"P\"}]}",
                "licenses[1].name",
            ),
            (b"{\"users\": [{\"email\": \"a@b.co\", \"lastUsedDate\": \"2021-02-30\"}]}", "users[0].lastUsedDate"),
            (b"{\"users\": [{\"email\": \"a@b.co\"}", ""),
        ] {
            let report = validate(json);
            assert_eq!(
                report.errors.first().map(|p| p.path.as_str()),
                Some(path),
                "{}: {report:?}",
                String::from_utf8_lossy(json)
            );
        }
    }

    #[test]
    fn dates_and_emails_follow_the_schema_patterns() {
        for good in [
            "2021-07-05",
            "2021-07-05T20:43:14Z",
            "2021-07-05T20:43",
            "2021-07-05T20:43:14.123+02:00",
            "2021-07-05T20:43:14-0500",
        ] {
            assert!(iso_8601(good), "{good}");
        }
        for bad in
            ["2021-7-5", "2021-07-05T25:00", "2021-07-05 20:43", "yesterday", "2021-07-05T20:43:14+2", "2021-13-01"]
        {
            assert!(!iso_8601(bad), "{bad}");
        }
        for good in ["a@b.co", "first.last+tag@sub.example.org"] {
            assert!(well_formed_email(good), "{good}");
        }
        for bad in ["a@b", "@b.co", "a b@c.co", "a@@b.co", "a@.co", "a@b.", "plain"] {
            assert!(!well_formed_email(bad), "{bad}");
        }
    }
}
