//! `applyAdminRole` failures in plain words with the next step. The documented permission
//! text and the observed 403 bodies (contract §3.1) are matched in whichever envelope they
//! arrive (the http layer reads flat, wrapped, bare-string and plain-text bodies); anything
//! else falls back to the http layer's wording.

use crate::api::{ApiError, Cloud, ErrorCode};
use crate::auth::TenantTarget;
use crate::clients::http::{ServiceError, ServiceErrorKind};

use super::version::{version_refused, DOCUMENTED, PREVIEW};
use super::POWER_PLATFORM;

/// What the wording needs beyond the error: where the admin consent is given, and whether
/// the tenant is in a US Government cloud.
#[derive(Debug, Clone, Default)]
pub(crate) struct Context {
    pub consent_url: Option<String>,
    pub government: bool,
}

impl Context {
    pub fn of(target: Option<&TenantTarget>) -> Self {
        let Some(t) = target else {
            return Self::default();
        };
        let host = |u: &url::Url| u.host_str().unwrap_or("").to_ascii_lowercase();
        Self {
            consent_url: Some(format!(
                "{}/{}/adminconsent?client_id={}",
                t.profile.authority.as_str().trim_end_matches('/'),
                t.tenant,
                t.client_id
            )),
            government: matches!(
                t.profile.cloud,
                Cloud::UsGov | Cloud::UsGovHigh | Cloud::UsGovDod
            ) || host(&t.profile.powerplatform).ends_with(".us"),
        }
    }

    fn consent(&self) -> String {
        match &self.consent_url {
            Some(u) => format!(" (admin-consent link: {u})"),
            None => String::new(),
        }
    }
}

pub(crate) fn explain(e: &ServiceError, environment: &str, cx: &Context) -> ApiError {
    let msg = e.message.to_ascii_lowercase();
    let inner = e.inner_code.as_deref().unwrap_or("");
    let is = |code: &str| inner.eq_ignore_ascii_case(code) || e.code.eq_ignore_ascii_case(code);
    let (code, text) = if is("InsufficientDelegatedPermissions") {
        // "Application missing required delegated permissions": the app registration's list.
        (ErrorCode::Config, format!("Elevate's app registration does not have the Power Platform API permission UserManagement.Users.Apply, so Microsoft does not let it add you. Ask your Entra administrator to add it (App registrations → Elevate → API permissions → Add a permission → APIs my organization uses → Power Platform API → Delegated) and grant admin consent{}. Then sign out of Elevate and sign in again.", cx.consent()))
    } else if is("InsufficientPrincipalPermissions") {
        // "Principal missing required permissions": listed but not consented for this user.
        (ErrorCode::Config, format!("Your sign-in to Elevate does not carry the Power Platform API permission UserManagement.Users.Apply: admin consent for Elevate's app registration is missing or older than the permission. Ask your Entra administrator to grant admin consent{}. Then sign out of Elevate and sign in again.", cx.consent()))
    } else if inner.eq_ignore_ascii_case("UserNotAdmin")
        || msg.contains("not either a global admin")
    {
        (ErrorCode::Forbidden, "Power Platform says you are not a Global, Power Platform or Dynamics 365 Administrator — or you hold the role only through a group, which Microsoft does not accept. If you activated the role a moment ago, wait a minute and try again; otherwise activate it in My roles.".to_string())
    } else if msg.contains("security group") {
        (ErrorCode::Forbidden, format!("You are not in the security group of {environment}, and a Dynamics 365 Administrator must be. Ask the group's owner to add you, or activate Power Platform Administrator (it is exempt) and try again."))
    } else if msg.contains("microsoft 365 group") || msg.contains("teams environment") {
        (ErrorCode::Forbidden, format!("{environment} is a Teams environment: only members of its team can be added. Ask a team owner to add you, then try again."))
    } else if version_refused(e) {
        (ErrorCode::Service, format!("Power Platform refused both versions of this request that Elevate knows ({DOCUMENTED} and {PREVIEW}), so nothing changed in {environment}. Microsoft may have changed the API: check for an Elevate update, or use Add me in the Power Platform admin center (Environments → {environment} → Membership). Give IT the correlation id."))
    } else if e.status == Some(502) && cx.government {
        (ErrorCode::Service, format!("Power Platform's gateway in the US Government cloud answered 502 (Bad Gateway): the request did not reach the service, so nothing changed in {environment}. Self-elevation through the API is not always available in government clouds. Try again in a few minutes; if it keeps happening, use Add me in the Power Platform admin center (Environments → {environment} → Membership) and give IT the correlation id."))
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
    e.explained(code, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(kind: ServiceErrorKind, status: u16, code: &str, inner: Option<&str>) -> ServiceError {
        let mut e = ServiceError::new(kind, "The caller is not authorized to perform the request.");
        e.status = Some(status);
        e.code = code.into();
        e.inner_code = inner.map(str::to_string);
        e.correlation_id = Some("corr-1".into());
        e
    }

    fn cx(government: bool) -> Context {
        Context {
            consent_url: Some(
                "https://login.microsoftonline.us/contoso.us/adminconsent?client_id=c1".into(),
            ),
            government,
        }
    }

    #[test]
    fn missing_permission_and_missing_consent_are_told_apart_with_the_link() {
        let f = ServiceErrorKind::Forbidden;
        let app = explain(
            &err(
                f,
                403,
                "Forbidden",
                Some("InsufficientDelegatedPermissions"),
            ),
            "HR",
            &cx(false),
        );
        let consent = explain(
            &err(
                f,
                403,
                "Forbidden",
                Some("InsufficientPrincipalPermissions"),
            ),
            "HR",
            &cx(false),
        );
        for a in [&app, &consent] {
            assert_eq!(a.code, ErrorCode::Config);
            assert!(a.message.contains("UserManagement.Users.Apply"));
            assert!(
                a.message.contains("adminconsent?client_id=c1"),
                "{}",
                a.message
            );
            assert_eq!(a.correlation_id.as_deref(), Some("corr-1"));
        }
        assert!(app
            .message
            .contains("does not have the Power Platform API permission"));
        assert!(consent
            .message
            .contains("admin consent for Elevate's app registration is missing"));
        let no_link = explain(
            &err(f, 403, "", Some("InsufficientDelegatedPermissions")),
            "HR",
            &Context::default(),
        );
        assert!(!no_link.message.contains("link"));
    }

    #[test]
    fn a_refused_version_and_a_government_gateway_have_their_own_words() {
        let mut v = err(ServiceErrorKind::Refused, 400, "ApiVersionInvalid", None);
        v.message = "The api-version '2022-03-01-preview' is invalid.".into();
        let a = explain(&v, "HR", &cx(false));
        assert_eq!(a.code, ErrorCode::Service);
        assert!(
            a.message.contains("2024-10-01 and 2022-03-01-preview"),
            "{}",
            a.message
        );
        let gw = err(ServiceErrorKind::Server, 502, "", None);
        let gov = explain(&gw, "HR", &cx(true));
        assert!(
            gov.message.contains("US Government cloud answered 502"),
            "{}",
            gov.message
        );
        assert!(gov.message.contains("Power Platform admin center"));
        let public = explain(&gw, "HR", &cx(false));
        assert_eq!(public, gw.to_api_error(POWER_PLATFORM));
    }
}
