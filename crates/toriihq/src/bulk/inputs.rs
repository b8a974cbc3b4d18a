//! A bulk job's inputs read from a file, a line at a time (a file of a million lines is never held whole): CSV
//! with a header row, or NDJSON (one JSON object a line). Columns and keys name the call's parameters as the spec
//! does (`idUser`, or `id_user`); `body.firstName` is the field `firstName` of the request body (NDJSON may also
//! give the body whole, under `body`). A CSV cell of a body field is read as JSON when it is a number, `true`,
//! `false`, an array or an object, as text otherwise; an empty cell is left out. Path, query and header
//! parameters are sent as text whatever they look like.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde_json::{Map, Value};

use super::{BulkItem, Input};
use crate::dynamic::BODY;
use crate::{Error, Result};

/// Which parameter names each item's key (its value), or the item's line number when none.
#[derive(Debug, Clone, Default)]
pub struct KeyColumn(pub Option<String>);

/// The items of the CSV or NDJSON file at `path`, read lazily; the format is told by the extension (`.csv`;
/// `.ndjson`, `.jsonl` or `.json`) or, failing that, by the first character (`{` is NDJSON).
pub fn read_file(path: &Path, key: KeyColumn) -> Result<Box<dyn Iterator<Item = Input> + Send>> {
    let file = crate::local_file::open("from", path)?.file;
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let mut reader = BufReader::new(file);
    let ndjson = match extension.as_deref() {
        Some("csv") => false,
        Some("ndjson" | "jsonl" | "json") => true,
        _ => {
            let start = reader.fill_buf().map_err(|e| read_error(path, e))?;
            start.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
        }
    };
    if ndjson { Ok(Box::new(ndjson_items(reader, key))) } else { csv_items(reader, key, path) }
}

fn read_error(path: &Path, error: impl std::fmt::Display) -> Error {
    bad_input(format!("{}: {error}", path.display()))
}

/// An input that cannot become an item: the argument `from`, the file, is what is wrong.
fn bad_input(problem: String) -> Error {
    Error::invalid_argument("from", problem)
}

fn ndjson_items(reader: BufReader<File>, key: KeyColumn) -> impl Iterator<Item = Input> + Send {
    reader.lines().enumerate().filter_map(move |(index, line)| {
        let number = index + 1;
        let line = match line {
            Ok(line) if line.trim().is_empty() => return None,
            Ok(line) => line,
            Err(error) => return Some(Err((number.to_string(), bad_input(format!("line {number}: {error}"))))),
        };
        let item = match serde_json::from_str::<Value>(&line) {
            Ok(Value::Object(fields)) => item(fields, &key, number),
            Ok(other) => Err(bad_input(format!("line {number}: {other} is not an object"))),
            Err(error) => Err(bad_input(format!("line {number}: {error}"))),
        };
        Some(item.map_err(|error| (number.to_string(), error)))
    })
}

fn csv_items(reader: BufReader<File>, key: KeyColumn, path: &Path) -> Result<Box<dyn Iterator<Item = Input> + Send>> {
    let mut csv = csv::ReaderBuilder::new().flexible(false).from_reader(reader);
    let header: Vec<String> = csv.headers().map_err(|e| read_error(path, e))?.iter().map(str::to_string).collect();
    let rows = csv.into_records().map(move |row| {
        let number = row.as_ref().ok().and_then(|r| r.position()).map_or(0, |p| p.line() as usize);
        let fields = row.map_err(|e| bad_input(format!("line {number}: {e}"))).map(|row| cells(&header, &row));
        fields.and_then(|fields| item(fields, &key, number)).map_err(|error| (number.to_string(), error))
    });
    Ok(Box::new(rows))
}

/// A CSV row as JSON fields: body fields read as JSON where they are one, empty cells left out.
fn cells(header: &[String], row: &csv::StringRecord) -> Map<String, Value> {
    header
        .iter()
        .zip(row.iter())
        .filter(|(_, cell)| !cell.is_empty())
        .map(|(name, cell)| {
            let value = match name.starts_with("body.") {
                true => match serde_json::from_str::<Value>(cell) {
                    Ok(value @ (Value::Number(_) | Value::Bool(_) | Value::Array(_) | Value::Object(_))) => value,
                    _ => Value::String(cell.to_string()),
                },
                false => Value::String(cell.to_string()),
            };
            (name.clone(), value)
        })
        .collect()
}

/// One item from its fields: `body.x` gathered into the body, the key taken from its column.
pub(super) fn item(fields: Map<String, Value>, key: &KeyColumn, number: impl std::fmt::Display) -> Result<BulkItem> {
    let mut params = Map::new();
    let mut body = Map::new();
    for (name, value) in fields {
        match name.strip_prefix("body.") {
            Some(field) => {
                body.insert(field.to_string(), value);
            }
            None => {
                params.insert(name, value);
            }
        }
    }
    if !body.is_empty() {
        match params.entry(BODY).or_insert_with(|| Value::Object(Map::new())) {
            Value::Object(whole) => whole.extend(body),
            _ => return Err(bad_input(format!("line {number}: `body` is not an object"))),
        }
    }
    let key = match &key.0 {
        None => number.to_string(),
        Some(column) => match params.get(column) {
            Some(Value::String(text)) => text.clone(),
            Some(value) if !value.is_null() => value.to_string(),
            _ => return Err(bad_input(format!("line {number}: the key column `{column}` is empty"))),
        },
    };
    Ok(BulkItem { key, params: Value::Object(params) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(name: &str, text: &str, key: Option<&str>) -> Vec<std::result::Result<(String, Value), String>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        read_file(&path, KeyColumn(key.map(str::to_string)))
            .unwrap()
            .map(|input| input.map(|item| (item.key, item.params)).map_err(|(key, e)| format!("{key}: {e}")))
            .collect()
    }

    #[test]
    fn csv_rows_become_parameters_with_body_fields_gathered() {
        let items = read(
            "users.csv",
            "idUser,body.firstName,body.isExternal,body.tags\n17,Ada,true,\"[1,2]\"\n18,0042,,\n",
            None,
        );
        assert_eq!(
            items[0].as_ref().unwrap(),
            &(
                "2".to_string(),
                serde_json::json!({"idUser": "17", "body": {"firstName": "Ada", "isExternal": true, "tags": [1, 2]}})
            )
        );
        // 0042 is no JSON number: it stays the text it was.
        assert_eq!(items[1].as_ref().unwrap().1, serde_json::json!({"idUser": "18", "body": {"firstName": "0042"}}));
    }

    #[test]
    fn ndjson_lines_are_objects_and_a_bad_line_fails_alone() {
        let items = read(
            "users.ndjson",
            "{\"idUser\": 1, \"body.lifecycleStatus\": \"offboarding\"}\n\nnot json\n[1]\n{\"idUser\": 4}\n",
            Some("idUser"),
        );
        assert_eq!(items.len(), 4);
        assert_eq!(
            items[0].as_ref().unwrap(),
            &("1".to_string(), serde_json::json!({"idUser": 1, "body": {"lifecycleStatus": "offboarding"}}))
        );
        assert!(items[1].as_ref().unwrap_err().starts_with("3: "), "{:?}", items[1]);
        assert!(items[2].as_ref().unwrap_err().contains("not an object"));
        assert_eq!(items[3].as_ref().unwrap().0, "4");
    }

    #[test]
    fn the_format_is_sniffed_without_an_extension_and_a_missing_key_is_an_error() {
        let items = read("sniffed", "{\"idUser\": 1}\n", Some("email"));
        assert!(items[0].as_ref().unwrap_err().contains("key column `email` is empty"));
        let items = read("sniffed-csv", "email\nada@example.com\n", Some("email"));
        assert_eq!(items[0].as_ref().unwrap().0, "ada@example.com");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Whatever the lines hold, each that is not blank becomes exactly one input: an item or its error.
        #[test]
        fn any_ndjson_gives_one_input_per_line(lines in proptest::collection::vec("[ -~\\p{L}{}\\[\\]\":,]{0,40}", 0..16)) {
            let items = read("property.ndjson", &lines.join("\n"), Some("idUser"));
            proptest::prop_assert_eq!(items.len(), lines.iter().filter(|line| !line.trim().is_empty()).count());
        }

        /// A CSV of anything is read without a panic, never into more inputs than it has lines.
        #[test]
        fn any_csv_is_read_without_a_panic(text in "[ -~\\n\\p{L}]{0,200}") {
            let file = tempfile::NamedTempFile::with_prefix("toriihq-inputs-").unwrap();
            std::fs::write(file.path(), &text).unwrap();
            if let Ok(items) = read_file(file.path(), KeyColumn::default()) {
                proptest::prop_assert!(items.count() <= text.lines().count());
            }
        }
    }
}
