//! Seeded random requests against every service: whatever arrives, the emulator answers
//! (never a 5xx, never a panic that kills the listener) and a refused request changes nothing.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

const JUNK: &[&str] = &[
    "",
    "x",
    "%",
    "%zz",
    "%00",
    "'",
    "\"",
    "(",
    ")",
    "()",
    "(')",
    "..",
    "../..",
    "{}",
    "[]",
    "null",
    "-1",
    "99999999999999999999",
    "00000000-0000-0000-0000-000000000000",
    "Default-",
    "é",
    "😀",
    "a b",
    "$ref",
    "$filter=",
    "eq",
    "any(r:",
    ";",
    "\\",
    "\u{202e}",
];

fn junk(rng: &mut StdRng) -> String {
    let mut s = String::new();
    for _ in 0..rng.gen_range(1..4) {
        s.push_str(JUNK[rng.gen_range(0..JUNK.len())]);
    }
    if rng.gen_bool(0.05) {
        s.push_str(&"A".repeat(rng.gen_range(100..5000)));
    }
    s
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn mint(t: &crate::common::Tenant, user: &str, scope: &str) -> String {
    let r: Value = t
        .http
        .post(format!("{}/_emulator/token", t.base))
        .json(&json!({"user": user, "scope": scope}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["access_token"].as_str().unwrap().to_string()
}

async fn snapshot(t: &crate::common::Tenant) -> (Value, Value, Value) {
    let get = |p: &'static str| {
        let url = format!("{}/_emulator/{p}", t.base);
        let http = t.http.clone();
        async move {
            http.get(url)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    (
        get("environments").await,
        get("pim/requests").await,
        get("audit").await,
    )
}

#[tokio::test]
async fn random_requests_never_break_the_emulator_or_change_state() {
    let t = crate::common::start().await;
    let tid = t.ep.tenant_id.clone();
    let dv = format!("{}/dataverse/contoso", t.base);
    let graph = mint(&t, "gloria", "https://graph.microsoft.com/.default").await;
    let pp = mint(&t, "nestor", "https://api.powerplatform.com/.default").await;
    let dv_token = mint(&t, "nestor", &format!("{dv}/.default")).await;
    let before = snapshot(&t).await;
    let templates: Vec<(&str, String)> = vec![
        ("GET", format!("/login/{tid}/oauth2/v2.0/authorize?client_id=J&redirect_uri=J&response_type=J&scope=J&state=J&code_challenge=J")),
        ("POST", format!("/login/{tid}/oauth2/v2.0/authorize?client_id=J")),
        ("POST", format!("/login/{tid}/oauth2/v2.0/token")),
        ("POST", format!("/login/{tid}/oauth2/v2.0/devicecode")),
        ("GET", "/login/J/v2.0/.well-known/openid-configuration".into()),
        ("POST", "/login/devicelogin".into()),
        ("GET", "/graph/v1.0/me?$select=J".into()),
        ("GET", "/graph/v1.0/roleManagement/directory/roleEligibilityScheduleInstances/filterByCurrentUser(on='J')?$expand=J".into()),
        ("POST", "/graph/v1.0/roleManagement/directory/roleAssignmentScheduleRequests".into()),
        ("POST", "/graph/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/J/cancel".into()),
        ("GET", "/graph/v1.0/policies/roleManagementPolicyAssignments?$filter=J&$expand=J".into()),
        ("POST", "/graph/v1.0/me/checkMemberGroups".into()),
        ("GET", "/powerplatform/environmentmanagement/environments?api-version=J&$filter=J&$top=J&$skiptoken=J".into()),
        ("POST", "/powerplatform/usermanagement/environments/J/user/applyAdminRole?api-version=J".into()),
        ("GET", "/bap/providers/Microsoft.BusinessAppPlatform/scopes/admin/environments/J?api-version=J".into()),
        ("GET", "/dataverse/contoso/api/data/v9.2/systemusers?$filter=J&$select=J&$expand=J".into()),
        ("GET", "/dataverse/J/api/data/v9.2/roles(J)/systemuserroles_association".into()),
        ("DELETE", "/dataverse/contoso/api/data/v9.2/systemusers(J)/systemuserroles_association(J)/$ref".into()),
        ("POST", "/dataverse/contoso/api/data/v9.2/systemusers(J)/systemuserroles_association/$ref".into()),
    ];
    let mut rng = StdRng::seed_from_u64(0x5eed);
    for i in 0..1500 {
        let (method, template) = &templates[rng.gen_range(0..templates.len())];
        let path = template
            .split('J')
            .enumerate()
            .fold(String::new(), |mut acc, (n, part)| {
                if n > 0 {
                    acc.push_str(&enc(&junk(&mut rng)));
                }
                acc.push_str(part);
                acc
            });
        let url = format!("{}{}", t.base, path);
        let mut req = t.http.request(method.parse().unwrap(), &url);
        req = match rng.gen_range(0..4) {
            0 => req.bearer_auth(&graph),
            1 => req.bearer_auth(&pp),
            2 => req.bearer_auth(&dv_token),
            _ => req.bearer_auth(junk(&mut rng)),
        };
        let body: Vec<u8> = match rng.gen_range(0..5) {
            0 => (0..rng.gen_range(0..200)).map(|_| rng.gen()).collect(),
            1 => format!("{{\"action\":\"{}\",\"principalId\":{},\"scheduleInfo\":{{\"expiration\":{{\"duration\":\"{}\"}}}}", junk(&mut rng), junk(&mut rng), junk(&mut rng)).into_bytes(),
            2 => format!("grant_type={}&code={}&client_id={}&scope={}", enc(&junk(&mut rng)), enc(&junk(&mut rng)), enc(&junk(&mut rng)), enc(&junk(&mut rng))).into_bytes(),
            3 => "[".repeat(rng.gen_range(1..3000)).into_bytes(),
            _ => Vec::new(),
        };
        let ct = [
            "application/json",
            "application/x-www-form-urlencoded",
            "text/plain",
            "application/json; charset=utf-16",
            "multipart/form-data",
        ][rng.gen_range(0..5)];
        let resp = req
            .header("content-type", ct)
            .body(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("request {i} {method} {path}: no answer: {e}"));
        assert!(
            resp.status().as_u16() < 500,
            "request {i}: {method} {path} answered {}",
            resp.status()
        );
    }
    let health = t
        .http
        .get(format!("{}/_emulator/health", t.base))
        .send()
        .await
        .unwrap();
    assert!(health.status().is_success());
    assert_eq!(
        snapshot(&t).await,
        before,
        "refused requests changed nothing"
    );
}
