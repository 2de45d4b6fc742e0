//! Property tests over every parser fed by the network or a file (issue #17, point 17):
//! arbitrary bytes and strings, and structure-aware inputs (the real JSON shapes with fields
//! of the wrong type, nulls, huge numbers, deep nesting, odd unicode, cut anywhere), so the
//! cases get past the first `serde` error. For every case: no panic, no hang, and a failure
//! is a typed error in plain words. Each property runs `PROPTEST_CASES` cases (256 unless
//! set; `cargo xtask fuzz` sets many more) and adds them to the `fuzz.cases` figure.

use std::sync::Arc;
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::Value;

mod cache;
pub(crate) mod json;
mod roles;
pub(crate) mod server;
mod settings;

/// Longer than any one case may take in a loaded debug build; a case that runs this long
/// is hung (a loop that does not end), not slow.
const HUNG_AFTER: Duration = Duration::from_secs(20);

pub(crate) type Outcome = Result<(), TestCaseError>;

/// Runs `test` over `strategy`'s cases; panics with the smallest failing input. Each case
/// runs on its own thread so a hang is reported as one instead of stalling the suite.
pub(crate) fn check<S>(
    name: &str,
    strategy: S,
    test: impl Fn(S::Value) -> Outcome + Send + Sync + 'static,
) where
    S: Strategy,
    S::Value: Send + 'static,
{
    // `Config::default()` reads PROPTEST_CASES; nothing is written next to the sources.
    let config = Config {
        failure_persistence: None,
        // A failure is reported within a minute of being found, shrunk as far as it got:
        // a hang found would otherwise cost `HUNG_AFTER` for every shrinking step.
        max_shrink_time: 60_000,
        ..Config::default()
    };
    let cases = config.cases;
    let test = Arc::new(test);
    let mut runner = TestRunner::new(config);
    let result = runner.run(&strategy, move |value| {
        let test = test.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let worker = std::thread::spawn(move || {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| test(value)));
            let _ = tx.send(());
            outcome
        });
        match rx.recv_timeout(HUNG_AFTER) {
            Ok(()) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                match worker
                    .join()
                    .expect("the case's thread reports its own panic")
                {
                    Ok(outcome) => outcome,
                    Err(panic) => Err(TestCaseError::fail(format!(
                        "panicked: {}",
                        panic_text(&panic)
                    ))),
                }
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(TestCaseError::fail(format!(
                "no result after {HUNG_AFTER:?}: hung"
            ))),
        }
    });
    if let Err(e) = result {
        panic!("fuzz property `{name}` failed: {e}");
    }
    elevate_testkit::figures::add("fuzz.cases", u64::from(cases));
}

fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "(no message)".into())
}

/// A message a person reads: present, in words, and no Rust debug output.
pub(crate) fn plain(what: &str, msg: &str) -> Outcome {
    let m = msg.trim();
    prop_assert!(!m.is_empty(), "{what}: empty message");
    prop_assert!(m.contains(' '), "{what}: not words: {m:?}");
    for dump in [
        "Some(",
        "None)",
        "Err(",
        "Ok(",
        "Error {",
        "Error(",
        "ServiceError",
        "TestCaseError",
        "serde",
        "panicked",
        "kind:",
        "\\\"",
        "\\u{",
    ] {
        prop_assert!(!m.contains(dump), "{what}: debug output ({dump}) in {m:?}");
    }
    Ok(())
}

/// What is in a folder, file by file: a reader must leave it as it was.
pub(crate) fn snapshot(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    for e in walk(dir) {
        let bytes = std::fs::read(&e).unwrap_or_default();
        out.insert(e.strip_prefix(dir).unwrap().display().to_string(), bytes);
    }
    out
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            out.extend(walk(&e.path()));
        }
    }
    out
}

/// Any bytes, weighted towards what parsers stumble on: short, empty, byte order marks.
pub(crate) fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => proptest::collection::vec(any::<u8>(), 0..512),
        1 => Just(Vec::new()),
        1 => (
            prop_oneof![
                Just(b"\xEF\xBB\xBF".to_vec()),
                Just(b"\xFF\xFE".to_vec()),
                Just(b"\xFE\xFF".to_vec())
            ],
            proptest::collection::vec(any::<u8>(), 0..256)
        )
            .prop_map(|(mut bom, rest)| {
                bom.extend(rest);
                bom
            }),
    ]
}

/// Any text, weighted towards odd unicode and control characters.
pub(crate) fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        2 => "[ -~]{0,80}",
        1 => "[\\x00-\\x1f\u{80}-\u{10ffff}\u{feff}\u{fffd}\u{202e}]{0,20}",
    ]
}

/// Arbitrary JSON: every kind of value, nested.
pub(crate) fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(text(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Bytes that are the real `shapes`, mutated (`json::mutated`), or anything at all.
pub(crate) fn body_of(shapes: Vec<Value>) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        6 => json::mutated(shapes),
        1 => bytes(),
        1 => any_json().prop_map(|v| v.to_string().into_bytes()),
    ]
}

#[test]
fn the_checker_catches_a_panic_and_names_it() {
    let caught = std::panic::catch_unwind(|| {
        check("panics", any::<u8>(), |b| {
            assert!(b < 200, "too big");
            Ok(())
        })
    });
    let text = panic_text(&caught.unwrap_err());
    assert!(
        text.contains("panicked") && text.contains("too big"),
        "{text}"
    );
    assert!(plain("x", "Some(\"x\")").is_err());
    assert!(plain("x", "").is_err());
    assert!(plain("x", "Elevate could not read that file.").is_ok());
}
