//! Which `api-version` applyAdminRole is sent with. Elevate sends the REST reference's; the
//! admin how-to still shows the older preview, and the service has refused each in turn
//! (`pac admin self-elevate` failed for months on 400 `ApiVersionInvalid`). On that answer
//! the other one is tried once, and the one that worked is kept for the session.

use super::Environments;
use super::{EnvState, PpSession};
use crate::clients::http::{Answer, ServiceError, ServiceErrorKind};

/// The REST reference's version ("Users - Apply Admin Role").
pub(crate) const DOCUMENTED: &str = "2024-10-01";
/// The admin how-to's script's version.
pub(crate) const PREVIEW: &str = "2022-03-01-preview";

/// The version an attempt went out with, and the one refused before it (if any).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sent {
    pub version: &'static str,
    pub refused: Option<&'static str>,
}

impl Sent {
    /// For the journal: an auditor can tell which contract the change went through.
    pub fn describe(&self) -> String {
        match self.refused {
            Some(r) => format!(
                "Sent with api-version {} after Power Platform refused {r} (ApiVersionInvalid).",
                self.version
            ),
            None => format!("Sent with api-version {}.", self.version),
        }
    }
}

impl EnvState {
    fn apply_version(&self) -> &'static str {
        self.apply_version
            .lock()
            .expect("lock")
            .unwrap_or(DOCUMENTED)
    }

    fn keep_apply_version(&self, v: &'static str) {
        *self.apply_version.lock().expect("lock") = Some(v);
    }
}

/// The service did not accept the api-version: its own code, or a 400 that lists the
/// versions it supports (the gateway's wording varies; the list is what gives it away).
pub(crate) fn version_refused(e: &ServiceError) -> bool {
    let coded = e.code.eq_ignore_ascii_case("ApiVersionInvalid")
        || e.inner_code
            .as_deref()
            .is_some_and(|c| c.eq_ignore_ascii_case("ApiVersionInvalid"));
    let msg = e.message.to_ascii_lowercase();
    let lists = [
        "supported versions",
        "supported api versions",
        "supported api-versions",
    ]
    .iter()
    .any(|w| msg.contains(w));
    e.kind == ServiceErrorKind::Refused && (coded || lists)
}

impl Environments {
    pub(crate) async fn send_apply(
        &self,
        s: &PpSession,
        environment_id: &str,
    ) -> (Result<Answer, ServiceError>, Sent) {
        let pp = self.power_platform(s);
        let first = self.envs.apply_version();
        let answer = pp.apply_admin_role(environment_id, first).await;
        let refused = matches!(&answer, Err(e) if version_refused(e));
        if !refused {
            if answer.is_ok() || answer.as_ref().is_err_and(|e| e.status.is_some()) {
                self.envs.keep_apply_version(first);
            }
            let sent = Sent {
                version: first,
                refused: None,
            };
            return (answer, sent);
        }
        let other = if first == DOCUMENTED {
            PREVIEW
        } else {
            DOCUMENTED
        };
        let again = pp.apply_admin_role(environment_id, other).await;
        let accepted = match &again {
            Ok(_) => true,
            Err(e) => e.status.is_some() && !version_refused(e),
        };
        if accepted {
            self.envs.keep_apply_version(other);
        }
        let sent = Sent {
            version: other,
            refused: Some(first),
        };
        (again, sent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(status: u16, code: &str, message: &str) -> ServiceError {
        let mut e = ServiceError::new(ServiceErrorKind::Refused, message);
        e.status = Some(status);
        e.code = code.into();
        e
    }

    #[test]
    fn version_refusals_are_told_apart() {
        assert!(version_refused(&refusal(400, "ApiVersionInvalid", "x")));
        // The gateway's wording seen by pac (powerplatform-build-tools#1353), without a code.
        assert!(version_refused(&refusal(
            400,
            "",
            "API version must be specified using the api-version query string parameter. Supported API versions are: 2024-10-01, 2022-03-01-preview"
        )));
        assert!(!version_refused(&refusal(400, "InvalidEnvironmentId", "x")));
        let mut forbidden = refusal(403, "ApiVersionInvalid", "x");
        forbidden.kind = ServiceErrorKind::Forbidden;
        assert!(!version_refused(&forbidden));
    }
}
