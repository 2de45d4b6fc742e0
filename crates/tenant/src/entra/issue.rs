//! Minting what a successful token request returns (contract §1.4 and §1.7): a signed access
//! token, an ID token, a refresh token and `client_info`. Every raw secret goes to the
//! issued log; refresh tokens are remembered only by fingerprint.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::scenario::{roles, User};
use crate::secrets::{fingerprint, random_token};
use crate::state::{AppState, RefreshGrant, Runtime};

use super::scopes::ResolvedScope;
use super::stepup::AuthStrength;

/// How far ahead a requested not-before may be: resources tolerate this much clock skew.
const NBF_SKEW_SECONDS: i64 = 300;

/// One successful grant, whatever flow produced it.
pub struct Grant<'a> {
    pub user: &'a User,
    pub client_id: &'a str,
    pub scope: &'a ResolvedScope,
    /// The scope string to remember with a new refresh token.
    pub grant_scope: &'a str,
    pub nonce: Option<&'a str>,
    /// Refresh grants always return a new refresh token; others only for `offline_access`.
    pub always_refresh: bool,
    pub client_info: bool,
    /// How the user authenticated: `amr`, `acrs` and `xms_cc` of the tokens.
    pub auth: AuthStrength,
}

pub fn token_response(
    state: &AppState,
    rt: &mut Runtime,
    now: DateTime<Utc>,
    g: Grant<'_>,
) -> Value {
    let lifetime = rt.settings.access_token_lifetime_seconds.max(0);
    let access_token = access_token(state, rt, now, g.user, g.client_id, g.scope, &g.auth);
    let mut body = json!({
        "token_type": "Bearer",
        "scope": g.scope.response_scope(),
        "expires_in": lifetime,
        "ext_expires_in": lifetime,
        "access_token": access_token,
    });
    let Some(map) = body.as_object_mut() else {
        return body;
    };
    if g.always_refresh || g.scope.wants("offline_access") {
        let refresh_token = format!("1.{}", random_token(48));
        state.issued.record(&refresh_token);
        rt.refresh_tokens.insert(
            fingerprint(&refresh_token),
            RefreshGrant {
                user_id: g.user.id.clone(),
                client_id: g.client_id.to_string(),
                scope: g.grant_scope.to_string(),
                issued_at: now,
                redeemed: false,
                auth: AuthStrength {
                    not_before: None,
                    ..g.auth.clone()
                },
            },
        );
        map.insert("refresh_token".into(), json!(refresh_token));
    }
    if g.scope.wants("openid") {
        let defect = rt.settings.id_token_defect;
        let id_token = id_token(state, now, g.user, g.client_id, g.nonce, defect);
        map.insert("id_token".into(), json!(id_token));
    }
    if g.client_info {
        let info = json!({"uid": g.user.id, "utid": state.scenario.tenant.id});
        map.insert(
            "client_info".into(),
            json!(URL_SAFE_NO_PAD.encode(info.to_string())),
        );
    }
    body
}

/// An access token for `resource`. `wids` reflects the roles the user holds at this moment
/// (after the `widsPropagationSeconds` delay for new activations), so a PIM activation shows
/// up only in tokens minted after it, as in the real service.
pub fn access_token(
    state: &AppState,
    rt: &Runtime,
    now: DateTime<Utc>,
    user: &User,
    client_id: &str,
    scope: &ResolvedScope,
    auth: &AuthStrength,
) -> String {
    let (resource, scp) = (&scope.resource, &scope.scp);
    let app_name = state
        .scenario
        .application(client_id)
        .map(|a| a.display_name.clone())
        .unwrap_or_default();
    let mut wids = crate::graph::pim::wids(rt, &state.scenario, &user.id, now);
    wids.push(roles::MEMBER_USER.to_string());
    let iat = now.timestamp();
    let exp = iat + rt.settings.access_token_lifetime_seconds.max(0);
    // A CAE challenge's not-before is met, within the clock skew resources allow; a later
    // one is not a time this token can be valid from.
    let nbf = auth
        .not_before
        .filter(|t| *t <= iat + NBF_SKEW_SECONDS)
        .map_or(iat, |t| t.max(iat));
    let upn = state.scenario.upn(user);
    let mut claims = json!({
        "aud": resource,
        "iss": state.issuer(),
        "iat": iat,
        "nbf": nbf,
        "exp": exp,
        "acr": "1",
        "amr": auth.amr(),
        "app_displayname": app_name,
        "appid": client_id,
        "appidacr": "0",
        "azp": client_id,
        "azpacr": "0",
        "family_name": user.surname,
        "given_name": user.given_name,
        "idtyp": "user",
        "name": user.display_name,
        "oid": user.id,
        "preferred_username": upn,
        "scp": scp.join(" "),
        "sub": pairwise_sub(&user.id, client_id),
        "tid": state.scenario.tenant.id,
        "unique_name": upn,
        "upn": upn,
        "uti": random_token(16),
        "ver": "2.0",
        "wids": wids,
    });
    if let Some(map) = claims.as_object_mut() {
        if !auth.acrs.is_empty() {
            map.insert("acrs".into(), json!(auth.acrs));
        }
        if !auth.xms_cc.is_empty() {
            map.insert("xms_cc".into(), json!(auth.xms_cc));
        }
    }
    let token = state.keys.sign(&claims);
    state.issued.record(&token);
    token
}

fn id_token(
    state: &AppState,
    now: DateTime<Utc>,
    user: &User,
    client_id: &str,
    nonce: Option<&str>,
    defect: IdTokenDefect,
) -> String {
    let iat = now.timestamp();
    let (mut aud, mut iss, mut tid) = (
        client_id.to_string(),
        state.issuer(),
        state.scenario.tenant.id.clone(),
    );
    let (mut nbf, mut exp) = (iat, iat + 3600);
    match defect {
        IdTokenDefect::None => {}
        IdTokenDefect::WrongAudience => aud = OTHER_GUID.into(),
        IdTokenDefect::WrongTenant => {
            tid = OTHER_GUID.into();
            iss = format!("https://login.microsoftonline.com/{OTHER_GUID}/v2.0");
        }
        IdTokenDefect::WrongIssuer => iss = format!("https://login.evil.example/{tid}/v2.0"),
        IdTokenDefect::Expired => (nbf, exp) = (iat - 7200, iat - 3600),
    }
    let mut claims = json!({
        "aud": aud,
        "iss": iss,
        "iat": nbf,
        "nbf": nbf,
        "exp": exp,
        "name": user.display_name,
        "oid": user.id,
        "preferred_username": state.scenario.upn(user),
        "sub": pairwise_sub(&user.id, client_id),
        "tid": tid,
        "ver": "2.0",
    });
    if let (Some(n), Some(map)) = (nonce, claims.as_object_mut()) {
        map.insert("nonce".into(), json!(n));
    }
    let wants_hint = state
        .scenario
        .application(client_id)
        .is_some_and(|a| a.optional_claims.iter().any(|c| c == "login_hint"));
    if let (true, Some(map)) = (wants_hint, claims.as_object_mut()) {
        map.insert(
            "login_hint".into(),
            json!(login_hint(user, &state.scenario.tenant.id)),
        );
    }
    let token = state.keys.sign(&claims);
    state.issued.record(&token);
    token
}

/// A well-formed GUID that is neither the scenario's tenant nor its application.
const OTHER_GUID: &str = "0badc0de-0000-4000-8000-00000000beef";

/// How the `idTokenDefect` test switch spoils ID tokens.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum IdTokenDefect {
    #[default]
    None,
    /// `aud` is another application's client id.
    WrongAudience,
    /// `tid` (and the issuer with it) is another tenant's.
    WrongTenant,
    /// `iss` is not on the authority that issued it.
    WrongIssuer,
    /// `exp` is an hour in the past.
    Expired,
}

/// The `login_hint` optional claim: opaque to clients (Entra's is an encoded blob), here
/// `O.` + base64url(`oid|tid`) so that the sign-out endpoint can tell whose it is.
fn login_hint(user: &User, tid: &str) -> String {
    format!("O.{}", URL_SAFE_NO_PAD.encode(format!("{}|{tid}", user.id)))
}

/// The user object id a `login_hint` (as a `logout_hint`) names, if it is one of ours.
pub fn user_of_login_hint(hint: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(hint.strip_prefix("O.")?).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.split_once('|').map(|(oid, _)| oid.to_string())
}

/// `sub` is pairwise in Entra: stable per user and app, different across apps.
fn pairwise_sub(user_id: &str, client_id: &str) -> String {
    let digest = Sha256::digest(format!(
        "{}|{}",
        user_id.to_ascii_lowercase(),
        client_id.to_ascii_lowercase()
    ));
    URL_SAFE_NO_PAD.encode(&digest[..32])
}
