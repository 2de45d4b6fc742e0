//! Clean-up: the dry run, then removal, resume and rollback, each row reported as a
//! `cleanup-progress` event.

use super::Result;
use crate::api::events;
use crate::api::host::{Context, Host};
use crate::api::requests as rq;
use crate::api::{CleanupPlan, CleanupProgress, CleanupRun, CleanupRunSummary};

pub async fn plan_cleanup(cx: &Context<'_>, rq: rq::plan_cleanup::Request) -> Result<CleanupPlan> {
    cx.elevate.plan_cleanup(rq.input).await
}

fn to_ui(host: &dyn Host) -> impl Fn(CleanupProgress) + Send + Sync + '_ {
    move |p| events::cleanup_progress(host, &p)
}

pub async fn run_cleanup(cx: &Context<'_>, rq: rq::run_cleanup::Request) -> Result<CleanupRun> {
    cx.elevate
        .run_cleanup(&rq.plan_id, rq.confirm_count, &to_ui(cx.host))
        .await
}

pub async fn cleanup_runs(
    cx: &Context<'_>,
    _: rq::cleanup_runs::Request,
) -> Result<Vec<CleanupRunSummary>> {
    Ok(cx.elevate.cleanup_runs())
}

pub async fn resume_cleanup(
    cx: &Context<'_>,
    rq: rq::resume_cleanup::Request,
) -> Result<CleanupRun> {
    cx.elevate.resume_cleanup(&rq.run_id, &to_ui(cx.host)).await
}

pub async fn rollback_cleanup(
    cx: &Context<'_>,
    rq: rq::rollback_cleanup::Request,
) -> Result<CleanupRun> {
    cx.elevate
        .rollback_cleanup(&rq.run_id, &to_ui(cx.host))
        .await
}
