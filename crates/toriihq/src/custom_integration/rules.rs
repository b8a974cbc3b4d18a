//! The rules of the custom-integration file (Torii's help article and the facts' §2.13), checked one user or
//! licence at a time; only the emails and licence names stay, for uniqueness and the licence users' cross-check.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::report::{Problem, Report};

#[derive(Default)]
pub(super) struct Checker {
    report: Report,
    /// Whether the file was an object at all (else "users: missing" would only repeat it).
    pub(super) saw_object: bool,
    pub(super) saw_users: bool,
    pub(super) user_count: usize,
    /// Lower-case email → the index of the first user with it.
    emails: HashMap<String, usize>,
    licence_names: HashMap<String, usize>,
    /// Licence users' emails, checked against the users once the whole file is read (licences may come first).
    licence_emails: Vec<(String, String)>,
}

impl Checker {
    pub(super) fn error(&mut self, path: String, message: impl Into<String>) {
        self.report.errors.push(Problem { path, message: message.into() });
    }

    pub(super) fn warning(&mut self, path: String, message: impl Into<String>) {
        self.report.warnings.push(Problem { path, message: message.into() });
    }

    pub(super) fn finish(mut self) -> Report {
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

    pub(super) fn user(&mut self, index: usize, user: Value) {
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

    pub(super) fn licence(&mut self, index: usize, licence: Value) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
