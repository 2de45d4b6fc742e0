//! Exports, read back the way an auditor's tools would: the CSV with a CSV reader, the JSON
//! with serde. Both must hold exactly the entries of the journal, oldest first.

use elevate_core::api::{
    ErrorCode, ExportFormat, JournalAccount, JournalAction, JournalFilter, JournalOutcome,
    JournalRef, JournalResult, JournalRow, JournalTarget, JournalTargetKind, JournalTenant,
    TenantKind,
};
use elevate_core::cache::MemoryKeyStore;
use elevate_core::journal::{restore_csv_cell, Journal, JsonExport, Record, CSV_COLUMNS};

fn journal(dir: &std::path::Path) -> Journal {
    let j = Journal::open(
        dir.join("journal"),
        std::sync::Arc::new(MemoryKeyStore::default()),
    );
    let zoe = JournalAccount {
        name: "Zoë Müller".into(),
        upn: "zoe@contoso.onmicrosoft.com".into(),
        oid: "0f8c".into(),
    };
    let org = JournalTenant {
        kind: TenantKind::Organization,
        id: "72f988bf-86f1-41af-91ab-2d7cd011db47".into(),
    };

    let mut sign_in = Record::new(
        JournalAction::SignIn,
        org.clone(),
        JournalResult::succeeded(),
    );
    sign_in.account = Some(zoe.clone());
    j.append(sign_in).unwrap();

    let mut activate = Record::new(
        JournalAction::RoleActivate,
        org.clone(),
        JournalResult::succeeded(),
    );
    activate.account = Some(zoe.clone());
    activate.target = Some(JournalTarget {
        kind: JournalTargetKind::DirectoryRole,
        id: "11648597".into(),
        name: "Power Platform Administrator".into(),
    });
    activate.params.duration_minutes = Some(90);
    activate.params.ticket_number = Some("INC-0042".into());
    activate.params.ticket_system = Some("ServiceNow".into());
    // Commas, quotes, a line break, and what a spreadsheet would run as a formula.
    activate.params.justification =
        Some("=HYPERLINK(\"http://evil.example\",\"click\"), then \"fix\" it\nsecond line".into());
    activate.correlation_id = Some("4f1e2d3c-0b9a-4876-a5b4-c3d2e1f0a9b8".into());
    activate.request_id = Some("req-1".into());
    activate.expires_at = Some("2026-05-01T11:30:00Z".parse().unwrap());
    j.append(activate).unwrap();

    let mut elevate = Record::new(
        JournalAction::SelfElevate,
        org.clone(),
        JournalResult {
            outcome: JournalOutcome::AlreadyDone,
            code: None,
            message: Some("Already System Administrator".into()),
            detail: None,
        },
    );
    elevate.account = Some(zoe.clone());
    elevate.target = Some(JournalTarget {
        kind: JournalTargetKind::Environment,
        id: "env-1".into(),
        name: "Sales (Production)".into(),
    });
    elevate.params.role_name = Some("System Administrator".into());
    j.append(elevate).unwrap();

    let mut removal = Record::new(
        JournalAction::AssignmentRemove,
        org,
        JournalResult {
            outcome: JournalOutcome::Failed,
            code: Some(ErrorCode::Forbidden),
            message: Some("-1 rows removed".into()),
            detail: Some("@mention".into()),
        },
    );
    removal.account = Some(zoe);
    removal.params.environment = Some(JournalRef {
        id: "env-2".into(),
        name: "+Contoso Dev".into(),
    });
    removal.params.user = Some(JournalRef {
        id: "u-9".into(),
        name: "Diego Siciliani".into(),
    });
    removal.params.dry_run = Some(false);
    j.append(removal).unwrap();
    j
}

fn all_rows(j: &Journal) -> Vec<JournalRow> {
    let mut rows = j.page(&JournalFilter::default()).rows;
    rows.reverse();
    rows
}

#[test]
fn csv_export_reads_back_as_the_same_entries() {
    let dir = tempfile::tempdir().unwrap();
    let j = journal(dir.path());
    let path = dir.path().join("activity.csv");
    let out = j
        .export(ExportFormat::Csv, &JournalFilter::default(), &path)
        .unwrap();
    assert_eq!(out.count, 4);
    assert_eq!(out.path, path.display().to_string());

    let bytes = std::fs::read(&path).unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "a BOM, so Excel reads the accents"
    );
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("'=HYPERLINK"), "the formula is neutralised");
    assert!(
        text.contains("'-1 rows") && text.contains("'@mention") && text.contains("'+Contoso Dev")
    );

    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        CSV_COLUMNS
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let rows = all_rows(&j);
    assert_eq!(records.len(), rows.len());
    let col = |r: &csv::StringRecord, name: &str| {
        restore_csv_cell(&r[CSV_COLUMNS.iter().position(|c| *c == name).unwrap()]).to_string()
    };
    for (rec, row) in records.iter().zip(&rows) {
        let e = &row.entry;
        assert_eq!(col(rec, "seq"), e.seq.to_string());
        assert_eq!(
            col(rec, "time")
                .parse::<chrono::DateTime<chrono::Utc>>()
                .unwrap(),
            e.time
        );
        assert_eq!(col(rec, "tenantKind"), "organization");
        assert_eq!(col(rec, "tenantId"), e.tenant.id);
        assert_eq!(col(rec, "accountName"), "Zoë Müller");
        assert_eq!(col(rec, "action"), e.action.as_str());
        assert_eq!(
            col(rec, "targetName"),
            e.target
                .as_ref()
                .map(|t| t.name.clone())
                .unwrap_or_default()
        );
        assert_eq!(
            col(rec, "justification"),
            e.params.justification.clone().unwrap_or_default()
        );
        assert_eq!(
            col(rec, "ticketNumber"),
            e.params.ticket_number.clone().unwrap_or_default()
        );
        assert_eq!(
            col(rec, "durationMinutes"),
            e.params
                .duration_minutes
                .map(|d| d.to_string())
                .unwrap_or_default()
        );
        assert_eq!(col(rec, "outcome"), e.result.outcome.as_str());
        assert_eq!(
            col(rec, "message"),
            e.result.message.clone().unwrap_or_default()
        );
        assert_eq!(
            col(rec, "detail"),
            e.result.detail.clone().unwrap_or_default()
        );
        assert_eq!(
            col(rec, "correlationId"),
            e.correlation_id.clone().unwrap_or_default()
        );
        assert_eq!(col(rec, "verified"), "true");
    }
    assert_eq!(col(&records[1], "expiresAt"), "2026-05-01T11:30:00.000Z");
    assert_eq!(col(&records[2], "environment"), "Sales (Production)");
    assert_eq!(col(&records[2], "role"), "System Administrator");
    assert_eq!(col(&records[3], "environment"), "+Contoso Dev");
    assert_eq!(col(&records[3], "errorCode"), "forbidden");
    assert_eq!(col(&records[3], "user"), "Diego Siciliani");
    assert_eq!(col(&records[3], "dryRun"), "false");
}

#[test]
fn json_export_reads_back_as_the_same_entries() {
    let dir = tempfile::tempdir().unwrap();
    let j = journal(dir.path());
    let path = dir.path().join("activity.json");
    assert_eq!(
        j.export(ExportFormat::Json, &JournalFilter::default(), &path)
            .unwrap()
            .count,
        4
    );
    let doc: JsonExport = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(doc.format, "elevate-journal-export/1");
    assert_eq!(
        doc.entries,
        all_rows(&j),
        "the same entries, oldest first, field for field"
    );
    assert_eq!(doc.health["status"], "intact");
    assert_eq!(doc.health["entries"], 4);
}

#[test]
fn exports_follow_the_filter_and_refuse_an_unwritable_place() {
    let dir = tempfile::tempdir().unwrap();
    let j = journal(dir.path());
    let path = dir.path().join("failures.json");
    let filter = JournalFilter {
        outcome: Some(JournalOutcome::Failed),
        ..Default::default()
    };
    assert_eq!(
        j.export(ExportFormat::Json, &filter, &path).unwrap().count,
        1
    );
    let doc: JsonExport = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(doc.entries[0].entry.action, JournalAction::AssignmentRemove);

    let nowhere = dir.path().join("activity.csv").join("inside-a-file.csv");
    std::fs::write(dir.path().join("activity.csv"), "x").unwrap();
    let err = j
        .export(ExportFormat::Csv, &JournalFilter::default(), &nowhere)
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("Choose another folder"));
}
