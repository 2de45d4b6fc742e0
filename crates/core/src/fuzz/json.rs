//! Structure-aware JSON: a real shape with a few of its nodes replaced by a value of the
//! wrong kind, a key dropped, deep nesting, and the text cut at any point.

use proptest::prelude::*;
use serde_json::Value;

/// What replaces a node.
#[derive(Debug, Clone)]
pub(crate) enum Weird {
    Null,
    Bool(bool),
    Int(i64),
    Huge,
    Float(f64),
    Text(String),
    EmptyArray,
    EmptyObject,
    /// An array nested this deep (past serde_json's recursion limit of 128 from 130 on).
    Deep(usize),
    /// The node taken out of its object or array.
    Drop,
    /// The node wrapped in an array (a list where one value belongs).
    Wrap,
}

fn weird() -> impl Strategy<Value = Weird> {
    prop_oneof![
        Just(Weird::Null),
        any::<bool>().prop_map(Weird::Bool),
        prop_oneof![
            Just(i64::MIN),
            Just(i64::MAX),
            Just(-1i64),
            Just(0),
            any::<i64>()
        ]
        .prop_map(Weird::Int),
        Just(Weird::Huge),
        prop_oneof![
            Just(1e308),
            Just(-0.0),
            Just(f64::MIN_POSITIVE),
            any::<f64>()
        ]
        .prop_map(Weird::Float),
        prop_oneof![
            super::text(),
            Just(String::new()),
            Just("9999-12-31T23:59:59Z".to_string()),
            Just("+262142-01-01T00:00:00Z".to_string()),
            Just("+262143-12-31T23:59:59Z".to_string()),
            Just("-262143-01-01T00:00:00Z".to_string()),
            Just("P99999999999999D".to_string()),
            Just("PT-1H".to_string()),
            Just("x".repeat(5000)),
        ]
        .prop_map(Weird::Text),
        // The ends of what a date field can hold: arithmetic on them overflows.
        prop::sample::select(vec![
            "+262142-12-31T23:59:59.999Z",
            "-262143-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "0000-01-01T00:00:00Z",
            "1970-01-01T00:00:00+14:00",
        ])
        .prop_map(|d| Weird::Text(d.to_string())),
        Just(Weird::EmptyArray),
        Just(Weird::EmptyObject),
        (1usize..200).prop_map(Weird::Deep),
        Just(Weird::Drop),
        Just(Weird::Wrap),
    ]
}

fn nodes(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(nodes).sum(),
        Value::Object(o) => o.values().map(nodes).sum(),
        _ => 0,
    }
}

/// Applies `w` to the `n`-th node (pre-order, 0 = the root).
fn apply(v: &mut Value, mut n: usize, w: &Weird) {
    fn walk(v: &mut Value, n: &mut usize, w: &Weird) -> bool {
        let count = match v {
            Value::Array(a) => a.len(),
            Value::Object(o) => o.len(),
            _ => 0,
        };
        for i in 0..count {
            let child_nodes = match v {
                Value::Array(a) => nodes(&a[i]),
                Value::Object(o) => nodes(o.values().nth(i).expect("in range")),
                _ => 0,
            };
            if *n == 0 {
                if matches!(w, Weird::Drop) {
                    match v {
                        Value::Array(a) => {
                            a.remove(i);
                        }
                        Value::Object(o) => {
                            let key = o.keys().nth(i).expect("in range").clone();
                            o.remove(&key);
                        }
                        _ => {}
                    }
                    return true;
                }
                let child = match v {
                    Value::Array(a) => &mut a[i],
                    Value::Object(o) => o.values_mut().nth(i).expect("in range"),
                    _ => unreachable!(),
                };
                replace(child, w);
                return true;
            }
            if *n < child_nodes {
                *n -= 1;
                let child = match v {
                    Value::Array(a) => &mut a[i],
                    Value::Object(o) => o.values_mut().nth(i).expect("in range"),
                    _ => unreachable!(),
                };
                return walk(child, n, w);
            }
            *n -= child_nodes;
        }
        false
    }
    if n == 0 {
        replace(v, w);
        return;
    }
    n -= 1;
    walk(v, &mut n, w);
}

fn replace(v: &mut Value, w: &Weird) {
    *v = match w {
        Weird::Null | Weird::Drop => Value::Null,
        Weird::Bool(b) => Value::Bool(*b),
        Weird::Int(i) => Value::from(*i),
        Weird::Huge => Value::from(u64::MAX),
        Weird::Float(f) => Value::from(*f),
        Weird::Text(s) => Value::String(s.clone()),
        Weird::EmptyArray => Value::Array(vec![]),
        Weird::EmptyObject => Value::Object(Default::default()),
        Weird::Deep(d) => {
            let mut x = std::mem::take(v);
            for _ in 0..*d {
                x = Value::Array(vec![x]);
            }
            x
        }
        Weird::Wrap => Value::Array(vec![std::mem::take(v)]),
    };
}

/// Up to four changes for `apply_all`.
pub(crate) fn changes() -> impl Strategy<Value = Vec<(usize, Weird)>> {
    proptest::collection::vec((any::<usize>(), weird()), 0..4)
}

/// Makes `changes` to `v`, each at a node picked by its number.
pub(crate) fn apply_all(v: &mut Value, changes: &[(usize, Weird)]) {
    for (at, w) in changes {
        let n = at % nodes(v);
        apply(v, n, w);
    }
}

/// One of `shapes`, with up to four nodes changed, as JSON text cut at any point (or not).
pub(crate) fn mutated(shapes: Vec<Value>) -> impl Strategy<Value = Vec<u8>> {
    let count = shapes.len();
    (
        0..count,
        changes(),
        prop_oneof![3 => Just(None), 1 => any::<usize>().prop_map(Some)],
    )
        .prop_map(move |(i, changes, cut)| {
            let mut v = shapes[i].clone();
            apply_all(&mut v, &changes);
            let mut text = v.to_string().into_bytes();
            if let Some(c) = cut {
                text.truncate(c % (text.len() + 1));
            }
            text
        })
}

#[test]
fn mutations_reach_every_node() {
    let shape = serde_json::json!({"value": [{"id": "a", "n": 1}], "next": "x"});
    let total = nodes(&shape);
    assert_eq!(total, 6);
    for n in 0..total {
        let mut v = shape.clone();
        apply(&mut v, n, &Weird::Int(7));
        assert_ne!(v, shape, "node {n}");
        let mut d = shape.clone();
        apply(&mut d, n, &Weird::Drop);
        assert_ne!(d, shape, "node {n}");
    }
}
