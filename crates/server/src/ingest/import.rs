//! `portico-server import FILE`: a backfill from JSON Lines (one record per line, as the ingest
//! API's `records` hold them), through the ingest's own way in ([`super::take_batch`]), a batch
//! per transaction, with a progress bar and a summary of what became of the records; the buyers'
//! tiers are brought up to date once, at the end ([`super::settle`]).

use super::{settle, take_batch, Kind};
use crate::config::ImportKind;
use crate::state::AppState;
use indicatif::{ProgressBar, ProgressStyle};
use portico_api::{IngestReport, Outcome};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// What an import did.
#[derive(Debug, Default)]
pub struct Summary {
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Each refused record: its line, its id where it could be read, and why.
    pub refused: Vec<(u64, Option<String>, String)>,
}

impl Summary {
    fn count(&mut self, report: IngestReport, lines: &[u64]) {
        for outcome in report.records {
            match outcome.outcome {
                Outcome::Added => self.added += 1,
                Outcome::Updated => self.updated += 1,
                Outcome::Unchanged => self.unchanged += 1,
                Outcome::Refused => {
                    let why = outcome.problem.map_or_else(String::new, |problem| {
                        if problem.field.is_empty() {
                            problem.detail
                        } else {
                            format!("{}: {}", problem.field, problem.detail)
                        }
                    });
                    let line = lines.get(outcome.index as usize).copied().unwrap_or(0);
                    self.refused.push((line, outcome.id, why));
                }
            }
        }
    }

    /// The summary as printed: the counts, the reasons by how often they came, and the first
    /// refused records by line.
    pub fn render(&self) -> String {
        let mut text = format!(
            "added {}, updated {}, unchanged {}, refused {}\n",
            self.added,
            self.updated,
            self.unchanged,
            self.refused.len()
        );
        let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
        for (.., why) in &self.refused {
            *reasons.entry(why.as_str()).or_default() += 1;
        }
        let mut reasons: Vec<_> = reasons.into_iter().collect();
        reasons.sort_by_key(|(_, times)| std::cmp::Reverse(*times));
        for (why, times) in reasons {
            text.push_str(&format!("  refused {times} x {why}\n"));
        }
        for (line, id, why) in self.refused.iter().take(20) {
            let id = id.as_deref().unwrap_or("-");
            text.push_str(&format!("  line {line} ({id}): {why}\n"));
        }
        if self.refused.len() > 20 {
            text.push_str(&format!("  ... and {} more\n", self.refused.len() - 20));
        }
        text
    }
}

/// What a file holds, told by `--kind` or read from its name.
pub fn kind_of(file: &Path, asked: Option<ImportKind>) -> Option<Kind> {
    let asked = asked.or_else(|| {
        let name = file.file_name()?.to_string_lossy().to_ascii_lowercase();
        [
            ("customer", ImportKind::Customers),
            ("checkpoint", ImportKind::Checkpoints),
            ("order", ImportKind::Orders),
        ]
        .into_iter()
        .find(|(word, _)| name.contains(word))
        .map(|(_, kind)| kind)
    })?;
    Some(match asked {
        ImportKind::Customers => Kind::Customers,
        ImportKind::Orders => Kind::Orders,
        ImportKind::Checkpoints => Kind::Checkpoints,
    })
}

/// Imports `input` (`size` bytes, when known, for the progress bar) as `kind` records, `batch`
/// per transaction. A line that is not JSON is refused, the others are taken.
pub async fn import(
    state: &AppState,
    input: impl Read,
    size: Option<u64>,
    kind: Kind,
    batch: usize,
    progress: bool,
) -> Result<Summary, Box<dyn std::error::Error>> {
    let bar = match (progress, size) {
        (false, _) => ProgressBar::hidden(),
        (true, Some(size)) => ProgressBar::new(size).with_style(ProgressStyle::with_template(
            "{bar:40} {bytes}/{total_bytes} {per_sec} eta {eta} {msg}",
        )?),
        (true, None) => ProgressBar::new_spinner(),
    };
    let mut summary = Summary::default();
    let mut records = Vec::with_capacity(batch);
    let mut lines = Vec::with_capacity(batch);
    let mut read = 0u64;
    let mut buyers = std::collections::BTreeSet::new();
    for (number, line) in BufReader::new(input).lines().enumerate() {
        let line = line?;
        let number = number as u64 + 1;
        read += line.len() as u64 + 1;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(&line) {
            Ok(record) => {
                records.push(record);
                lines.push(number);
            }
            Err(error) => {
                summary
                    .refused
                    .push((number, None, format!("not a JSON record: {error}")))
            }
        }
        if records.len() == batch {
            let (report, touched) = take_batch(state, kind, &records, None).await?;
            summary.count(report, &lines);
            buyers.extend(touched);
            records.clear();
            lines.clear();
            bar.set_position(read);
            bar.set_message(format!(
                "{} in, {} refused",
                summary.added + summary.updated + summary.unchanged,
                summary.refused.len()
            ));
        }
    }
    if !records.is_empty() {
        let (report, touched) = take_batch(state, kind, &records, None).await?;
        summary.count(report, &lines);
        buyers.extend(touched);
    }
    bar.set_message(format!("bringing {} tiers up to date", buyers.len()));
    settle(state, buyers).await?;
    bar.finish_and_clear();
    Ok(summary)
}
