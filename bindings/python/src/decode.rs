//! A JSON body straight into Python objects (dict, list, str, int, float, bool, None), in one pass over the bytes.
//! `json.loads` on a 1,000-user page was most of a page's time in Python; building the objects here skips the
//! intermediate `bytes` object and builds each repeated key once per body.

use std::fmt;

use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// The Python value of a JSON body; an empty body is `None`. A body that is not JSON is the core's decode error.
pub fn to_python<'py>(py: Python<'py>, body: &[u8]) -> Result<Bound<'py, PyAny>, toriihq::Error> {
    if body.is_empty() {
        return Ok(py.None().into_bound(py));
    }
    // Checking the body's UTF-8 once lets the parser borrow every string unchecked (a tenth of a page's time
    // went to checking each string); a body that is not UTF-8 takes the checking path for its error.
    match std::str::from_utf8(body) {
        Ok(text) => parse(py, serde_json::Deserializer::from_str(text), body),
        Err(_) => parse(py, serde_json::Deserializer::from_slice(body), body),
    }
}

fn parse<'de, 'py, R: serde_json::de::Read<'de>>(
    py: Python<'py>,
    mut deserializer: serde_json::Deserializer<R>,
    body: &[u8],
) -> Result<Bound<'py, PyAny>, toriihq::Error> {
    let mut keys = Keys::default();
    let value = Value { py, keys: &mut keys }
        .deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value));
    value.map_err(|error| toriihq::Error::decode(body, &error, None))
}

/// Keys seen in this body: a page of 1,000 users repeats the same dozen keys 1,000 times, in the same order, so
/// the key after the last one found is tried first and the rest are scanned (cheaper than hashing each key).
#[derive(Default)]
struct Keys<'py> {
    seen: Vec<(Box<str>, Bound<'py, PyString>)>,
    next: usize,
}

impl<'py> Keys<'py> {
    /// Beyond this many distinct keys a body is not a list of like objects; scanning would cost more than it saves.
    const MOST: usize = 64;

    fn get(&mut self, py: Python<'py>, key: &str) -> Bound<'py, PyString> {
        let count = self.seen.len();
        for offset in 0..count {
            let index = (self.next + offset) % count;
            let (known, string) = &self.seen[index];
            if &**known == key {
                self.next = index + 1;
                return string.clone();
            }
        }
        let made = PyString::new(py, key);
        if count < Self::MOST {
            self.seen.push((key.into(), made.clone()));
            self.next = count + 1;
        }
        made
    }
}

struct Value<'a, 'py> {
    py: Python<'py>,
    keys: &'a mut Keys<'py>,
}

impl<'de, 'py> DeserializeSeed<'de> for Value<'_, 'py> {
    type Value = Bound<'py, PyAny>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

fn python_failed<E: serde::de::Error>(error: PyErr) -> E {
    E::custom(format!("building the Python value failed: {error}"))
}

impl<'de, 'py> Visitor<'de> for Value<'_, 'py> {
    type Value = Bound<'py, PyAny>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<Self::Value, E> {
        value.into_bound_py_any(self.py).map_err(python_failed)
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Self::Value, E> {
        value.into_bound_py_any(self.py).map_err(python_failed)
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Self::Value, E> {
        value.into_bound_py_any(self.py).map_err(python_failed)
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Self::Value, E> {
        value.into_bound_py_any(self.py).map_err(python_failed)
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(PyString::new(self.py, value).into_any())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.py.None().into_bound(self.py))
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        self.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(Value { py: self.py, keys: &mut *self.keys })? {
            items.push(item);
        }
        PyList::new(self.py, items).map(Bound::into_any).map_err(python_failed)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let dict = PyDict::new(self.py);
        while let Some(key) = map.next_key_seed(Key { py: self.py, keys: &mut *self.keys })? {
            let value = map.next_value_seed(Value { py: self.py, keys: &mut *self.keys })?;
            dict.set_item(key, value).map_err(python_failed)?;
        }
        Ok(dict.into_any())
    }
}

struct Key<'a, 'py> {
    py: Python<'py>,
    keys: &'a mut Keys<'py>,
}

impl<'de, 'py> DeserializeSeed<'de> for Key<'_, 'py> {
    type Value = Bound<'py, PyString>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, 'py> Visitor<'de> for Key<'_, 'py> {
    type Value = Bound<'py, PyString>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an object key")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.keys.get(self.py, key))
    }
}
