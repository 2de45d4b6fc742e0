use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::Request;
use axum::routing::any;
use axum::{Json, Router};
use serde_json::{json, Value};
use url::Url;

use crate::clients::graph::pim::PimClient;
use crate::clients::http::{Http, ServiceErrorKind};
use crate::clients::odata::pages;
use crate::secret::Secret;

/// A service whose first page links to `next`, with `OWN` standing for its own address;
/// every later page is the last. Counts the requests it was sent.
async fn lister(next: &str) -> (String, Arc<AtomicUsize>) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", l.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let (h, next) = (hits.clone(), next.replace("OWN", &base));
    let app = Router::new().fallback(any(move |req: Request| {
        let (h, next) = (h.clone(), next.clone());
        async move {
            h.fetch_add(1, Ordering::SeqCst);
            let last = req.uri().query().is_some_and(|q| q.contains("page=2"));
            Json(if last {
                json!({"value": [{"roleDefinitionId": "second"}]})
            } else {
                json!({"value": [{"roleDefinitionId": "first"}], "@odata.nextLink": next})
            })
        }
    }));
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    (base, hits)
}

async fn list_both_ways(base: &str) -> [Result<Vec<String>, ServiceErrorKind>; 2] {
    let http = Http::new();
    let t = Secret::new("tkn");
    let url = format!("{base}/v1.0/things");
    let odata: Result<Vec<Value>, _> = pages(&http, url, &format!("{base}/"), &t, &[]).await;
    let graph = Url::parse(&format!("{base}/")).unwrap();
    let pim = PimClient {
        http: &http,
        graph: &graph,
        token: &t,
    };
    let dated = pim.assignments_dated().await;
    [
        odata
            .map(|v| {
                v.iter()
                    .map(|x| x["roleDefinitionId"].to_string())
                    .collect()
            })
            .map_err(|e| e.kind),
        dated
            .map(|(v, _)| {
                v.into_iter()
                    .map(|a| format!("{:?}", a.role_definition_id))
                    .collect()
            })
            .map_err(|e| e.kind),
    ]
}

#[tokio::test]
async fn a_next_link_to_another_address_is_refused_and_said() {
    let (evil, evil_hits) = lister("").await;
    let evil_host = evil.trim_start_matches("http://");
    for link in [
        // Reads as this service's address, goes to the other one (with the token).
        format!("OWN@{evil_host}/v1.0/things?page=2"),
        // Another port of the same host is another service.
        format!("{evil}/v1.0/things?page=2"),
    ] {
        let (base, _) = lister(&link).await;
        for result in list_both_ways(&base).await {
            assert_eq!(result, Err(ServiceErrorKind::Malformed), "{link}");
        }
    }
    assert_eq!(
        evil_hits.load(Ordering::SeqCst),
        0,
        "the token went elsewhere"
    );
}

#[tokio::test]
async fn a_next_link_on_the_same_service_is_followed() {
    for link in [
        "OWN/v1.0/other/path?$skiptoken=x&page=2",
        "/v1.0/things?page=2",
    ] {
        let (base, hits) = lister(link).await;
        for result in list_both_ways(&base).await {
            assert_eq!(result.map(|v| v.len()), Ok(2), "{link}");
        }
        assert_eq!(hits.load(Ordering::SeqCst), 4);
    }
}

#[test]
fn only_links_on_the_same_service_are_followed() {
    let base = "https://graph.microsoft.com/";
    let current =
        "https://graph.microsoft.com/v1.0/roleManagement/directory/roleAssignmentScheduleInstances";
    let next = |link| super::next_page(base, current, link);
    for evil in [
        "https://graph.microsoft.com.evil.example/v1.0/x",
        "https://graph.microsoft.com@evil.example/v1.0/x",
        "https://graph.microsoft.com%2eevil.example/v1.0/x",
        "https://user:pw@graph.microsoft.com/v1.0/x",
        "https://user@graph.microsoft.com/v1.0/x",
        "https://:pw@graph.microsoft.com/v1.0/x",
        "http://graph.microsoft.com/v1.0/x",
        "https://graph.microsoft.com:8443/v1.0/x",
        "https://evil.example/?https://graph.microsoft.com/",
        "//evil.example/v1.0/x",
        "https://[::1]/v1.0/x",
        "data:text/plain,graph.microsoft.com",
    ] {
        assert_eq!(next(evil), None, "{evil} followed");
    }
    for (good, to) in [
        (
            "https://graph.microsoft.com/v1.0/x?$skiptoken=abc",
            "https://graph.microsoft.com/v1.0/x?$skiptoken=abc",
        ),
        (
            "https://GRAPH.microsoft.com:443/beta/other/path?$skip=2",
            "https://graph.microsoft.com/beta/other/path?$skip=2",
        ),
        (
            "roleAssignmentScheduleInstances?$skiptoken=abc",
            "https://graph.microsoft.com/v1.0/roleManagement/directory/roleAssignmentScheduleInstances?$skiptoken=abc",
        ),
    ] {
        assert_eq!(next(good).as_deref(), Some(to), "{good}");
    }
    let e = super::link_elsewhere(Some("c-1".into()));
    assert_eq!(
        (e.kind, e.correlation_id.as_deref()),
        (ServiceErrorKind::Malformed, Some("c-1"))
    );
    assert!(e.message.contains("another address"), "{}", e.message);
}
