//! Dataverse service protection limits (§4.5): the request budget per window (emulator clock)
//! and concurrent requests, each a 429 with `Retry-After` in Dataverse's error envelope.

use crate::common::*;
use crate::platform::*;
use reqwest::StatusCode;
use serde_json::json;

async fn patch_settings(t: &Tenant, body: serde_json::Value) {
    let r = t
        .http
        .patch(format!("{}/_emulator/settings", t.base))
        .json(&body)
        .send()
        .await
        .expect("patch");
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_request_budget_refuses_with_retry_after_until_the_window_moves() {
    let t = start().await;
    patch_settings(&t, json!({"dataverseRequestLimit": 3})).await;
    let dv = t.dv_token("gloria", "contoso").await;
    let url = format!("{}/WhoAmI", t.org_api("contoso"));
    for _ in 0..3 {
        assert_eq!(t.get(&url, &dv).await.status, StatusCode::OK);
    }
    let r = t.get(&url, &dv).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(keys(&r.body), ["error"]);
    assert_eq!(keys(&r.body["error"]), sorted(&["code", "message"]));
    assert_eq!(r.body["error"]["code"], "0x80072322");
    assert_eq!(
        r.body["error"]["message"],
        "Number of requests exceeded the limit of 3 over time window of 300 seconds."
    );
    let retry: u64 = r.headers["retry-after"]
        .to_str()
        .ok()
        .and_then(|v| v.parse().ok())
        .expect("Retry-After seconds");
    assert!((1..=300).contains(&retry), "{retry}");
    assert!(r.headers.contains_key("x-ms-correlation-id"));
    // Per user per org: Gloria in another org, and someone else here, are not affected.
    let other = t.dv_token("gloria", "contosofinance").await;
    assert_eq!(
        t.get(&format!("{}/WhoAmI", t.org_api("contosofinance")), &other)
            .await
            .status,
        StatusCode::OK
    );
    // The window moves with the emulator clock.
    t.admin_post("clock/advance", json!({"seconds": 301})).await;
    let fresh = t.dv_token("gloria", "contoso").await;
    assert_eq!(t.get(&url, &fresh).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_53rd_concurrent_request_is_refused() {
    let t = start().await;
    // Each request takes a second of "processing", holding its concurrency slot.
    patch_settings(&t, json!({"latencyMs": 1500})).await;
    let dv = t.dv_token("gloria", "contoso").await;
    let url = format!("{}/WhoAmI", t.org_api("contoso"));
    let calls = (0..60).map(|_| {
        let (http, url, dv) = (t.http.clone(), url.clone(), dv.clone());
        tokio::spawn(async move {
            let r = http
                .get(&url)
                .bearer_auth(&dv)
                .send()
                .await
                .expect("request");
            let status = r.status();
            let retry = r.headers().get("retry-after").is_some();
            let body: serde_json::Value = r.json().await.expect("json");
            (status, retry, body)
        })
    });
    let results = futures::future::join_all(calls).await;
    let mut ok = 0;
    let mut refused = 0;
    for r in results {
        let (status, retry, body) = r.expect("task");
        if status == StatusCode::OK {
            ok += 1;
        } else {
            assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
            assert!(retry);
            assert_eq!(body["error"]["code"], "0x80072326");
            assert_eq!(
                body["error"]["message"],
                "Number of concurrent requests exceeded the limit of 52."
            );
            refused += 1;
        }
    }
    assert_eq!((ok, refused), (52, 8));
}
