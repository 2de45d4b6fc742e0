//! The Activity page's filters over one small journal.

use super::*;

/// Six entries, then a failed sign-in that names an environment in its parameters.
fn seven(f: &Fixture) -> Journal {
    let j = f.with(6);
    let mut failed = record(7);
    failed.action = JournalAction::SignIn;
    failed.target = None;
    failed.result = JournalResult {
        outcome: JournalOutcome::Failed,
        code: Some(ErrorCode::SignInCancelled),
        message: Some("Sign-in was cancelled.".into()),
        detail: None,
    };
    failed.params.environment = Some(JournalRef {
        id: "env-2".into(),
        name: "Sales 2".into(),
    });
    j.append(failed).unwrap();
    j
}

fn seqs(p: JournalPage) -> Vec<u32> {
    p.rows.iter().map(|r| r.entry.seq).collect()
}

#[test]
fn filters_narrow_the_page() {
    let f = Fixture::new();
    let j = seven(&f);
    let page = |f: JournalFilter| j.page(&f);
    let all = page(JournalFilter::default());
    assert_eq!((all.total, all.matching, all.rows.len()), (7, 7, 7));
    assert_eq!(all.environments, ["Sales 2", "Sales 4", "Sales 6"]);
    assert_eq!(
        all.roles,
        ["Power Platform Administrator", "System Administrator"]
    );
    assert_eq!(
        seqs(page(JournalFilter {
            action: Some(JournalAction::SelfElevate),
            ..Default::default()
        })),
        [6, 4, 2]
    );
    assert_eq!(
        seqs(page(JournalFilter {
            outcome: Some(JournalOutcome::Failed),
            ..Default::default()
        })),
        [7]
    );
    assert_eq!(
        seqs(page(JournalFilter {
            environment: Some("sales 2".into()),
            ..Default::default()
        })),
        [7, 2],
        "target or parameter"
    );
    assert_eq!(
        seqs(page(JournalFilter {
            role: Some("Power Platform Administrator".into()),
            ..Default::default()
        })),
        [5, 3, 1]
    );
}

#[test]
fn text_limit_and_time_narrow_the_page() {
    let f = Fixture::new();
    let j = seven(&f);
    let page = |f: JournalFilter| j.page(&f);
    let all = page(JournalFilter::default());
    assert_eq!(
        seqs(page(JournalFilter {
            text: Some("inc0003".into()),
            ..Default::default()
        })),
        [3]
    );
    assert_eq!(
        seqs(page(JournalFilter {
            text: Some("CANCELLED".into()),
            ..Default::default()
        })),
        [7]
    );
    assert_eq!(
        seqs(page(JournalFilter {
            text: Some("sign in".into()),
            ..Default::default()
        })),
        [7],
        "by the words the page shows"
    );
    let limited = page(JournalFilter {
        limit: Some(2),
        ..Default::default()
    });
    assert_eq!((seqs(limited.clone()), limited.matching), (vec![7, 6], 7));
    let t3 = all
        .rows
        .iter()
        .find(|r| r.entry.seq == 3)
        .unwrap()
        .entry
        .time;
    let from = page(JournalFilter {
        from: Some(t3),
        ..Default::default()
    });
    assert!(
        from.rows.iter().all(|r| r.entry.time >= t3) && from.rows.iter().any(|r| r.entry.seq == 3)
    );
    assert!(page(JournalFilter {
        to: Some(t3),
        ..Default::default()
    })
    .rows
    .iter()
    .all(|r| r.entry.time < t3));
}
