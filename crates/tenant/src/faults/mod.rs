//! Fault injection: rules that slow, throttle, break or cut the emulator's answers so clients
//! can be tested against a misbehaving Microsoft. Set in the scenario's `faults` section or at
//! run time through `/_emulator/faults`. Deterministic: each rule has its own seeded RNG and
//! counter, so the same seed and the same request sequence give the same faults.

mod layer;

use std::time::Duration;

use anyhow::bail;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::secrets::lock;

pub use layer::{envelope, layer};

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultConfig {
    /// Rule `i` without its own seed uses `seed + i`.
    #[serde(default)]
    pub seed: u64,
    #[serde(default)]
    pub rules: Vec<FaultRule>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultRule {
    #[serde(default)]
    pub name: Option<String>,
    /// `GET`, `POST`, …; any method when absent.
    #[serde(default)]
    pub method: Option<String>,
    /// A path prefix (`/dataverse/`) or a glob (`/dataverse/*/api/data/v9.2/systemusers**`):
    /// `*` stays within a segment, `**` crosses segments. The query string is not matched.
    pub path: String,
    /// Fire on every Nth matching request (1 = each).
    #[serde(default)]
    pub every: Option<u64>,
    /// Fire with this probability (seeded).
    #[serde(default)]
    pub probability: Option<f64>,
    #[serde(default)]
    pub seed: Option<u64>,
    /// Stop after firing this many times.
    #[serde(default)]
    pub max_hits: Option<u64>,
    pub fault: Fault,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
pub enum Fault {
    /// Waits `ms` plus up to `jitterMs` before the request reaches the service.
    Latency {
        ms: u64,
        #[serde(default)]
        jitter_ms: u64,
    },
    /// Answers 429 (or `status`) with `Retry-After`, in the service's error envelope.
    Throttle {
        #[serde(default = "one")]
        retry_after_seconds: u64,
        #[serde(default = "too_many")]
        status: u16,
        /// Sends no `Retry-After` at all, as some gateways do.
        #[serde(default)]
        without_retry_after: bool,
    },
    /// Answers `status` (default 503) in the service's error envelope.
    Error {
        #[serde(default = "unavailable")]
        status: u16,
        #[serde(default)]
        message: Option<String>,
    },
    /// A web page answers instead of the service (a captive portal or a proxy's block page):
    /// `status` (default 200), `text/html`. The service does not run.
    Html {
        #[serde(default = "ok")]
        status: u16,
    },
    /// The service runs; its body is cut after `afterBytes` and the connection aborted.
    Drop {
        #[serde(default)]
        after_bytes: usize,
    },
    /// The service runs and its change stands, but its answer is lost on the way back: a
    /// gateway in front answers `status` (default 504) in its place. What a client sees when
    /// Microsoft's front door times out on a request the service did carry out.
    LostAnswer {
        #[serde(default = "gateway_timeout")]
        status: u16,
    },
    /// The service runs; its JSON body is cut in half (status and headers kept).
    MalformedJson,
    /// The service runs; its body arrives in `chunkBytes` pieces, `delayMs` apart.
    SlowBody {
        #[serde(default = "chunk")]
        chunk_bytes: usize,
        #[serde(default = "hundred")]
        delay_ms: u64,
    },
}

fn one() -> u64 {
    1
}
fn ok() -> u16 {
    200
}
fn too_many() -> u16 {
    429
}
fn unavailable() -> u16 {
    503
}
fn gateway_timeout() -> u16 {
    504
}
fn chunk() -> usize {
    16
}
fn hundred() -> u64 {
    100
}

impl FaultConfig {
    pub fn validate(&self) -> anyhow::Result<()> {
        for (i, r) in self.rules.iter().enumerate() {
            let what = format!("faults.rules[{i}]");
            if !r.path.starts_with('/') {
                bail!("{what}: path must start with '/'");
            }
            if r.every == Some(0) {
                bail!("{what}: every must be at least 1");
            }
            if r.probability.is_some_and(|p| !(0.0..=1.0).contains(&p)) {
                bail!("{what}: probability must be between 0 and 1");
            }
            match &r.fault {
                Fault::Latency { ms, jitter_ms } if ms.saturating_add(*jitter_ms) > 600_000 => {
                    bail!("{what}: latency above 10 minutes")
                }
                Fault::Throttle { status, .. }
                | Fault::Error { status, .. }
                | Fault::Html { status }
                | Fault::LostAnswer { status }
                    if !(100..=599).contains(status) =>
                {
                    bail!("{what}: status {status} is not an HTTP status")
                }
                Fault::SlowBody { chunk_bytes: 0, .. } => {
                    bail!("{what}: chunkBytes must be at least 1")
                }
                Fault::SlowBody { delay_ms, .. } if *delay_ms > 60_000 => {
                    bail!("{what}: delayMs above a minute")
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// What the layer does to one request.
#[derive(Debug, Default)]
pub struct Decision {
    pub delay: Duration,
    /// The first firing rule that is not pure latency.
    pub action: Option<Fault>,
}

struct RuleState {
    matched: u64,
    fired: u64,
    rng: StdRng,
}

struct Active {
    config: FaultConfig,
    rules: Vec<RuleState>,
}

pub struct FaultState {
    active: std::sync::Mutex<Active>,
}

impl FaultState {
    pub fn new(config: FaultConfig) -> FaultState {
        FaultState {
            active: std::sync::Mutex::new(Active::from(config)),
        }
    }

    /// Installs a new rule set with fresh counters and RNGs.
    pub fn replace(&self, config: FaultConfig) {
        *lock(&self.active) = Active::from(config);
    }

    pub fn snapshot(&self) -> Value {
        let a = lock(&self.active);
        let stats: Vec<Value> = a
            .config
            .rules
            .iter()
            .zip(&a.rules)
            .map(|(r, s)| json!({"name": r.name, "path": r.path, "matched": s.matched, "fired": s.fired}))
            .collect();
        json!({"seed": a.config.seed, "rules": a.config.rules, "stats": stats})
    }

    pub fn decide(&self, method: &str, path: &str) -> Decision {
        let mut a = lock(&self.active);
        let Active { config, rules } = &mut *a;
        let mut d = Decision::default();
        for (rule, st) in config.rules.iter().zip(rules.iter_mut()) {
            let method_ok = rule
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method));
            if !method_ok || !path_matches(&rule.path, path) {
                continue;
            }
            st.matched += 1;
            let by_count = rule.every.is_none_or(|n| st.matched % n.max(1) == 0);
            let by_chance = rule.probability.is_none_or(|p| st.rng.gen::<f64>() < p);
            let under_cap = rule.max_hits.is_none_or(|m| st.fired < m);
            if !(by_count && by_chance && under_cap) {
                continue;
            }
            match &rule.fault {
                Fault::Latency { ms, jitter_ms } => {
                    let jitter = if *jitter_ms > 0 {
                        st.rng.gen_range(0..=*jitter_ms)
                    } else {
                        0
                    };
                    d.delay += Duration::from_millis(ms.saturating_add(jitter));
                    st.fired += 1;
                }
                other if d.action.is_none() => {
                    d.action = Some(other.clone());
                    st.fired += 1;
                }
                _ => {}
            }
        }
        d
    }
}

impl From<FaultConfig> for Active {
    fn from(config: FaultConfig) -> Active {
        let rules = config
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| RuleState {
                matched: 0,
                fired: 0,
                rng: StdRng::seed_from_u64(r.seed.unwrap_or(config.seed.wrapping_add(i as u64))),
            })
            .collect();
        Active { config, rules }
    }
}

/// A pattern without `*` is a prefix; otherwise a glob over the whole path (ASCII case-insensitive).
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let (p, s) = (pattern.to_ascii_lowercase(), path.to_ascii_lowercase());
    if !p.contains('*') {
        return s.starts_with(&p);
    }
    glob(p.as_bytes(), s.as_bytes())
}

fn glob(p: &[u8], s: &[u8]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some(b'*') if p.get(1) == Some(&b'*') => (0..=s.len()).any(|i| glob(&p[2..], &s[i..])),
        Some(b'*') => {
            let seg = s.iter().position(|c| *c == b'/').unwrap_or(s.len());
            (0..=seg).any(|i| glob(&p[1..], &s[i..]))
        }
        Some(c) => s.first() == Some(c) && glob(&p[1..], &s[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_and_prefixes() {
        assert!(path_matches(
            "/dataverse/",
            "/dataverse/org1/api/data/v9.2/WhoAmI"
        ));
        assert!(path_matches(
            "/dataverse/*/api/data/v9.2/whoami",
            "/dataverse/org1/api/data/v9.2/WhoAmI"
        ));
        assert!(!path_matches(
            "/dataverse/*/whoami",
            "/dataverse/org1/api/data/v9.2/WhoAmI"
        ));
        assert!(path_matches(
            "/dataverse/**/whoami*",
            "/dataverse/org1/api/data/v9.2/WhoAmI()"
        ));
        assert!(!path_matches("/bap/", "/powerplatform/x"));
    }
}
