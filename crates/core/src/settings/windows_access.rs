//! On Windows, a managed configuration counts only when the person running Elevate cannot
//! change it: otherwise anyone could point "their" Elevate at another tenant or client id
//! and it would still say "managed by your IT department".
//!
//! Rather than interpreting ACLs (owners, inheritance, group membership, deny entries), ask
//! Windows itself: open the file, and its folder, with the rights that would allow a change.
//! Opening with an access mask changes nothing; it succeeds only when the DACL grants it to
//! this user's token. `%ProgramData%` lets ordinary users create files in new subfolders by
//! default, which is harmless once `managed.json` exists and they cannot delete or replace it.

use std::fs::OpenOptions;
use std::os::windows::fs::OpenOptionsExt;
use std::path::Path;

const FILE_WRITE_DATA: u32 = 0x0002;
const FILE_APPEND_DATA: u32 = 0x0004;
const FILE_DELETE_CHILD: u32 = 0x0040;
const DELETE: u32 = 0x0001_0000;
const WRITE_DAC: u32 = 0x0004_0000;
const WRITE_OWNER: u32 = 0x0008_0000;
/// Directories open only with backup semantics.
const FILE_FLAG_BACKUP_SEMANTICS: u32 = 0x0200_0000;

/// `Err` says, in words for the Settings screen, why the file does not count.
pub(super) fn only_administrators_can_change(path: &Path) -> Result<(), String> {
    let can = |p: &Path, access: u32, flags: u32| {
        OpenOptions::new()
            .access_mode(access)
            .custom_flags(flags)
            .open(p)
            .is_ok()
    };
    if can(path, FILE_WRITE_DATA | FILE_APPEND_DATA, 0) {
        return Err("your account can change it (only administrators should)".into());
    }
    if can(path, DELETE | WRITE_DAC | WRITE_OWNER, 0) {
        return Err(
            "your account can replace it or change who may edit it (only administrators should)"
                .into(),
        );
    }
    if let Some(folder) = path.parent() {
        if can(folder, FILE_DELETE_CHILD, FILE_FLAG_BACKUP_SEMANTICS)
            || can(folder, WRITE_DAC | WRITE_OWNER, FILE_FLAG_BACKUP_SEMANTICS)
        {
            return Err(format!(
                "your account can replace files in {} (only administrators should)",
                folder.display()
            ));
        }
    }
    Ok(())
}
