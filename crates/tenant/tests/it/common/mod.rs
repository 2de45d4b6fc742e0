//! Shared helpers: an emulator started in-process on an ephemeral port and a client that
//! behaves like a browser with redirects turned off.
#![allow(dead_code)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use elevate_tenant::{Emulator, Endpoints, Scenario};
use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};

pub const GRAPH_SCOPE: &str = "openid profile offline_access https://graph.microsoft.com/.default";
pub const REDIRECT: &str = "http://localhost:53117";

pub struct Tenant {
    pub emu: Emulator,
    pub http: reqwest::Client,
    pub base: String,
    pub ep: Endpoints,
}

pub async fn start() -> Tenant {
    start_with(|_| {}).await
}

pub async fn start_with(change: impl FnOnce(&mut Scenario)) -> Tenant {
    let mut scenario = Scenario::builtin("demo").expect("demo scenario");
    scenario.settings.device_code_interval_seconds = 1;
    change(&mut scenario);
    let emu = elevate_testkit::start(scenario).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let base = emu.base_url();
    let ep = emu.endpoints();
    Tenant {
        emu,
        http,
        base,
        ep,
    }
}

pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
}

pub fn pkce() -> Pkce {
    let verifier =
        format!("v{}", uuid::Uuid::new_v4().simple()) + &uuid::Uuid::new_v4().simple().to_string();
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    Pkce {
        verifier,
        challenge,
    }
}

/// The claims of a JWT, without checking anything.
pub fn claims(jwt: &str) -> Value {
    let part = jwt.split('.').nth(1).expect("jwt has claims");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("base64url")).expect("json")
}

pub fn query_param(location: &str, name: &str) -> Option<String> {
    let url = url::Url::parse(location).expect("location is a URL");
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

impl Tenant {
    /// `{authority}/{tenant id}`, what a client would configure.
    pub fn tenant_url(&self) -> String {
        format!("{}/{}", self.ep.authority, self.ep.tenant_id)
    }

    pub fn authorize_url(&self, extra: &[(&str, &str)]) -> String {
        let mut url =
            url::Url::parse(&format!("{}/oauth2/v2.0/authorize", self.tenant_url())).expect("url");
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("client_id", &self.ep.client_id);
            q.append_pair("response_type", "code");
            for (k, v) in extra {
                q.append_pair(k, v);
            }
        }
        url.to_string()
    }

    /// Opens the sign-in page and submits it like the person in front of it would.
    pub async fn sign_in(
        &self,
        upn: &str,
        scope: &str,
        pkce: &Pkce,
        state: &str,
    ) -> reqwest::Response {
        let url = self.authorize_url(&[
            ("redirect_uri", REDIRECT),
            ("scope", scope),
            ("state", state),
            ("code_challenge", &pkce.challenge),
            ("code_challenge_method", "S256"),
        ]);
        let page = self.http.get(&url).send().await.expect("authorize page");
        assert_eq!(page.status(), StatusCode::OK);
        self.http
            .post(&url)
            .form(&[("login", upn), ("action", "signin")])
            .send()
            .await
            .expect("sign-in submit")
    }

    /// Signs in and returns the authorization code.
    pub async fn code_for(&self, upn: &str, scope: &str, pkce: &Pkce) -> String {
        let res = self.sign_in(upn, scope, pkce, "s1").await;
        assert_eq!(res.status(), StatusCode::FOUND);
        let location = res.headers()["location"]
            .to_str()
            .expect("ascii")
            .to_string();
        query_param(&location, "code").expect("code in redirect")
    }

    pub async fn token(&self, form: &[(&str, &str)]) -> (StatusCode, Value) {
        let res = self
            .http
            .post(format!("{}/oauth2/v2.0/token", self.tenant_url()))
            .form(form)
            .send()
            .await
            .expect("token request");
        let status = res.status();
        (
            status,
            res.json().await.expect("token endpoint answers JSON"),
        )
    }

    /// A full sign-in: authorize, then redeem the code. Returns the token response.
    pub async fn tokens_for(&self, upn: &str, scope: &str) -> Value {
        let p = pkce();
        let code = self.code_for(upn, scope, &p).await;
        let (status, body) = self
            .token(&[
                ("client_id", &self.ep.client_id),
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", REDIRECT),
                ("code_verifier", &p.verifier),
                ("scope", scope),
            ])
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    pub async fn admin_post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let res = self
            .http
            .post(format!("{}/_emulator/{path}", self.base))
            .json(&body)
            .send()
            .await
            .expect("admin request");
        let status = res.status();
        (status, res.json().await.expect("admin JSON"))
    }

    pub async fn get_json(&self, url: &str) -> (StatusCode, Value) {
        let res = self.http.get(url).send().await.expect("GET");
        let status = res.status();
        (status, res.json().await.expect("JSON"))
    }
}

/// The AADSTS number of an Entra error body.
pub fn aadsts(body: &Value) -> u64 {
    body["error_codes"][0].as_u64().unwrap_or(0)
}
