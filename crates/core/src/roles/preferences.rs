//! Presets, recent justifications/tickets and the expiry warning, in `role-preferences.json`
//! beside the settings. Not secret (no token), but personal: written with the user's rights.

use std::path::PathBuf;
use std::sync::Mutex;

use crate::api::{ApiError, ErrorCode, RolePreferences};
use crate::settings::is_guid;

use super::validate::{Checked, MAX_JUSTIFICATION, MAX_TICKET};

const FILE_NAME: &str = "role-preferences.json";
const MAX_RECENT: usize = 10;
const MAX_PRESETS: usize = 20;
const MAX_PRESET_NAME: usize = 60;
const MAX_WARNING_MINUTES: u32 = 240;

pub struct PreferencesStore {
    dir: PathBuf,
    lock: Mutex<()>,
}

impl PreferencesStore {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            lock: Mutex::new(()),
        }
    }

    /// A missing or unreadable file means the defaults: losing presets is not worth an error.
    pub fn load(&self) -> RolePreferences {
        std::fs::read(self.dir.join(FILE_NAME))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, prefs: RolePreferences) -> Result<RolePreferences, ApiError> {
        let _one = self.lock.lock().expect("lock");
        let clean = validate(prefs)?;
        self.write(&clean)?;
        Ok(clean)
    }

    /// Puts what was just used at the top of the recent lists.
    pub fn remember(&self, used: &Checked) {
        let _one = self.lock.lock().expect("lock");
        let mut p = self.load();
        push_recent(&mut p.recent_justifications, used.justification.as_deref());
        push_recent(&mut p.recent_tickets, used.ticket_number.as_deref());
        push_recent(&mut p.recent_ticket_systems, used.ticket_system.as_deref());
        if let Err(e) = self.write(&p) {
            tracing::warn!(error = %e, "could not remember recent justifications");
        }
    }

    fn write(&self, p: &RolePreferences) -> Result<(), ApiError> {
        let bytes = serde_json::to_vec_pretty(p).expect("preferences serialise");
        crate::cache::write_atomically(&self.dir, FILE_NAME, &bytes).map_err(|e| {
            ApiError::new(
                ErrorCode::Internal,
                "Elevate could not save your presets. Check that the disk is not full.",
            )
            .with_detail(e.to_string())
        })
    }
}

fn push_recent(list: &mut Vec<String>, value: Option<&str>) {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return;
    };
    list.retain(|x| x != v);
    list.insert(0, v.to_string());
    list.truncate(MAX_RECENT);
}

fn validate(mut p: RolePreferences) -> Result<RolePreferences, ApiError> {
    let invalid = |m: String| Err(ApiError::new(ErrorCode::InvalidInput, m));
    if p.presets.len() > MAX_PRESETS {
        return invalid(format!("Keep at most {MAX_PRESETS} presets."));
    }
    if p.expiry_warning_minutes > MAX_WARNING_MINUTES {
        return invalid(format!(
            "Warn at most {MAX_WARNING_MINUTES} minutes before a role ends."
        ));
    }
    let mut names: Vec<String> = Vec::new();
    for preset in &mut p.presets {
        preset.name = preset.name.trim().to_string();
        preset.justification = preset.justification.trim().to_string();
        preset.ticket_system = preset.ticket_system.trim().to_string();
        if preset.name.is_empty() || preset.name.chars().count() > MAX_PRESET_NAME {
            return invalid(format!(
                "Give each preset a name of 1 to {MAX_PRESET_NAME} characters."
            ));
        }
        if names.iter().any(|n| n.eq_ignore_ascii_case(&preset.name)) {
            return invalid(format!(
                "There are two presets named \"{}\". Give each a different name.",
                preset.name
            ));
        }
        names.push(preset.name.clone());
        if preset.role_ids.is_empty() || preset.role_ids.iter().any(|r| !is_guid(r)) {
            return invalid(format!(
                "The preset \"{}\" must name at least one role, by its id.",
                preset.name
            ));
        }
        if preset.duration_minutes == 0
            || preset.duration_minutes > super::policy::MAX_ACTIVATION_MINUTES
        {
            return invalid(format!(
                "The preset \"{}\" needs a duration between 1 minute and 24 hours.",
                preset.name
            ));
        }
        if preset.justification.chars().count() > MAX_JUSTIFICATION
            || preset.ticket_system.chars().count() > MAX_TICKET
        {
            return invalid(format!(
                "The preset \"{}\" has a justification or ticket system that is too long.",
                preset.name
            ));
        }
    }
    for list in [
        &mut p.recent_justifications,
        &mut p.recent_tickets,
        &mut p.recent_ticket_systems,
    ] {
        list.retain(|s| !s.trim().is_empty() && s.chars().count() <= MAX_JUSTIFICATION);
        list.truncate(MAX_RECENT);
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Preset;

    const PPA: &str = "11648597-926c-4cf3-9c36-bcebb0ba8dcc";

    fn preset(name: &str) -> Preset {
        Preset {
            name: name.into(),
            role_ids: vec![PPA.into()],
            duration_minutes: 60,
            ticket_system: " ServiceNow ".into(),
            justification: "Env admin".into(),
        }
    }

    #[test]
    fn saves_trimmed_presets_and_refuses_bad_ones_without_writing() {
        let dir = tempfile::tempdir().unwrap();
        let store = PreferencesStore::new(dir.path());
        let saved = store
            .save(RolePreferences {
                presets: vec![preset(" Daily ")],
                ..Default::default()
            })
            .unwrap();
        assert_eq!(saved.presets[0].name, "Daily");
        assert_eq!(saved.presets[0].ticket_system, "ServiceNow");
        assert_eq!(store.load(), saved);
        for bad in [
            RolePreferences {
                presets: vec![preset("A"), preset("a")],
                ..Default::default()
            },
            RolePreferences {
                presets: vec![Preset {
                    role_ids: vec!["not-a-guid".into()],
                    ..preset("B")
                }],
                ..Default::default()
            },
            RolePreferences {
                presets: vec![Preset {
                    duration_minutes: 0,
                    ..preset("C")
                }],
                ..Default::default()
            },
            RolePreferences {
                presets: vec![preset("  ")],
                ..Default::default()
            },
            RolePreferences {
                expiry_warning_minutes: 10_000,
                ..Default::default()
            },
        ] {
            assert_eq!(store.save(bad).unwrap_err().code, ErrorCode::InvalidInput);
            assert_eq!(store.load(), saved, "a refused save changes nothing");
        }
    }

    #[test]
    fn remembers_recent_values_newest_first_without_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        let store = PreferencesStore::new(dir.path());
        assert_eq!(store.load().expiry_warning_minutes, 10);
        for j in ["one", "two", "one"] {
            store.remember(&Checked {
                duration_minutes: 60,
                justification: Some(j.into()),
                ticket_number: Some("T-1".into()),
                ticket_system: None,
            });
        }
        let p = store.load();
        assert_eq!(p.recent_justifications, ["one", "two"]);
        assert_eq!(p.recent_tickets, ["T-1"]);
        assert!(p.recent_ticket_systems.is_empty());
    }
}
