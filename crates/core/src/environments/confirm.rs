//! After applyAdminRole's 200: what the body says, and whether the change is really there.
//! The 200 carries `errors` and `information` (items `{Subject, Description, Code}`,
//! `Description` a JSON-encoded string array, contract §3.1) and Microsoft answers success
//! even when nothing changed, so Elevate reads the environment's System Administrators (as
//! Membership does) until the user is among them, for a bounded time.

use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::Value;

use super::Environments;
use crate::api::Environment;
use crate::clients::dataverse::Dataverse;
use crate::clients::http::Answer;

/// The longest wait between two reads while confirming.
const CONFIRM_MAX_WAIT: Duration = Duration::from_secs(8);
/// Words from a reported error shown to the admin; the journal keeps the rest in `detail`.
const SHOWN_CHARS: usize = 400;

/// What the 200 said.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Said {
    /// Each `errors` item in words, last step first (that is where it stopped).
    pub errors: Vec<String>,
    /// `Code`s of `errors`, then of `information` (`UserExists`).
    pub codes: Vec<String>,
}

#[derive(Deserialize, Default)]
struct Body {
    #[serde(default)]
    errors: Vec<Value>,
    #[serde(default)]
    information: Vec<Value>,
}

/// The REST reference documents the 200 without a schema: an empty or other body says nothing.
pub(crate) fn read(answer: &Answer) -> Said {
    let body: Body = serde_json::from_slice(&answer.body).unwrap_or_default();
    let mut said = Said::default();
    for e in &body.errors {
        said.errors.push(words(e));
        said.codes.extend(field(e, "code"));
    }
    said.codes
        .extend(body.information.iter().filter_map(|i| field(i, "code")));
    said
}

impl Said {
    /// The reported problem, short enough for a message line.
    pub fn shown(&self) -> String {
        let all = self.errors.join(" ");
        if all.chars().count() <= SHOWN_CHARS {
            return all;
        }
        let cut: String = all.chars().take(SHOWN_CHARS).collect();
        format!("{cut}…")
    }

    pub fn detail(&self) -> String {
        let codes = if self.codes.is_empty() {
            "no Code".to_string()
        } else {
            format!("Code {}", self.codes.join(", "))
        };
        if self.errors.is_empty() {
            format!("Answered 200 ({codes}).")
        } else {
            format!(
                "Answered 200 with errors ({codes}): {}",
                self.errors.join(" | ")
            )
        }
    }
}

/// A key in either casing: the documented items are PascalCase, the rest of the API is not.
fn field(v: &Value, name: &str) -> Option<String> {
    let obj = v.as_object()?;
    obj.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.as_str())
        .filter(|s| !s.trim().is_empty())
        .map(str::to_string)
}

/// An item in words: the last step of its `Description` (where the service stopped), else
/// the description, else its code, else the item as sent.
fn words(v: &Value) -> String {
    if let Some(s) = v.as_str() {
        return s.to_string();
    }
    match field(v, "description").or_else(|| field(v, "message")) {
        Some(d) => match serde_json::from_str::<Vec<String>>(&d) {
            Ok(steps) => steps.last().cloned().unwrap_or(d),
            Err(_) => d,
        },
        None => field(v, "code").unwrap_or_else(|| v.to_string()),
    }
}

/// What the reads found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Seen {
    Admin { after: Duration },
    NotYet { looked: Duration },
}

impl Environments {
    /// Reads the caller's System Administrator role in `env` until it is there or
    /// `confirm_timeout` has passed; `waiting` is called before each wait.
    pub(crate) async fn confirm_admin(
        &self,
        env: &Environment,
        oid: &str,
        waiting: &(dyn Fn() + Send + Sync),
    ) -> Seen {
        let started = Instant::now();
        let deadline = started + self.ctx.timing().confirm_timeout;
        let mut wait = self.ctx.timing().confirm_every;
        loop {
            if self.is_admin_now(env, oid).await {
                return Seen::Admin {
                    after: started.elapsed(),
                };
            }
            if Instant::now() + wait > deadline {
                return Seen::NotYet {
                    looked: started.elapsed(),
                };
            }
            waiting();
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(CONFIRM_MAX_WAIT);
        }
    }

    /// Any failure to read counts as "not yet": the next read may succeed, and the outcome
    /// reported at the end says only that it was not seen.
    async fn is_admin_now(&self, env: &Environment, oid: &str) -> bool {
        let Some(url) = env.url.as_deref() else {
            return false;
        };
        let Ok(token) = self.dataverse_token(url).await else {
            return false;
        };
        match Dataverse::new(&self.ctx.http, url, &token).me(oid).await {
            Ok(me) => me.is_some_and(|u| u.is_system_administrator()),
            Err(e) => {
                tracing::debug!(error = %e, "confirming System Administrator: not readable yet");
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(body: &str) -> Answer {
        Answer {
            status: 200,
            body: body.as_bytes().to_vec(),
            correlation_id: None,
            headers: Default::default(),
        }
    }

    #[test]
    fn the_200_is_read_in_every_shape_seen_or_assumed() {
        let ok = read(&answer(
            r#"{"errors":[],"information":[{"Subject":"Result","Description":"[\"SyncMode: Default\"]","Code":"UserExists"}]}"#,
        ));
        assert!(ok.errors.is_empty());
        assert_eq!(ok.codes, ["UserExists"]);
        let bad = read(&answer(
            r#"{"errors":[{"Subject":"Result","Description":"[\"User found in AD tenant\",\"User is not licensed\"]","Code":"UserNotLicensed"}, "plain words", {"code":"X","message":"camel"}],"information":[]}"#,
        ));
        assert_eq!(bad.errors, ["User is not licensed", "plain words", "camel"]);
        assert_eq!(bad.codes, ["UserNotLicensed", "X"]);
        assert!(bad.detail().contains("UserNotLicensed"));
        assert_eq!(read(&answer("")), Said::default());
        assert_eq!(read(&answer("\"Success\"")), Said::default());
    }
}
