//! `applyAdminRole` failures in plain words with the next step. The documented permission
//! text and the observed 403 bodies (contract §3.1) are matched; anything else falls back
//! to the http layer's wording.

use crate::api::{ApiError, ErrorCode};
use crate::clients::http::{ServiceError, ServiceErrorKind};

use super::POWER_PLATFORM;

pub fn explain(e: &ServiceError, environment: &str) -> ApiError {
    let msg = e.message.to_ascii_lowercase();
    let inner = e.inner_code.as_deref().unwrap_or("");
    let (code, text) = if inner.eq_ignore_ascii_case("InsufficientDelegatedPermissions")
        || inner.eq_ignore_ascii_case("InsufficientPrincipalPermissions")
    {
        (ErrorCode::Config, "Elevate's app registration lacks the Power Platform API permission UserManagement.Users.Apply. Ask your Entra administrator to add it to the app registration and grant admin consent, then sign in again.".to_string())
    } else if inner.eq_ignore_ascii_case("UserNotAdmin")
        || msg.contains("not either a global admin")
    {
        (ErrorCode::Forbidden, "Power Platform says you are not a Global, Power Platform or Dynamics 365 Administrator — or you hold the role only through a group, which Microsoft does not accept. If you activated the role a moment ago, wait a minute and try again; otherwise activate it in My roles.".to_string())
    } else if msg.contains("security group") {
        (ErrorCode::Forbidden, format!("You are not in the security group of {environment}, and a Dynamics 365 Administrator must be. Ask the group's owner to add you, or activate Power Platform Administrator (it is exempt) and try again."))
    } else if msg.contains("microsoft 365 group") || msg.contains("teams environment") {
        (ErrorCode::Forbidden, format!("{environment} is a Teams environment: only members of its team can be added. Ask a team owner to add you, then try again."))
    } else if e.code.eq_ignore_ascii_case("EnvironmentDisabled") {
        (ErrorCode::InvalidInput, format!("{environment} is disabled. An admin must enable it in the Power Platform admin center first."))
    } else if e.code.eq_ignore_ascii_case("NoDataverse") {
        (ErrorCode::InvalidInput, format!("{environment} has no Dataverse database, so it has no System Administrator role. Add Dataverse to it first."))
    } else if e.code.eq_ignore_ascii_case("InvalidEnvironmentId") {
        (ErrorCode::InvalidInput, "Power Platform did not accept the environment id. Refresh the Environments list and choose the environment again.".to_string())
    } else if e.kind == ServiceErrorKind::NotFound
        || e.code.eq_ignore_ascii_case("EnvironmentNotFound")
    {
        (ErrorCode::NotFound, format!("{environment} no longer exists (it may have been deleted). Refresh the Environments list."))
    } else {
        return e.to_api_error(POWER_PLATFORM);
    };
    let detail = if e.code.is_empty() {
        e.message.clone()
    } else {
        format!("{}: {}", e.code, e.message)
    };
    ApiError::new(code, text)
        .with_detail(detail)
        .with_correlation_id(e.correlation_id.clone())
}
