//! A JSON body straight into Python objects (dict, list, str, int, float, bool, None), in one pass over the bytes.
//! `json.loads` on a 1,000-user page was most of a page's time in Python; building the objects here skips the
//! intermediate `bytes` object and makes each key's string once per process. A number beyond the range of a
//! 64-bit integer becomes a float (`json.loads` would keep an int); Torii sends none.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Mutex;

use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use toriihq::dynamic::RawPage;

/// The Python value of a JSON body; an empty body is `None`. A body that is not JSON is the core's decode error.
pub fn to_python<'py>(py: Python<'py>, body: &[u8]) -> Result<Bound<'py, PyAny>, toriihq::Error> {
    if body.is_empty() {
        return Ok(py.None().into_bound(py));
    }
    let _paused = (body.len() >= PAUSE_COLLECTOR_FROM).then(|| CollectorPaused::new(py)).flatten();
    // Checking the body's UTF-8 once lets the parser borrow every string unchecked (a tenth of a page's time
    // went to checking each string); a body that is not UTF-8 takes the checking path for its error.
    match std::str::from_utf8(body) {
        Ok(text) => parse(py, serde_json::Deserializer::from_str(text), body),
        Err(_) => parse(py, serde_json::Deserializer::from_slice(body), body),
    }
}

/// Bodies this large are decoded with Python's cycle collector paused: it ran every 700 new containers, scanning
/// the page being built each time (7 % of a 1,000-user page's decoding; paused, decoding is 6 % faster, measured
/// alternating with orjson). The objects are new and acyclic, and no Python code runs meanwhile (the GIL is held
/// throughout), so nothing can need a collection before it resumes.
const PAUSE_COLLECTOR_FROM: usize = 16 * 1024;

/// `gc.disable()` until dropped, when the collector was running (a program that turned it off keeps it off).
/// Through the `gc` module: `PyGC_Disable` is not in the stable ABI of the oldest Python the wheel serves.
struct CollectorPaused<'py>(Bound<'py, PyModule>);

impl<'py> CollectorPaused<'py> {
    fn new(py: Python<'py>) -> Option<Self> {
        let gc = py.import("gc").ok()?;
        if !gc.call_method0("isenabled").ok()?.is_truthy().ok()? {
            return None;
        }
        gc.call_method0("disable").ok()?;
        Some(CollectorPaused(gc))
    }
}

impl Drop for CollectorPaused<'_> {
    fn drop(&mut self) {
        let _ = self.0.call_method0("enable");
    }
}

/// A Python string of `text`. Through the stable ABI, `PyUnicode_FromStringAndSize` checks the UTF-8 again and
/// works out the widest character; a build for one Python copies an ASCII string's bytes into a string made for
/// them (6 % of decoding a 1,000-user page).
fn string<'py>(py: Python<'py>, text: &str) -> Bound<'py, PyString> {
    #[cfg(not(feature = "abi3"))]
    if text.is_ascii() {
        use pyo3::ffi;
        // SAFETY: PyUnicode_New(n, 127) returns a new compact ASCII string of n bytes, not yet shared, which is
        // filled here; on failure it returns null with an exception set, cleared for the general path below.
        unsafe {
            let made = ffi::PyUnicode_New(text.len() as ffi::Py_ssize_t, 127);
            if !made.is_null() {
                std::ptr::copy_nonoverlapping(text.as_ptr(), ffi::PyUnicode_1BYTE_DATA(made), text.len());
                return Bound::from_owned_ptr(py, made).cast_into_unchecked();
            }
            ffi::PyErr_Clear();
        }
    }
    PyString::new(py, text)
}

/// A dict for `width` keys. Through the stable ABI a dict starts with room for five and grows (rebuilding its
/// table) as keys come; a build for one Python makes it the size of the last object at the same depth (12 % of
/// decoding a 1,000-user page was growing dicts). A body's widest object sizes at most the next dict at its depth,
/// and CPython caps the size it presizes to.
fn dict(py: Python<'_>, width: usize) -> Bound<'_, PyDict> {
    #[cfg(not(feature = "abi3"))]
    if width > 5 {
        // SAFETY: a new dict, not yet shared; on failure null with an exception set, cleared for the path below.
        unsafe {
            let made = _PyDict_NewPresized(width as pyo3::ffi::Py_ssize_t);
            if !made.is_null() {
                return Bound::from_owned_ptr(py, made).cast_into_unchecked();
            }
            pyo3::ffi::PyErr_Clear();
        }
    }
    #[cfg(feature = "abi3")]
    let _ = width;
    PyDict::new(py)
}

#[cfg(not(feature = "abi3"))]
unsafe extern "C" {
    /// CPython's presized dict: outside the stable ABI, and left out of pyo3's bindings as private.
    fn _PyDict_NewPresized(minused: pyo3::ffi::Py_ssize_t) -> *mut pyo3::ffi::PyObject;
}

/// The items of a page, as a Python list: under the key the core found them (an empty list when none).
pub fn page_items<'py>(py: Python<'py>, page: &RawPage) -> Result<Bound<'py, PyAny>, toriihq::Error> {
    let decoded = to_python(py, &page.body)?;
    let items = match (page.items_key, decoded.cast::<PyDict>()) {
        (Some(key), Ok(dict)) => dict.get_item(key).ok().flatten(),
        _ => None,
    };
    Ok(items.unwrap_or_else(|| PyList::empty(py).into_any()))
}

fn parse<'de, 'py, R: serde_json::de::Read<'de>>(
    py: Python<'py>,
    mut deserializer: serde_json::Deserializer<R>,
    body: &[u8],
) -> Result<Bound<'py, PyAny>, toriihq::Error> {
    let mut keys = Keys { seen: Vec::with_capacity(Keys::MOST / 2), next: 0, widths: [0; WIDTHS_KEPT] };
    let value = Value { py, keys: &mut keys, depth: 0 }
        .deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value));
    value.map_err(|error| toriihq::Error::decode(body, &error, None))
}

/// Keys are few and repeat: within a body (a page of 1,000 users repeats a dozen keys 1,000 times, in order) and
/// across calls (every contract has the same keys). A body's keys are looked up in its own list first, trying
/// the key after the last one found; then in a process-wide table, so a key's Python string (and its hash) is
/// made once per process rather than once per body.
struct Keys<'de, 'py> {
    seen: Vec<(&'de str, Bound<'py, PyString>)>,
    next: usize,
    /// How many keys the last object at each depth had: the next one at that depth is likely as wide.
    widths: [usize; WIDTHS_KEPT],
}

const WIDTHS_KEPT: usize = 8;

/// Python strings of the keys seen so far, for any body. Bounded: keys are API field names, not data.
type KeyTable = HashMap<Box<str>, Py<PyString>, BuildHasherDefault<Fnv>>;
static KNOWN: Mutex<Option<KeyTable>> = Mutex::new(None);
const KNOWN_MOST: usize = 4096;
const KEY_LONGEST: usize = 64;

fn known_key<'py>(py: Python<'py>, key: &str) -> Bound<'py, PyString> {
    let lock = || KNOWN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(known) = lock().as_ref().and_then(|keys| keys.get(key)) {
        return known.bind(py).clone();
    }
    // Made outside the lock: creating a Python object can run arbitrary Python code (a collection), which
    // could decode another body and want the lock.
    let made = string(py, key);
    if key.len() <= KEY_LONGEST {
        let mut keys = lock();
        let keys = keys.get_or_insert_with(HashMap::default);
        if keys.len() < KNOWN_MOST {
            keys.insert(key.into(), made.clone().unbind());
        }
    }
    made
}

/// FNV-1a: keys are short, and SipHash's defence against chosen keys buys nothing for a bounded table of names.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for byte in bytes {
            hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

impl<'de, 'py> Keys<'de, 'py> {
    /// Beyond this many distinct keys a body is not a list of like objects; scanning would cost more than it saves.
    const MOST: usize = 64;

    /// A key borrowed from the body (it has no escapes): remembered for the rest of the body.
    fn get(&mut self, py: Python<'py>, key: &'de str) -> Bound<'py, PyString> {
        let count = self.seen.len();
        for offset in 0..count {
            let index = (self.next + offset) % count;
            let (known, string) = &self.seen[index];
            if *known == key {
                self.next = index + 1;
                return string.clone();
            }
        }
        let string = known_key(py, key);
        if count < Self::MOST {
            self.seen.push((key, string.clone()));
            self.next = count + 1;
        }
        string
    }
}

struct Value<'a, 'de, 'py> {
    py: Python<'py>,
    keys: &'a mut Keys<'de, 'py>,
    depth: usize,
}

impl<'de, 'py> DeserializeSeed<'de> for Value<'_, 'de, 'py> {
    type Value = Bound<'py, PyAny>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

fn python_failed<E: serde::de::Error>(error: PyErr) -> E {
    E::custom(format!("building the Python value failed: {error}"))
}

impl<'de, 'py> Visitor<'de> for Value<'_, 'de, 'py> {
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
        Ok(string(self.py, value).into_any())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.py.None().into_bound(self.py))
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        self.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) =
            seq.next_element_seed(Value { py: self.py, keys: &mut *self.keys, depth: self.depth + 1 })?
        {
            items.push(item);
        }
        PyList::new(self.py, items).map(Bound::into_any).map_err(python_failed)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (py, depth) = (self.py, self.depth);
        let dict = dict(py, self.keys.widths.get(depth).copied().unwrap_or(0));
        let mut width = 0;
        while let Some(key) = map.next_key_seed(Key(Value { py, keys: &mut *self.keys, depth: depth + 1 }))? {
            let value = map.next_value_seed(Value { py, keys: &mut *self.keys, depth: depth + 1 })?;
            dict.set_item(key, value).map_err(python_failed)?;
            width += 1;
        }
        if let Some(kept) = self.keys.widths.get_mut(depth) {
            *kept = width;
        }
        Ok(dict.into_any())
    }
}

/// An object key: decoded like a value, but interned.
struct Key<'a, 'de, 'py>(Value<'a, 'de, 'py>);

impl<'de, 'py> DeserializeSeed<'de> for Key<'_, 'de, 'py> {
    type Value = Bound<'py, PyString>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, 'py> Visitor<'de> for Key<'_, 'de, 'py> {
    type Value = Bound<'py, PyString>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an object key")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, key: &'de str) -> Result<Self::Value, E> {
        Ok(self.0.keys.get(self.0.py, key))
    }

    /// A key with escapes, unescaped into a scratch buffer: not kept for the body, still shared process-wide.
    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(known_key(self.0.py, key))
    }
}

/// An answer with its status and headers as `(status, [(name, value)], body bytes)`, for `with_raw_response`.
pub fn response<'py>(py: Python<'py>, response: &toriihq::RawResponse) -> Result<Bound<'py, PyAny>, toriihq::Error> {
    let body = pyo3::types::PyBytes::new(py, &response.body);
    (response.status, response.headers.clone(), body)
        .into_bound_py_any(py)
        .map_err(|e| toriihq::Error::Internal(format!("building a response tuple: {e}")))
}
