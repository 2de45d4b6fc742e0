//! Checks on the ID token of a sign-in before Elevate takes the account from it: issued for
//! Elevate's app registration (`aud`), in the configured tenant (`tid`, when the tenant is
//! configured by GUID), by the configured authority (`iss`), and not expired (`exp`).
//! The token came straight from the token endpoint over TLS, so, as OpenID Connect allows
//! for that case, the signature is not checked; the claims are (contract §1.7).

use super::claims::Claims;
use super::{AuthError, TenantTarget};
use crate::settings::is_guid;

/// Clock difference tolerated between this computer and Entra.
const SKEW_SECONDS: i64 = 300;

/// `Err` names the claim that does not fit, in words for the details line.
pub fn check(c: &Claims, t: &TenantTarget, now: i64) -> Result<(), AuthError> {
    let refuse = |why: String| Err(AuthError::IdToken(why));
    if !c.aud.iter().any(|a| a.eq_ignore_ascii_case(&t.client_id)) || c.aud.len() != 1 {
        return refuse(format!(
            "it was issued for another application ({}), not for Elevate's app registration ({})",
            c.aud.join(", "),
            t.client_id
        ));
    }
    if !is_guid(&c.tid) {
        return refuse("it does not name a directory (tenant)".into());
    }
    if is_guid(&t.tenant) && !c.tid.eq_ignore_ascii_case(&t.tenant) {
        return refuse(format!(
            "it is from another directory ({}), not the one configured ({})",
            c.tid, t.tenant
        ));
    }
    let authority = t.profile.authority.as_str().trim_end_matches('/');
    let on_authority = issuer_bases(authority).iter().any(|base| {
        c.iss
            .eq_ignore_ascii_case(&format!("{base}/{}/v2.0", c.tid))
    });
    if !on_authority {
        return refuse(format!(
            "it was issued by {}, not by the sign-in service Elevate uses ({authority})",
            if c.iss.is_empty() { "no one" } else { &c.iss }
        ));
    }
    if c.exp <= now - SKEW_SECONDS {
        return refuse(
            "it had already expired (check that this computer's date and time are right)".into(),
        );
    }
    Ok(())
}

/// Where tokens from `authority` say they come from. Azure China's sign-in service answers
/// at two names (contract part 2, §9) and writes the older one into `iss`.
fn issuer_bases(authority: &str) -> Vec<String> {
    const CHINA: [&str; 2] = [
        "https://login.chinacloudapi.cn",
        "https://login.partner.microsoftonline.cn",
    ];
    if CHINA.iter().any(|c| c.eq_ignore_ascii_case(authority)) {
        CHINA.iter().map(|c| c.to_string()).collect()
    } else {
        vec![authority.to_string()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::TenantKind;
    use crate::cloud::CloudProfile;

    const TID: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    const APP: &str = "1950a258-227b-4e31-a9cf-717495945fc2";
    const NOW: i64 = 1_800_000_000;

    fn target(tenant: &str) -> TenantTarget {
        TenantTarget {
            kind: TenantKind::Organization,
            tenant: tenant.into(),
            client_id: APP.into(),
            profile: CloudProfile::for_cloud(crate::api::Cloud::Public),
        }
    }

    fn good() -> Claims {
        Claims {
            oid: "o".into(),
            tid: TID.into(),
            aud: vec![APP.into()],
            iss: format!("https://login.microsoftonline.com/{TID}/v2.0"),
            exp: NOW + 3600,
            ..Claims::default()
        }
    }

    fn why(c: Claims, t: &TenantTarget) -> String {
        match check(&c, t, NOW) {
            Err(AuthError::IdToken(w)) => w,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_right_token_passes_for_a_guid_or_a_domain() {
        check(&good(), &target(TID), NOW).unwrap();
        check(&good(), &target("contoso.onmicrosoft.com"), NOW).unwrap();
        let upper = Claims {
            aud: vec![APP.to_uppercase()],
            ..good()
        };
        check(&upper, &target(&TID.to_uppercase()), NOW).unwrap();
    }

    #[test]
    fn each_wrong_claim_is_named() {
        let t = target(TID);
        let c = Claims {
            aud: vec!["00000003-0000-0000-c000-000000000000".into()],
            ..good()
        };
        assert!(why(c, &t).contains("another application"));
        let c = Claims {
            aud: vec![APP.into(), "other".into()],
            ..good()
        };
        assert!(why(c, &t).contains("another application"));
        let other = "0badc0de-0000-4000-8000-00000000beef";
        let c = Claims {
            tid: other.into(),
            iss: format!("https://login.microsoftonline.com/{other}/v2.0"),
            ..good()
        };
        assert!(why(c, &t).contains("another directory"));
        let c = Claims {
            iss: format!("https://login.evil.example/{TID}/v2.0"),
            ..good()
        };
        assert!(why(c, &t).contains("login.evil.example"));
        let c = Claims {
            iss: String::new(),
            ..good()
        };
        assert!(why(c, &t).contains("no one"));
        let c = Claims {
            exp: NOW - 3600,
            ..good()
        };
        assert!(why(c, &t).contains("expired"));
        let c = Claims {
            tid: String::new(),
            ..good()
        };
        assert!(why(c, &t).contains("directory"));
    }

    #[test]
    fn azure_china_issues_under_either_of_its_names() {
        let mut t = target(TID);
        t.profile = CloudProfile::for_cloud(crate::api::Cloud::China);
        for host in ["login.partner.microsoftonline.cn", "login.chinacloudapi.cn"] {
            let c = Claims {
                iss: format!("https://{host}/{TID}/v2.0"),
                ..good()
            };
            check(&c, &t, NOW).unwrap();
        }
        assert!(why(good(), &t).contains("login.microsoftonline.com"));
    }

    #[test]
    fn a_little_clock_skew_is_tolerated() {
        let c = Claims {
            exp: NOW - 60,
            ..good()
        };
        check(&c, &target(TID), NOW).unwrap();
    }
}
