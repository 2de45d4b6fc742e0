//! The PIM side of the inventory: for every person, whether they hold Global, Power Platform
//! or Dynamics 365 Administrator permanently, just in time (an active activation), or are only
//! eligible. Reading everyone's PIM needs a reader role (Global Reader and up); without one
//! the column says Unknown and the run says why.

use std::collections::HashMap;

use super::InventoryService;
use crate::api::{ApiError, PimStatus};
use crate::clients::graph::pim::TenantSchedules;
use crate::clients::http::ServiceErrorKind;
use crate::directory_roles::can_self_elevate;

/// Object id (lower case) → status. `pim_map` fails with the note the run shows instead.
pub(crate) type PimMap = HashMap<String, PimStatus>;

fn rank(s: PimStatus) -> u8 {
    match s {
        PimStatus::Permanent => 3,
        PimStatus::JustInTime => 2,
        PimStatus::Eligible => 1,
        _ => 0,
    }
}

impl InventoryService {
    pub(crate) async fn pim_map(&self) -> Result<PimMap, String> {
        let s = self.ctx.graph_session(false).await.map_err(|e| e.message)?;
        let pim = self.ctx.pim(&s);
        let (held, eligible) = tokio::join!(
            pim.tenant_instances(TenantSchedules::Assignments),
            pim.tenant_instances(TenantSchedules::Eligibilities)
        );
        let explain = |e: crate::clients::http::ServiceError| -> String {
            if e.kind == ServiceErrorKind::Forbidden {
                "Elevate could not read everyone's PIM roles: that needs Global Reader, Security Reader or Privileged Role Administrator. The PIM column says Unknown.".into()
            } else {
                let api: ApiError = e.to_api_error("Privileged Identity Management");
                format!(
                    "PIM could not be read ({}); the PIM column says Unknown.",
                    api.message
                )
            }
        };
        let held = held.map_err(explain)?;
        let eligible = eligible.map_err(explain)?;
        let mut map = PimMap::new();
        let mut put = |who: &str, st: PimStatus| {
            let e = map
                .entry(who.to_ascii_lowercase())
                .or_insert(PimStatus::NoRole);
            if rank(st) > rank(*e) {
                *e = st;
            }
        };
        for i in held
            .iter()
            .filter(|i| can_self_elevate(&i.role_definition_id.to_ascii_lowercase()))
        {
            let activated = i
                .assignment_type
                .as_deref()
                .is_some_and(|t| t.eq_ignore_ascii_case("Activated"));
            put(
                &i.principal_id,
                if activated && i.end_date_time.is_some() {
                    PimStatus::JustInTime
                } else {
                    PimStatus::Permanent
                },
            );
        }
        for i in eligible
            .iter()
            .filter(|i| can_self_elevate(&i.role_definition_id.to_ascii_lowercase()))
        {
            put(&i.principal_id, PimStatus::Eligible);
        }
        Ok(map)
    }
}
