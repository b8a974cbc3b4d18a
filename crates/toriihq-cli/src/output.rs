//! Writing answers: JSON (the whole answer), NDJSON, CSV or a table (the items of a list, one per line or row).
//! Items are written as they come, so `--all` holds one page at a time; only a table, which sizes its columns to
//! every row, keeps them all.

use std::io::Write;

use serde_json::{Map, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Ndjson,
    Table,
    Csv,
}

impl Format {
    pub fn parse(text: &str) -> Format {
        match text {
            "ndjson" => Format::Ndjson,
            "table" => Format::Table,
            "csv" => Format::Csv,
            _ => Format::Json,
        }
    }
}

pub struct Output<W: Write> {
    format: Format,
    fields: Option<Vec<String>>,
    out: W,
    /// Items written so far.
    pub items: u64,
    columns: Option<Vec<String>>,
    table: Vec<Vec<String>>,
}

impl<W: Write> Output<W> {
    pub fn new(format: Format, fields: Option<&str>, out: W) -> Self {
        let fields =
            fields.map(|list| list.split(',').map(|f| f.trim().to_string()).filter(|f| !f.is_empty()).collect());
        Output { format, fields, out, items: 0, columns: None, table: Vec::new() }
    }

    /// One whole answer. `items_key` names its list, when the operation pages.
    pub fn answer(&mut self, answer: &Value, items_key: Option<&str>) -> std::io::Result<()> {
        if self.format == Format::Json {
            let shown = match (&self.fields, items_of(answer, items_key)) {
                (Some(_), Some((key, items))) => {
                    let mut shown = answer.clone();
                    shown[key] = Value::Array(items.iter().map(|item| self.selected(item)).collect());
                    shown
                }
                (Some(_), None) => self.selected(single(answer)),
                (None, _) => answer.clone(),
            };
            serde_json::to_writer_pretty(&mut self.out, &shown)?;
            return writeln!(self.out);
        }
        match items_of(answer, items_key) {
            Some((_, items)) => items.iter().try_for_each(|item| self.row(item))?,
            None => self.row(single(answer))?,
        }
        self.finish()
    }

    /// One item of a list being streamed (`--all`).
    pub fn item(&mut self, item: &Value) -> std::io::Result<()> {
        if self.format == Format::Json {
            let opening = if self.items == 0 { "[\n  " } else { ",\n  " };
            self.out.write_all(opening.as_bytes())?;
            let selected = self.selected(item);
            serde_json::to_writer(&mut self.out, &selected)?;
            self.items += 1;
            return Ok(());
        }
        self.row(item)
    }

    /// After the last item of a stream (or of an answer): closes the JSON array, prints the table.
    pub fn finish(&mut self) -> std::io::Result<()> {
        match self.format {
            Format::Json => self.out.write_all(if self.items == 0 { b"[]\n" } else { b"\n]\n" })?,
            Format::Table => self.print_table()?,
            Format::Ndjson | Format::Csv => {}
        }
        self.out.flush()
    }

    /// Flushes what is written so far (after each page, and before an error is reported).
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }

    fn row(&mut self, item: &Value) -> std::io::Result<()> {
        self.items += 1;
        if self.format == Format::Ndjson {
            let selected = self.selected(item);
            serde_json::to_writer(&mut self.out, &selected)?;
            return writeln!(self.out);
        }
        let columns = self.columns.get_or_insert_with(|| match &self.fields {
            Some(fields) => fields.clone(),
            None => item.as_object().map(|map| map.keys().cloned().collect()).unwrap_or_else(|| vec!["value".into()]),
        });
        let first = self.items == 1;
        let cells: Vec<String> = columns
            .iter()
            .map(|column| match item {
                Value::Object(_) => cell(lookup(item, column)),
                other if column == "value" => cell(Some(other)),
                _ => String::new(),
            })
            .collect();
        if self.format == Format::Table {
            if first {
                self.table.push(columns.clone());
            }
            self.table.push(cells);
            return Ok(());
        }
        if first {
            let header: Vec<String> = columns.iter().map(|c| csv_field(c)).collect();
            writeln!(self.out, "{}", header.join(","))?;
        }
        let line: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
        writeln!(self.out, "{}", line.join(","))
    }

    fn print_table(&mut self) -> std::io::Result<()> {
        let rows = std::mem::take(&mut self.table);
        let Some(header) = rows.first() else { return Ok(()) };
        let widths: Vec<usize> = (0..header.len())
            .map(|i| rows.iter().map(|row| row[i].chars().count().min(60)).max().unwrap_or(0))
            .collect();
        for row in &rows {
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(text, width)| {
                    let shown: String = if text.chars().count() > 60 {
                        text.chars().take(59).chain(['…']).collect()
                    } else {
                        text.clone()
                    };
                    format!("{shown:<width$}")
                })
                .collect();
            writeln!(self.out, "{}", cells.join("  ").trim_end())?;
        }
        Ok(())
    }

    /// The item with only the `--fields` asked for, as `{"a": …, "b.c": …}`.
    fn selected(&self, item: &Value) -> Value {
        match &self.fields {
            None => item.clone(),
            Some(fields) => {
                let map: Map<String, Value> =
                    fields.iter().map(|f| (f.clone(), lookup(item, f).cloned().unwrap_or(Value::Null))).collect();
                Value::Object(map)
            }
        }
    }
}

/// The list in an answer: under `items_key`, else its only array when little else is beside it (`{roles: […]}`,
/// `{fields: […], count}`; a user with a list of emails is one item, not a list).
fn items_of<'a>(answer: &'a Value, items_key: Option<&'a str>) -> Option<(&'a str, &'a Vec<Value>)> {
    let map = answer.as_object()?;
    if let Some(key) = items_key
        && let Some(Value::Array(items)) = map.get(key)
    {
        return Some((key, items));
    }
    let mut arrays = map.iter().filter_map(|(k, v)| v.as_array().map(|a| (k.as_str(), a)));
    match (arrays.next(), arrays.next()) {
        (Some(only), None) if map.len() <= 4 => Some(only),
        _ => None,
    }
}

/// An answer that wraps one object (`{"app": {…}}`) as that object.
fn single(answer: &Value) -> &Value {
    match answer.as_object() {
        Some(map) if map.len() == 1 => map.values().next().filter(|v| v.is_object()).unwrap_or(answer),
        _ => answer,
    }
}

/// `a.b.c` inside `value`.
fn lookup<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |at, key| at.get(key))
}

fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

/// RFC 4180: quoted when it holds a comma, a quote or a line break, quotes doubled.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn written(format: Format, fields: Option<&str>, write: impl FnOnce(&mut Output<&mut Vec<u8>>)) -> String {
        let mut bytes = Vec::new();
        let mut output = Output::new(format, fields, &mut bytes);
        write(&mut output);
        String::from_utf8(bytes).unwrap()
    }

    fn apps() -> Value {
        json!({"apps": [
            {"id": 1, "name": "Slack, Inc", "primaryOwner": {"email": "a@x.io"}},
            {"id": 2, "name": "Say \"hi\"", "primaryOwner": null}
        ], "nextCursor": "c2"})
    }

    #[test]
    fn csv_quotes_and_follows_dotted_fields() {
        let text =
            written(Format::Csv, Some("id,name,primaryOwner.email"), |o| o.answer(&apps(), Some("apps")).unwrap());
        assert_eq!(text, "id,name,primaryOwner.email\n1,\"Slack, Inc\",a@x.io\n2,\"Say \"\"hi\"\"\",\n");
    }

    #[test]
    fn streamed_json_is_one_array_and_ndjson_one_line_each() {
        let items = apps()["apps"].as_array().unwrap().clone();
        let json_text = written(Format::Json, Some("id"), |o| {
            items.iter().for_each(|i| o.item(i).unwrap());
            o.finish().unwrap()
        });
        assert_eq!(serde_json::from_str::<Value>(&json_text).unwrap(), json!([{"id": 1}, {"id": 2}]));
        assert_eq!(written(Format::Json, None, |o| o.finish().unwrap()), "[]\n");
        let ndjson = written(Format::Ndjson, Some("primaryOwner.email"), |o| o.answer(&apps(), None).unwrap());
        assert_eq!(ndjson, "{\"primaryOwner.email\":\"a@x.io\"}\n{\"primaryOwner.email\":null}\n");
    }

    #[test]
    fn a_table_pads_columns_and_a_single_object_is_one_row() {
        let table = written(Format::Table, Some("id,name"), |o| o.answer(&apps(), Some("apps")).unwrap());
        assert_eq!(table, "id  name\n1   Slack, Inc\n2   Say \"hi\"\n");
        let one = written(Format::Table, None, |o| o.answer(&json!({"app": {"id": 7, "name": "Zoom"}}), None).unwrap());
        assert_eq!(one, "id  name\n7   Zoom\n");
    }
}
