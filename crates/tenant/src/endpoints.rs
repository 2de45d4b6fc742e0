//! Where each emulated service lives, as `/_emulator/endpoints` reports it and
//! `Emulator::endpoints` returns it. Its own module: the server (`emulator.rs`) and the admin
//! API (`admin.rs`) both need it, and neither should import the other for it.

use serde::{Deserialize, Serialize};

use crate::state::AppState;

/// Where each emulated service lives; what a client configures instead of the Microsoft URLs.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    pub authority: String,
    pub graph: String,
    pub powerplatform: String,
    pub bap: String,
    pub tenant_id: String,
    pub client_id: String,
    /// The cloud whose resource ids tokens are issued and accepted for.
    pub cloud: crate::cloud::CloudName,
}

impl Endpoints {
    pub(crate) fn of(state: &AppState) -> Endpoints {
        let (base, scenario) = (&state.base_url, &state.scenario);
        Endpoints {
            authority: format!("{base}/login"),
            graph: format!("{base}/graph"),
            powerplatform: format!("{base}/powerplatform"),
            bap: format!("{base}/bap"),
            tenant_id: scenario.tenant_id().to_string(),
            client_id: scenario.client_id().to_string(),
            cloud: state.settings().cloud,
        }
    }
}
