//! Claims challenges on resource APIs (contract part 2, §5): Continuous Access Evaluation and
//! Conditional Access make Graph (and, unconfirmed, Power Platform and Dataverse) answer 401
//! with `error="insufficient_claims"` and a base64 claims request in `WWW-Authenticate`,
//! until the client presents a token minted for those claims.
//!
//! Switched on at run time through `/_emulator/claims-challenges`; a challenge stays until
//! cleared or reset, and a token that carries what it asks passes. Requests without a token
//! this emulator signed go on to the service, whose own checks answer them.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::state::AppState;

/// The services a challenge can be put on, by the emulator path they live under.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum Service {
    Graph,
    PowerPlatform,
    Bap,
    Dataverse,
}

impl Service {
    fn of_path(path: &str) -> Option<Service> {
        let first = path.trim_start_matches('/').split('/').next()?;
        match first {
            "graph" => Some(Service::Graph),
            "powerplatform" => Some(Service::PowerPlatform),
            "bap" => Some(Service::Bap),
            "dataverse" => Some(Service::Dataverse),
            _ => None,
        }
    }
}

/// One challenge as set through the admin API.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct NewChallenge {
    service: Service,
    /// The claims request (`{"access_token":{…}}`); by default a CAE revocation (`nbf`).
    #[serde(default)]
    claims: Option<Value>,
    /// Only requests whose path matches (a prefix or glob, as fault rules); all when absent.
    #[serde(default)]
    path: Option<String>,
    /// Only this method (`POST`, …); any when absent.
    #[serde(default)]
    method: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Challenge {
    service: Service,
    claims: Value,
    path: Option<String>,
    method: Option<String>,
    /// How many requests were answered with this challenge.
    challenged: u64,
    /// How many requests carried a token that satisfied it.
    passed: u64,
}

impl Challenge {
    fn applies(&self, service: Service, method: &str, path: &str) -> bool {
        self.service == service
            && self
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self
                .path
                .as_deref()
                .is_none_or(|p| crate::faults::path_matches(p, path))
    }

    fn snapshot(&self) -> Value {
        json!({
            "service": self.service,
            "claims": self.claims,
            "path": self.path,
            "method": self.method,
            "challenged": self.challenged,
            "passed": self.passed,
        })
    }
}

pub fn admin_router() -> Router<Arc<AppState>> {
    Router::new().route("/claims-challenges", get(list).post(add).delete(clear))
}

async fn list(State(state): State<Arc<AppState>>) -> Json<Value> {
    let rt = state.runtime();
    let value: Vec<Value> = rt
        .claims_challenges
        .iter()
        .map(Challenge::snapshot)
        .collect();
    Json(json!({ "value": value }))
}

async fn add(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let new: NewChallenge = match parse(&body, "claims challenge") {
        Ok(n) => n,
        Err(refused) => return refused.into_response(),
    };
    let claims = match new.claims {
        Some(c) if c.get("access_token").is_some_and(Value::is_object) => c,
        Some(_) => return bad_request("claims must be {\"access_token\":{…}}."),
        // A revocation stamped at the next whole second: tokens minted before it, even in
        // the same second, are stale, as after a real critical event.
        None => {
            let at = state.clock.now().timestamp() + 1;
            json!({"access_token": {"nbf": {"essential": true, "value": at.to_string()}}})
        }
    };
    if new.path.as_deref().is_some_and(|p| !p.starts_with('/')) {
        return bad_request("path must start with '/'.");
    }
    let challenge = Challenge {
        service: new.service,
        claims,
        path: new.path,
        method: new.method,
        challenged: 0,
        passed: 0,
    };
    let snapshot = challenge.snapshot();
    state.runtime().claims_challenges.push(challenge);
    Json(snapshot).into_response()
}

async fn clear(State(state): State<Arc<AppState>>) -> Json<Value> {
    state.runtime().claims_challenges.clear();
    Json(json!({ "value": [] }))
}

use crate::admin_json::{bad_request, parse};

/// The middleware: answers a challenged request with 401 before the service sees it.
pub async fn layer(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let Some(service) = Service::of_path(&path) else {
        return next.run(req).await;
    };
    let token_claims = crate::bearer::token(req.headers()).and_then(|t| state.keys.verify(t).ok());
    let unmet = {
        let mut rt = state.runtime();
        let method = req.method().as_str();
        let mut unmet = None;
        for c in rt.claims_challenges.iter_mut() {
            if !c.applies(service, method, &path) {
                continue;
            }
            let Some(token) = &token_claims else { break };
            if satisfies(token, &c.claims) {
                c.passed += 1;
            } else {
                c.challenged += 1;
                unmet = Some(c.claims.clone());
                break;
            }
        }
        unmet
    };
    match unmet {
        Some(claims) => refusal(&state, service, &path, &claims),
        None => next.run(req).await,
    }
}

/// Whether the token carries every claim the request asks for: each `value`/`values` among
/// the token's (`acrs`, `xms_cc`, `amr`), `nbf`/`iat` at or after the asked time, and a claim
/// asked without a value present at all.
pub fn satisfies(token: &Map<String, Value>, claims: &Value) -> bool {
    let Some(asked) = claims.get("access_token").and_then(Value::as_object) else {
        return true;
    };
    asked.iter().all(|(name, request)| {
        let wanted = values(request);
        let held = token.get(name);
        if wanted.is_empty() {
            return held.is_some();
        }
        if name == "nbf" || name == "iat" {
            let at = held.and_then(Value::as_i64);
            return wanted
                .iter()
                .filter_map(|w| w.parse::<i64>().ok())
                .all(|w| at.is_some_and(|t| t >= w));
        }
        let held: Vec<&str> = match held {
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            Some(Value::String(s)) => vec![s.as_str()],
            _ => Vec::new(),
        };
        wanted
            .iter()
            .all(|w| held.iter().any(|h| h.eq_ignore_ascii_case(w)))
    })
}

fn values(request: &Value) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let mut out: Vec<String> = request
        .get("values")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(one).collect())
        .unwrap_or_default();
    out.extend(request.get("value").and_then(one));
    out
}

/// 401 with the header of contract §5.1 (Graph's adds its client id and the CAE reason, as
/// recorded live) and the service's own error envelope.
fn refusal(state: &AppState, service: Service, path: &str, claims: &Value) -> Response {
    let encoded = STANDARD.encode(claims.to_string());
    let authorize = format!("{}/login/common/oauth2/authorize", state.base_url);
    let reason = "Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp";
    let header_value = match service {
        Service::Graph => format!(
            r#"Bearer realm="", authorization_uri="{authorize}", client_id="00000003-0000-0000-c000-000000000000", errorDescription="{reason}", error="insufficient_claims", claims="{encoded}""#
        ),
        _ => format!(
            r#"Bearer realm="", authorization_uri="{authorize}", error="insufficient_claims", claims="{encoded}""#
        ),
    };
    let mut r = crate::faults::envelope(path, 401, "InvalidAuthenticationToken", reason);
    if let Ok(v) = HeaderValue::from_str(&header_value) {
        r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn a_token_satisfies_only_what_it_carries() {
        let t = token(json!({"nbf": 100, "acrs": ["c1"], "xms_cc": ["cp1"]}));
        let nbf = |v: &str| json!({"access_token": {"nbf": {"essential": true, "value": v}}});
        assert!(satisfies(&t, &nbf("100")));
        assert!(!satisfies(&t, &nbf("101")));
        let acrs = |v: &str| json!({"access_token": {"acrs": {"essential": true, "value": v}}});
        assert!(satisfies(&t, &acrs("C1")));
        assert!(!satisfies(&t, &acrs("c2")));
        let unknown = json!({"access_token": {"xms_foo": {"essential": true}}});
        assert!(!satisfies(&t, &unknown));
    }

    #[test]
    fn services_by_path() {
        assert_eq!(Service::of_path("/graph/v1.0/me"), Some(Service::Graph));
        assert_eq!(
            Service::of_path("/dataverse/org1/api/data/v9.2/WhoAmI"),
            Some(Service::Dataverse)
        );
        assert_eq!(Service::of_path("/login/x/oauth2/v2.0/token"), None);
        assert_eq!(Service::of_path("/_emulator/health"), None);
    }
}
