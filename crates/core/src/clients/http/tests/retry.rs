//! `Retry-After` in both of its forms, values that must never panic, and 504s.

use chrono::{TimeZone, Utc};

use super::super::read::retry_after;
use super::*;

#[test]
fn retry_after_reads_seconds_and_http_dates() {
    let now = Utc.with_ymd_and_hms(2026, 10, 21, 7, 27, 30).unwrap();
    let secs = |v| retry_after(v, now);
    assert_eq!(secs("120"), Some(Duration::from_secs(120)));
    assert_eq!(secs(" 0.05 "), Some(Duration::from_millis(50)));
    assert_eq!(secs("0"), Some(Duration::ZERO));
    // IMF-fixdate, and the two obsolete forms RFC 9110 still asks recipients to read.
    assert_eq!(
        secs("Wed, 21 Oct 2026 07:28:00 GMT"),
        Some(Duration::from_secs(30))
    );
    assert_eq!(
        secs("Wednesday, 21-Oct-26 07:28:00 GMT"),
        Some(Duration::from_secs(30))
    );
    assert_eq!(
        secs("Wed Oct 21 07:28:00 2026"),
        Some(Duration::from_secs(30))
    );
    assert_eq!(
        secs("Wed, 21 Oct 2026 07:00:00 GMT"),
        Some(Duration::ZERO),
        "a time already past means: now"
    );
}

#[test]
fn no_retry_after_value_panics() {
    let now = Utc::now();
    for v in ["1e20", "1e300", "18446744073709551616"] {
        let w = retry_after(v, now);
        assert!(
            w.is_some_and(|w| w > Duration::from_secs(3600)),
            "{v}: a wait too long to honour, not an error: {w:?}"
        );
    }
    for v in [
        "",
        "NaN",
        "nan",
        "-1",
        "-0.5",
        "inf",
        "-inf",
        "infinity",
        "1e400",
        "soon",
        "12 s",
        "Wed, 32 Oct 2026 07:28:00 GMT",
        "Thu, 01 Jan 1970 00:00:00",
        "9999999999999999999999-",
    ] {
        assert_eq!(retry_after(v, now), None, "{v:?}");
    }
    assert!(retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now).is_some());
}

#[tokio::test]
async fn a_huge_retry_after_ends_at_once() {
    let (url, hits) = server(vec![(429, vec![("retry-after", "1e20")], "")]).await;
    let t = Secret::new("tkn");
    let e = http()
        .send(call(&url, &t, Method::GET, true))
        .await
        .err()
        .unwrap();
    assert_eq!(
        (e.kind, hits.load(Ordering::SeqCst)),
        (ServiceErrorKind::Throttled, 1)
    );
}

#[tokio::test]
async fn a_retry_after_date_is_honoured() {
    // Far ahead: longer than Elevate waits, so it stops at once.
    let (url, hits) = server(vec![(
        429,
        vec![("retry-after", "Wed, 21 Oct 2099 07:28:00 GMT")],
        "",
    )])
    .await;
    let t = Secret::new("tkn");
    let e = http()
        .send(call(&url, &t, Method::GET, true))
        .await
        .err()
        .unwrap();
    assert_eq!(
        (e.kind, hits.load(Ordering::SeqCst)),
        (ServiceErrorKind::Throttled, 1)
    );

    // Counted on the service's clock (its `Date`), not this computer's: two hours after
    // the service's now is too long, though it is long past here.
    let (url, hits) = server(vec![(
        429,
        vec![
            ("date", "Wed, 21 Oct 2015 07:28:00 GMT"),
            ("retry-after", "Wed, 21 Oct 2015 09:28:00 GMT"),
        ],
        "",
    )])
    .await;
    let e = http()
        .send(call(&url, &t, Method::GET, true))
        .await
        .err()
        .unwrap();
    assert_eq!(
        (e.kind, hits.load(Ordering::SeqCst)),
        (ServiceErrorKind::Throttled, 1)
    );

    // A 503 with a date is the service asking for a pause: nothing was done, so even a
    // call that is not idempotent goes again.
    let (url, hits) = server(vec![(
        503,
        vec![("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")],
        "",
    )])
    .await;
    http()
        .send(call(&url, &t, Method::POST, false))
        .await
        .unwrap();
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_504_never_resends_a_call_that_is_not_idempotent() {
    // The gateway gave up waiting; the service may still have done it.
    let script = || vec![(504, vec![("retry-after", "0.01")], "")];
    let (url, hits) = server(script()).await;
    let t = Secret::new("tkn");
    let e = http()
        .send(call(&url, &t, Method::POST, false))
        .await
        .err()
        .unwrap();
    assert_eq!(
        (e.kind, e.status, hits.load(Ordering::SeqCst)),
        (ServiceErrorKind::Server, Some(504), 1)
    );

    let (url, hits) = server(script()).await;
    http()
        .send(call(&url, &t, Method::GET, true))
        .await
        .unwrap();
    assert_eq!(
        hits.load(Ordering::SeqCst),
        2,
        "an idempotent call may go again"
    );
}
