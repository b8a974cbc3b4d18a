//! Figures: medians, spread and ratios, printed as Markdown tables (the README's Performance section is one
//! paste) and written as JSON under target/bench/.

use std::path::PathBuf;

use anyhow::Result;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// What a driver prints for one measurement.
#[derive(Deserialize, Serialize, Clone, Copy)]
pub struct Sample {
    pub count: u64,
    pub seconds: f64,
    pub rss_kb: u64,
}

pub struct Measured {
    pub name: String,
    pub samples: Vec<Sample>,
}

impl Measured {
    pub fn new(name: &str) -> Self {
        Measured { name: name.to_string(), samples: Vec::new() }
    }
}

#[derive(Clone, Copy)]
pub enum Unit {
    /// Higher is better: count ÷ seconds.
    PerSecond(&'static str),
    /// Lower is better: the sample's seconds.
    Milliseconds,
    /// Lower is better: the peak resident set.
    PeakRss,
}

impl Unit {
    fn value(self, sample: &Sample) -> f64 {
        match self {
            Unit::PerSecond(_) => sample.count as f64 / sample.seconds,
            Unit::Milliseconds => sample.seconds * 1000.0,
            Unit::PeakRss => sample.rss_kb as f64 / 1024.0,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Unit::PerSecond(label) => label,
            Unit::Milliseconds => "ms",
            Unit::PeakRss => "peak RSS, MiB",
        }
    }
}

struct Summary {
    median: f64,
    min: f64,
    max: f64,
    rss_mib: f64,
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.is_empty() {
        f64::NAN
    } else if values.len() % 2 == 1 {
        values[middle]
    } else {
        (values[middle - 1] + values[middle]) / 2.0
    }
}

impl Summary {
    fn of(unit: Unit, measured: &Measured) -> Self {
        let mut values: Vec<f64> = measured.samples.iter().map(|s| unit.value(s)).collect();
        let mut rss: Vec<f64> = measured.samples.iter().map(|s| s.rss_kb as f64 / 1024.0).collect();
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Summary { median: median(&mut values), min, max, rss_mib: median(&mut rss) }
    }

    fn spread_percent(&self) -> f64 {
        (self.max - self.min) / 2.0 / self.median * 100.0
    }
}

pub struct Table {
    id: &'static str,
    title: &'static str,
    language: &'static str,
    unit: Unit,
    rows: Vec<Measured>,
}

impl Table {
    pub fn new(id: &'static str, title: &'static str, language: &'static str, unit: Unit, rows: Vec<Measured>) -> Self {
        Table { id, title, language, unit, rows }
    }

    /// toriihq's speed over the peer's (above 1: toriihq is faster), for tables that compare with peers.
    fn ratio(&self, toriihq: &Summary, peer: &Summary) -> Option<f64> {
        match self.unit {
            Unit::PerSecond(_) => Some(toriihq.median / peer.median),
            Unit::Milliseconds if self.rows.len() > 1 => Some(peer.median / toriihq.median),
            _ => None,
        }
    }

    pub fn print(&self) {
        let summaries: Vec<Summary> = self.rows.iter().map(|m| Summary::of(self.unit, m)).collect();
        let with_rss = self.id == "paginate";
        println!("\n**{} — {}** ({})\n", self.language, self.title, self.unit.label());
        let rss_header = if with_rss { " peak RSS MiB |" } else { "" };
        println!("| client | median | spread |{rss_header} toriihq ÷ peer |");
        println!("|---|---:|---:|{}---:|", if with_rss { "---:|" } else { "" });
        for (row, summary) in self.rows.iter().zip(&summaries) {
            let ratio = match self.ratio(&summaries[0], summary) {
                Some(_) if std::ptr::eq(row, &self.rows[0]) => "—".to_string(),
                Some(ratio) => format!("{ratio:.2}×"),
                None => "".to_string(),
            };
            let rss = if with_rss { format!(" {:.0} |", summary.rss_mib) } else { String::new() };
            println!(
                "| {} | {} | ±{:.0}% |{rss} {ratio} |",
                row.name,
                format_value(self.unit, summary.median),
                summary.spread_percent()
            );
        }
    }

    fn to_json(&self) -> serde_json::Value {
        let summaries: Vec<Summary> = self.rows.iter().map(|m| Summary::of(self.unit, m)).collect();
        let rows: Vec<serde_json::Value> = self
            .rows
            .iter()
            .zip(&summaries)
            .map(|(row, s)| {
                json!({
                    "client": row.name,
                    "median": s.median,
                    "min": s.min,
                    "max": s.max,
                    "peak_rss_mib": s.rss_mib,
                    "toriihq_over_peer": self.ratio(&summaries[0], s),
                    "samples": row.samples,
                })
            })
            .collect();
        json!({"scenario": self.id, "title": self.title, "language": self.language, "unit": self.unit.label(), "rows": rows})
    }
}

fn format_value(unit: Unit, value: f64) -> String {
    match unit {
        Unit::PerSecond(_) if value >= 100.0 => {
            let whole = value.round() as u64;
            let digits = whole.to_string();
            let mut grouped = String::new();
            for (i, digit) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i).is_multiple_of(3) {
                    grouped.push(',');
                }
                grouped.push(digit);
            }
            grouped
        }
        Unit::PerSecond(_) | Unit::PeakRss | Unit::Milliseconds => format!("{value:.1}"),
    }
}

fn machine() -> serde_json::Value {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu =
        cpuinfo.lines().find_map(|l| l.strip_prefix("model name")).map(|l| l.trim_start_matches([' ', '\t', ':']));
    let memory = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let total = memory.lines().next().map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string());
    json!({
        "cpu": cpu,
        "cores": std::thread::available_parallelism().map(|n| n.get()).ok(),
        "memory_kib": total.and_then(|t| t.parse::<u64>().ok()),
        "os": std::env::consts::OS,
    })
}

/// Writes `target/bench/NAME.json` (`full`, `quick`, or a language's name for `cargo xtask bench LANGUAGE`).
pub fn write(tables: &[Table], name: &str, profile: &str, build_seconds: f64, total_seconds: f64) -> Result<PathBuf> {
    let dir = super::setup::bench_dir();
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("{name}.json"));
    let command = match name {
        "full" => "cargo xtask bench".to_string(),
        "quick" => "cargo xtask bench --quick".to_string(),
        language => format!("cargo xtask bench {language}"),
    };
    let figures = json!({
        "command": command,
        "build": profile,
        "machine": machine(),
        "setup_seconds": build_seconds,
        "total_seconds": total_seconds,
        "tables": tables.iter().map(Table::to_json).collect::<Vec<_>>(),
    });
    std::fs::write(&path, serde_json::to_string_pretty(&figures)?)?;
    Ok(path)
}
