//! Add me: `applyAdminRole` for one or many environments. A fresh preflight stands in (so a
//! warm elevation is one applyAdminRole request); a blocked environment is not sent unless
//! the admin confirmed "Try anyway". A 200 is read and then confirmed in the environment's
//! Dataverse before it is called success (`confirm`). Every attempt is journaled.

use futures::StreamExt;

use super::confirm::{self, Seen};
use super::version::Sent;
use super::Environments;
use super::{checked_ids, refusal, PpSession};
use crate::api::{
    AddMeInput, ApiError, Elevation, ElevationProgress, ElevationResult, Environment, ErrorCode,
    JournalAction, JournalOutcome, JournalParams, JournalResult, JournalTarget, JournalTargetKind,
    Preflight, Verdict,
};
use crate::clients::http::Answer;
use crate::journal::Entry;

/// Environments elevated at the same time.
const AT_ONCE: usize = 4;

pub type ElevationSink<'a> = &'a (dyn Fn(ElevationProgress) + Send + Sync);
/// Told the environment's state while Elevate waits on it (the count done is unchanged).
type Waiting<'a> = &'a (dyn Fn(&Elevation) + Send + Sync);

impl Environments {
    pub async fn add_me(
        &self,
        input: AddMeInput,
        progress: ElevationSink<'_>,
    ) -> Result<Vec<Elevation>, ApiError> {
        let run = self.begin_privileged().await?;
        crate::privileged::ACTING_AS
            .scope(run.account.clone(), self.add_me_as(&run, input, progress))
            .await
    }

    async fn add_me_as(
        &self,
        run: &crate::privileged::Running<'_>,
        input: AddMeInput,
        progress: ElevationSink<'_>,
    ) -> Result<Vec<Elevation>, ApiError> {
        let ids = checked_ids(&input.environment_ids)?;
        let missing: Vec<String> = ids
            .iter()
            .filter(|id| self.envs.fresh(id).is_none())
            .cloned()
            .collect();
        if !missing.is_empty() {
            self.preflight(&missing).await?;
        }
        let s = self.pp_session(false).await?;
        let total = ids.len() as u32;
        let done = std::sync::atomic::AtomicU32::new(0);
        let (s, done) = (&s, &done);
        let try_anyway = input.try_anyway;
        let jobs: Vec<_> = ids
            .iter()
            .cloned()
            .map(|id| async move {
                let waiting = |latest: &Elevation| {
                    progress(ElevationProgress {
                        done: done.load(std::sync::atomic::Ordering::SeqCst),
                        total,
                        latest: latest.clone(),
                    })
                };
                let e = match self.envs.fresh(&id) {
                    // Signed out, or someone else signed in: nothing more is sent.
                    _ if run.stopped(&self.ctx.broker).is_some() => not_sent(&id),
                    Some((p, env)) => self.elevate_one(s, &p, &env, try_anyway, &waiting).await,
                    // Only an environment that vanished has no preflight kept.
                    None => not_found(&id),
                };
                let n = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                progress(ElevationProgress {
                    done: n,
                    total,
                    latest: e.clone(),
                });
                e
            })
            .collect();
        let out: Vec<Elevation> = futures::stream::iter(jobs)
            .buffered(AT_ONCE)
            .collect()
            .await;
        Ok(out)
    }

    async fn elevate_one(
        &self,
        s: &PpSession,
        p: &Preflight,
        env: &Environment,
        try_anyway: bool,
        waiting: Waiting<'_>,
    ) -> Elevation {
        let name = &env.display_name;
        let mut e = Elevation {
            environment_id: env.id.clone(),
            environment_name: name.clone(),
            result: ElevationResult::Skipped,
            message: String::new(),
            correlation_id: None,
            ends_at: p.ends_at,
            error: None,
        };
        match p.verdict {
            Verdict::AlreadyAdmin => {
                e.result = ElevationResult::AlreadyAdmin;
                e.message = format!("You already are System Administrator in {name}. Nothing was sent: Microsoft would answer success and change nothing.");
                e.ends_at = None;
                self.journal_elevation(
                    &e,
                    JournalResult {
                        outcome: JournalOutcome::AlreadyDone,
                        code: None,
                        message: Some(e.message.clone()),
                        detail: None,
                    },
                )
                .await;
                return e;
            }
            Verdict::Blocked | Verdict::NeedsActivation if !try_anyway => {
                let why = p
                    .checks
                    .iter()
                    .find(|c| c.status == crate::api::CheckStatus::Fail)
                    .map(|c| c.title.clone())
                    .unwrap_or_else(|| "the preflight found a problem".into());
                e.message = format!("Not sent: {why}. Fix it, or confirm \"Try anyway\".");
                return e;
            }
            _ => {}
        }
        let (answer, sent) = self.send_apply(s, &env.id).await;
        self.envs.forget(&env.id);
        match answer {
            Ok(a) => self.accepted(s, p, env, e, a, sent, waiting).await,
            Err(err) => {
                let cx = refusal::Context::of(self.ctx.broker.target().as_ref());
                let api = refusal::explain(&err, name, &cx);
                let mut failed = JournalResult::failed(&api);
                failed.detail = Some(with_version(failed.detail, &sent));
                self.refused(e, api, failed).await
            }
        }
    }

    /// A 200: what it says, then whether the role is really there.
    #[allow(clippy::too_many_arguments)]
    async fn accepted(
        &self,
        s: &PpSession,
        p: &Preflight,
        env: &Environment,
        mut e: Elevation,
        answer: Answer,
        sent: Sent,
        waiting: Waiting<'_>,
    ) -> Elevation {
        let name = &env.display_name;
        let corr = answer.correlation_id.clone();
        e.correlation_id = corr.clone();
        let said = confirm::read(&answer);
        let detail = |seen: &str| {
            format!("{seen} {} {}", said.detail(), sent.describe())
                .trim()
                .to_string()
        };
        if !said.errors.is_empty() {
            let api = ApiError::new(
                ErrorCode::Service,
                format!("Microsoft answered, but reported a problem in {name}: {} You are not System Administrator there. Try again in a few minutes; if it happens again, give Microsoft support the correlation id.", sentence(&said.shown())),
            )
            .with_detail(detail(""))
            .with_correlation_id(corr);
            let journal = JournalResult::failed(&api);
            return self.refused(e, api, journal).await;
        }
        let mut checking = e.clone();
        checking.message = format!(
            "Microsoft accepted the request. Checking that you are System Administrator in {name}…"
        );
        match self
            .confirm_admin(env, &s.oid, &|| waiting(&checking))
            .await
        {
            Seen::Admin { after } => {
                e.result = ElevationResult::Elevated;
                e.message = match (&p.relied_role, p.ends_at) {
                    (Some(role), Some(_)) => format!("You are System Administrator in {name}. Microsoft removes it when your {role} activation ends."),
                    (Some(role), None) => format!("You are System Administrator in {name}. It stays: your {role} role is permanent."),
                    (None, _) => format!("You are System Administrator in {name}."),
                };
                let mut done = JournalResult::succeeded();
                done.detail = Some(detail(&format!(
                    "Confirmed in the environment's Dataverse after {} s.",
                    after.as_secs()
                )));
                self.journal_elevation(&e, done).await;
                e
            }
            Seen::NotYet { looked } => {
                let quote = match &corr {
                    Some(c) => format!("the correlation id {c}"),
                    None => "the time you selected Add me".to_string(),
                };
                let api = ApiError::new(
                    ErrorCode::Service,
                    format!("Microsoft accepted the request, but you are not System Administrator in {name} yet (Elevate looked for {} seconds). Microsoft may still be adding you: check Membership in a few minutes, or select Add me again. If nothing changes, give Microsoft support {quote}.", looked.as_secs().max(1)),
                )
                .with_detail(detail("Not seen in the environment's Dataverse."))
                .with_correlation_id(corr);
                let journal = JournalResult {
                    outcome: JournalOutcome::Pending,
                    ..JournalResult::failed(&api)
                };
                let mut e = self.refused(e, api, journal).await;
                e.result = ElevationResult::Unconfirmed;
                e
            }
        }
    }

    async fn refused(&self, mut e: Elevation, api: ApiError, journal: JournalResult) -> Elevation {
        e.result = ElevationResult::Refused;
        e.correlation_id = api.correlation_id.clone();
        e.message = api.message.clone();
        e.ends_at = None;
        self.journal_elevation(&e, journal).await;
        e.error = Some(api);
        e
    }

    async fn journal_elevation(&self, e: &Elevation, result: JournalResult) {
        let target = JournalTarget {
            kind: JournalTargetKind::Environment,
            id: e.environment_id.clone(),
            name: e.environment_name.clone(),
        };
        let params = JournalParams {
            role_name: Some("System Administrator".into()),
            ..Default::default()
        };
        self.ctx
            .journal
            .write(
                Entry::new(JournalAction::SelfElevate, target, result)
                    .params(params)
                    .correlation_id(e.correlation_id.clone())
                    .expires_at(e.ends_at),
            )
            .await;
    }
}

fn with_version(detail: Option<String>, sent: &Sent) -> String {
    match detail {
        Some(d) => format!("{d} {}", sent.describe()),
        None => sent.describe(),
    }
}

/// Service text ends a sentence of Elevate's own.
fn sentence(s: &str) -> String {
    let s = s.trim();
    if s.ends_with(['.', '!', '?', '…']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

fn not_sent(id: &str) -> Elevation {
    Elevation {
        message: "Not sent: you signed out, or signed in as someone else, before Elevate got to this environment.".into(),
        ..not_found(id)
    }
}

fn not_found(id: &str) -> Elevation {
    Elevation {
        environment_id: id.to_string(),
        environment_name: id.to_string(),
        result: ElevationResult::Skipped,
        message:
            "Not sent: this environment does not exist (any more). Refresh the Environments list."
                .into(),
        correlation_id: None,
        ends_at: None,
        error: None,
    }
}
