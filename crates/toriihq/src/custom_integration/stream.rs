//! The file read as a stream: serde visitors that hand each user and each licence to the rules as it is decoded,
//! so a file of any size is checked without being built.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::report::Report;
use super::rules::Checker;

pub(super) fn run<'de, R: serde_json::de::Read<'de>>(deserializer: &mut serde_json::Deserializer<R>) -> Report {
    let mut checker = Checker::default();
    let outcome = FileSeed(&mut checker).deserialize(&mut *deserializer).and_then(|()| deserializer.end());
    if let Err(error) = outcome {
        checker.error(String::new(), format!("is not valid JSON: {error}"));
    }
    checker.finish()
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
