//! Ending the Microsoft session in the user's browser (entra-docs `v2-protocols-oidc.md`,
//! "Send a sign-out request"): `GET {authority}/{tenant}/oauth2/v2.0/logout` with
//! `logout_hint` = the ID token's `login_hint` claim, so Entra signs out that account without
//! asking which one. Never a UPN: Microsoft says not to use one as the hint.
//!
//! No `post_logout_redirect_uri`: it must be one of the app's registered redirect URIs, and
//! Elevate's is `http://localhost`, where nothing listens once the sign-in is over — the user
//! would land on a browser error instead of Microsoft's own "You signed out" page.

use url::Url;

use super::{AuthError, TenantTarget};

/// The sign-out page for `target`, with the hint when there is one.
pub fn logout_url(target: &TenantTarget, logout_hint: Option<&str>) -> Result<Url, AuthError> {
    let mut url = Url::parse(&target.profile.oauth_endpoint(&target.tenant, "logout"))
        .map_err(|e| AuthError::Config(format!("invalid sign-out URL: {e}")))?;
    if let Some(h) = logout_hint.filter(|h| !h.is_empty()) {
        url.query_pairs_mut().append_pair("logout_hint", h);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Cloud, TenantKind};
    use crate::cloud::CloudProfile;

    fn target(cloud: Cloud) -> TenantTarget {
        TenantTarget {
            kind: TenantKind::Organization,
            tenant: "contoso.onmicrosoft.us".into(),
            client_id: "c".into(),
            profile: CloudProfile::for_cloud(cloud),
        }
    }

    #[test]
    fn the_sign_out_page_is_the_clouds_with_the_hint_encoded() {
        let u = logout_url(&target(Cloud::UsGovHigh), Some("O.aW+/=")).unwrap();
        assert_eq!(
            u.as_str(),
            "https://login.microsoftonline.us/contoso.onmicrosoft.us/oauth2/v2.0/logout?logout_hint=O.aW%2B%2F%3D"
        );
        let u = logout_url(&target(Cloud::Public), None).unwrap();
        assert_eq!(u.query(), None);
    }
}
