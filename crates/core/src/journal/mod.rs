//! The activity journal: one entry per privileged action, append-only, tamper-evident,
//! crash-safe, exportable. Auditors ask "who elevated where, when, why, under which ticket";
//! a delegated admin cannot see Microsoft's own audit log (Purview), so Elevate keeps this one.
//!
//! Files, in `<app data>/journal/`:
//! - `journal-0001.jsonl`, `journal-0002.jsonl`, … ("segments"): JSON Lines. Line 1 is the
//!   header (`format`, `installId`, `segment`, `created`, `genesis`, `keyMode`, `firstSeq`,
//!   `opened`, `previous`…), every further line one `JournalEntry`. Every line ends with a
//!   `"mac"` member: HMAC-SHA256 over the line's exact bytes without it (see `chain`).
//!   Each entry's `prev` is the MAC of the line before, the first entry's the header's: so an
//!   edited, removed, inserted or reordered line breaks the chain at that place.
//! - `head.json`: the bookmark (segment and seq of the last entry reported done), sealed the
//!   same way and replaced atomically after every append: a journal cut at its end is caught.
//!
//! Beside the key, the credential store keeps the high-water mark (see `mark`): segment, seq
//! and MAC of the last entry. A journal that no longer holds that entry (segments and
//! `head.json` deleted, an older copy of the folder put back) is reported as behind it, and
//! the next segment starts above the mark, saying why.
//!
//! The key is a random 32-byte secret per installation in the OS credential store (user
//! `journal-key`), so whoever edits a file cannot recompute the chain. Without a credential
//! store a segment keeps its key in its header: damage is still caught, a deliberate edit
//! maybe not, and the health says so (`JournalProtection::FileOnly`).
//!
//! Durability: one writer (a mutex); the full line with its `\n` goes out in one `write_all`
//! and is `sync_data`'d before `append` returns — callers report an action done only after.
//! A line without `\n` at the end of a segment was being written when the process stopped:
//! verification reports it (`TornTail`) and the next append starts a new segment; no file
//! is ever rewritten, truncated or deleted.

mod chain;
mod export;
mod format;
#[cfg(test)]
mod fuzz;
mod mark;
mod query;
mod record;
mod scan;
mod seal;
mod start;
mod writer;

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{SubsecRound, Utc};

use crate::api::{
    ApiError, ErrorCode, ExportFormat, JournalEntry, JournalExport, JournalFilter, JournalHealth,
    JournalIssue, JournalPage, JournalProtection, JournalRow, JournalStatus,
};
use crate::cache::KeyStore;
use chain::{ChainKey, KeyMode, Kind};
pub use export::{neutralise, restore as restore_csv_cell, JsonExport, CSV_COLUMNS, JSON_FORMAT};
use format::{segment_file_name, Head, Header, HEAD_FILE, HEAD_FORMAT};
pub use query::DEFAULT_LIMIT;
pub use record::{Entry, Record};
use scan::{issue_segment, Scan, SegmentState};
pub(crate) use seal::Sealed;
use start::new_header;
pub(crate) use writer::JournalWriter;

#[derive(Debug, thiserror::Error)]
#[error("the activity journal could not be written: {0}")]
pub struct JournalError(String);

impl From<std::io::Error> for JournalError {
    fn from(e: std::io::Error) -> Self {
        Self(e.to_string())
    }
}

impl From<JournalError> for ApiError {
    fn from(e: JournalError) -> Self {
        ApiError::new(ErrorCode::Internal, "Elevate could not write to its activity journal. Check that the disk is not full, then try again.")
            .with_detail(e.0)
    }
}

/// The segment being appended to.
struct OpenSegment {
    number: u32,
    file: File,
    key: ChainKey,
    next_seq: u32,
    next_line: u32,
    prev: String,
}

#[derive(Default)]
struct Writer {
    open: Option<OpenSegment>,
    /// Without a credential store: the key for segments this run starts.
    file_key: Option<ChainKey>,
    /// Without a credential store: the key that seals clean-up run files (see `seal`).
    memory_key: Option<ChainKey>,
    write_error: Option<String>,
}

pub struct Journal {
    dir: PathBuf,
    /// The credential store: the key's, and the high-water mark's.
    keys: Arc<dyn KeyStore>,
    store_key: Option<ChainKey>,
    writer: Mutex<Writer>,
}

impl Journal {
    /// Gets (or creates) this installation's key from `keys` — a blocking call. Reads no file:
    /// the first append checks the journal and decides where to continue.
    pub fn open(dir: impl Into<PathBuf>, keys: Arc<dyn KeyStore>) -> Self {
        Self {
            dir: dir.into(),
            store_key: ChainKey::from_store(keys.as_ref()),
            keys,
            writer: Mutex::new(Writer::default()),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Appends one entry and makes it durable before returning it. Blocking.
    pub fn append(&self, record: Record) -> Result<JournalRow, JournalError> {
        let mut w = self.writer.lock().expect("journal lock");
        let result = self.append_locked(&mut w, record);
        match &result {
            Ok(_) => w.write_error = None,
            Err(e) => {
                tracing::error!(error = %e, "journal append failed");
                // The segment may now end in a partial line: never write after it.
                w.open = None;
                w.write_error = Some(e.0.clone());
            }
        }
        result
    }

    /// `append` off the async runtime's threads.
    pub async fn record(self: &Arc<Self>, record: Record) -> Result<JournalRow, JournalError> {
        let me = self.clone();
        tokio::task::spawn_blocking(move || me.append(record))
            .await
            .map_err(|e| JournalError(e.to_string()))?
    }

    fn append_locked(&self, w: &mut Writer, record: Record) -> Result<JournalRow, JournalError> {
        if w.open.is_none() {
            let open = self.prepare(w)?;
            w.open = Some(open);
        }
        let seg = w.open.as_mut().expect("just opened");
        let following = next(seg.next_seq)?;
        let entry = JournalEntry {
            seq: seg.next_seq,
            time: Utc::now().trunc_subsecs(3),
            tenant: record.tenant,
            account: record.account,
            action: record.action,
            target: record.target,
            params: record.params,
            result: record.result,
            correlation_id: record.correlation_id,
            request_id: record.request_id,
            expires_at: record.expires_at,
            prev: seg.prev.clone(),
        };
        let (line, mac) = seg.key.seal(Kind::Entry, &entry);
        let mut bytes = line.into_bytes();
        bytes.push(b'\n');
        seg.file.write_all(&bytes)?;
        seg.file.sync_data()?;
        let row = JournalRow {
            segment: seg.number,
            line: seg.next_line,
            verified: true,
            mac: mac.clone(),
            entry,
        };
        seg.next_seq = following;
        seg.next_line = seg.next_line.saturating_add(1);
        seg.prev = mac;
        // The bookmark only ever lags behind: a failure here makes no entry look missing.
        if let Err(e) = write_head(&self.dir, &seg.key, seg.number, row.entry.seq) {
            tracing::warn!(error = %e, "could not move the journal bookmark");
        }
        mark::write(
            self.keys.as_ref(),
            &seg.key,
            seg.number,
            row.entry.seq,
            &row.mac,
        );
        Ok(row)
    }

    /// Continues the last segment when it is ours, intact, and written with the key this
    /// run uses; otherwise starts a new one (never writing into a damaged or foreign file).
    fn prepare(&self, w: &mut Writer) -> Result<OpenSegment, JournalError> {
        let scan = scan::scan(&self.dir, self.store_key.as_ref());
        let behind = self.mark().filter(|m| mark::behind(&scan, m).is_some());
        let last = scan.segments.last();
        let clean_last = last.filter(|g| {
            behind.is_none()
                && g.intact
                && !g.torn
                && g.header.is_some()
                && !scan.issues.iter().any(|i| issue_segment(i) == g.number)
        });
        if let Some(g) = clean_last {
            if let Some(open) = self.continue_segment(g)? {
                return Ok(open);
            }
        }
        let key = match &self.store_key {
            Some(k) => k.clone(),
            None => w
                .file_key
                .get_or_insert_with(ChainKey::new_file_key)
                .clone(),
        };
        let header = new_header(&scan, clean_last, behind.as_ref(), &key)?;
        self.start_segment(key, header)
    }

    /// The clean last segment opened for appending, when it was written with this run's kind
    /// of key.
    fn continue_segment(&self, g: &SegmentState) -> Result<Option<OpenSegment>, JournalError> {
        let key = g.key.clone().expect("a trusted segment has its key");
        let fits = match &self.store_key {
            Some(_) => key.mode == KeyMode::CredentialStore,
            None => key.mode == KeyMode::File,
        };
        if !fits {
            return Ok(None);
        }
        let file = OpenOptions::new()
            .append(true)
            .open(self.dir.join(segment_file_name(g.number)))?;
        Ok(Some(OpenSegment {
            number: g.number,
            file,
            key,
            next_seq: next(g.last_seq)?,
            next_line: g.last_line + 1,
            prev: g.last_mac.clone(),
        }))
    }

    /// Writes the new segment's file with its header and moves the bookmark to it.
    fn start_segment(&self, key: ChainKey, header: Header) -> Result<OpenSegment, JournalError> {
        let number = header.segment;
        let (line, header_mac) = key.seal(Kind::Header, &header);
        // Written under a temporary name and renamed: a segment file always has its header.
        crate::cache::write_atomically(
            &self.dir,
            &segment_file_name(number),
            format!("{line}\n").as_bytes(),
        )?;
        let file = OpenOptions::new()
            .append(true)
            .open(self.dir.join(segment_file_name(number)))?;
        write_head(&self.dir, &key, number, header.first_seq - 1)?;
        tracing::info!(segment = number, opened = ?header.opened, "journal segment started");
        Ok(OpenSegment {
            number,
            file,
            key,
            next_seq: header.first_seq,
            next_line: 2,
            prev: header_mac,
        })
    }

    fn scan_locked(&self) -> (Scan, Option<String>) {
        // Holding the writer lock: a line being appended right now is not a torn line, and
        // the mark is the one for the files as they are.
        let w = self.writer.lock().expect("journal lock");
        let mut scan = scan::scan(&self.dir, self.store_key.as_ref());
        if let Some(issue) = self.mark().and_then(|m| mark::behind(&scan, &m)) {
            scan.issues.push(issue);
        }
        (scan, w.write_error.clone())
    }

    /// This installation's high-water mark, when it has one.
    fn mark(&self) -> Option<mark::Mark> {
        mark::read(self.keys.as_ref(), self.store_key.as_ref()?)
    }

    /// Checks the whole journal. Blocking; reads every segment.
    pub fn verify(&self) -> JournalHealth {
        let (scan, write_error) = self.scan_locked();
        self.health(&scan, write_error)
    }

    fn health(&self, scan: &Scan, write_error: Option<String>) -> JournalHealth {
        let file_only = self.store_key.is_none()
            || scan
                .segments
                .iter()
                .any(|g| g.key.as_ref().is_some_and(|k| k.mode == KeyMode::File));
        JournalHealth {
            status: match scan.issues.first() {
                None => JournalStatus::Intact,
                Some(JournalIssue::Changed { .. }) => JournalStatus::Changed,
                Some(JournalIssue::TornTail { .. }) => JournalStatus::TornTail,
                Some(JournalIssue::Foreign { .. }) => JournalStatus::Foreign,
            },
            issues: scan.issues.clone(),
            entries: scan.verified_entries(),
            segments: scan.segments.len() as u32,
            protection: if file_only {
                JournalProtection::FileOnly
            } else {
                JournalProtection::CredentialStore
            },
            write_error,
            checked_at: Utc::now().trunc_subsecs(0),
        }
    }

    /// The entries matching `filter`, newest first. Blocking.
    pub fn page(&self, filter: &JournalFilter) -> JournalPage {
        query::page(self.scan_locked().0.rows, filter)
    }

    /// Every entry matching `filter` (no limit), oldest first, written to `path`. Blocking.
    /// A path without an extension gets the format's (a save dialog may not add it).
    pub fn export(
        &self,
        format: ExportFormat,
        filter: &JournalFilter,
        path: &Path,
    ) -> Result<JournalExport, ApiError> {
        let path = &match path.extension() {
            Some(_) => path.to_path_buf(),
            None => path.with_extension(if format == ExportFormat::Csv {
                "csv"
            } else {
                "json"
            }),
        };
        let (scan, write_error) = self.scan_locked();
        let rows: Vec<JournalRow> = scan
            .rows
            .iter()
            .filter(|r| query::matches(r, filter))
            .cloned()
            .collect();
        let bytes = match format {
            ExportFormat::Csv => export::csv_bytes(&rows),
            ExportFormat::Json => export::json_bytes(&rows, &self.health(&scan, write_error)),
        };
        export::write(path, &bytes).map_err(|e| {
            ApiError::new(
                ErrorCode::InvalidInput,
                "Elevate could not save the export there. Choose another folder and try again.",
            )
            .with_detail(format!("{}: {e}", path.display()))
        })?;
        Ok(JournalExport {
            path: path.display().to_string(),
            count: rows.len() as u32,
        })
    }
}

/// The file name the save dialog suggests: `elevate-activity-2026-05-01.csv` (local date).
pub fn export_file_name(format: ExportFormat) -> String {
    let ext = match format {
        ExportFormat::Csv => "csv",
        ExportFormat::Json => "json",
    };
    format!(
        "elevate-activity-{}.{ext}",
        chrono::Local::now().format("%Y-%m-%d")
    )
}

/// The seq after `seq`; a journal whose files claim the last one cannot go on.
fn next(seq: u32) -> Result<u32, JournalError> {
    seq.checked_add(1).ok_or_else(|| {
        JournalError(format!(
            "the journal's files say entry {seq} was written, the highest possible: they were changed"
        ))
    })
}

fn write_head(dir: &Path, key: &ChainKey, segment: u32, seq: u32) -> std::io::Result<()> {
    let head = Head {
        format: HEAD_FORMAT.into(),
        install_id: key.install_id.clone(),
        segment,
        seq,
    };
    let (line, _) = key.seal(Kind::Head, &head);
    crate::cache::write_atomically(dir, HEAD_FILE, format!("{line}\n").as_bytes())
}

#[cfg(test)]
mod tests;
