//! The inventory for a spreadsheet or a tool.
//!
//! CSV columns, in order (`CSV_COLUMNS`): environmentId, environmentName, businessUnit,
//! fullName, userPrincipalName, objectId, systemUserId, roleId, isDisabled, isApplicationUser,
//! pim (justInTime | eligible | permanent | noRole | unknown), standing (true = nothing in PIM
//! takes the assignment away). UTF-8 with a byte order mark (Excel reads accents right);
//! formula-looking cells get a leading `'` as in the journal export. JSON: `{format,
//! exportedAt, inventory}` with the whole run, environment statuses included.

use std::path::Path;

use serde::Serialize;

use super::InventoryService;
use crate::api::{ApiError, ErrorCode, ExportFormat, Inventory, JournalExport};
use crate::journal::neutralise;

pub const CSV_COLUMNS: [&str; 12] = [
    "environmentId",
    "environmentName",
    "businessUnit",
    "fullName",
    "userPrincipalName",
    "objectId",
    "systemUserId",
    "roleId",
    "isDisabled",
    "isApplicationUser",
    "pim",
    "standing",
];

pub const JSON_FORMAT: &str = "elevate-inventory-export/1";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonExport<'a> {
    format: &'static str,
    exported_at: chrono::DateTime<chrono::Utc>,
    inventory: &'a Inventory,
}

pub fn csv_bytes(inv: &Inventory) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(CSV_COLUMNS).expect("csv in memory");
    for h in &inv.holders {
        let pim = serde_json::to_value(h.pim)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let row = [
            h.environment_id.clone(),
            h.environment_name.clone(),
            h.business_unit.clone(),
            h.full_name.clone(),
            h.upn.clone(),
            h.object_id.clone().unwrap_or_default(),
            h.system_user_id.clone(),
            h.role_id.clone(),
            h.is_disabled.to_string(),
            h.is_application_user.to_string(),
            pim,
            h.standing.to_string(),
        ];
        w.write_record(row.iter().map(|c| neutralise(c)))
            .expect("csv in memory");
    }
    w.into_inner().expect("csv in memory")
}

fn write(format: ExportFormat, inv: &Inventory, path: &Path) -> std::io::Result<()> {
    let bytes = match format {
        ExportFormat::Csv => csv_bytes(inv),
        ExportFormat::Json => serde_json::to_vec_pretty(&JsonExport {
            format: JSON_FORMAT,
            exported_at: chrono::Utc::now(),
            inventory: inv,
        })
        .map_err(std::io::Error::other)?,
    };
    // Written beside the target and renamed: a failed export never leaves half a file.
    let tmp = path.with_extension("elevate-partial");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

impl InventoryService {
    /// Writes the last inventory to `path` (chosen in the native save dialog).
    pub async fn inventory_export(
        &self,
        format: ExportFormat,
        path: std::path::PathBuf,
    ) -> Result<JournalExport, ApiError> {
        let inv = self.last_inventory().ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidInput,
                "Run an inventory first: there is nothing to export yet.",
            )
        })?;
        let count = inv.holders.len() as u32;
        let shown = path.display().to_string();
        tokio::task::spawn_blocking(move || write(format, &inv, &path))
            .await
            .expect("export task")
            .map_err(|e| {
                ApiError::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "Elevate could not write {shown}. Choose another folder and try again."
                    ),
                )
                .with_detail(e.to_string())
            })?;
        Ok(JournalExport { path: shown, count })
    }
}
