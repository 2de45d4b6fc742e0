//! Microsoft Graph v1.0 (contract §2), served under `/graph`, i.e. the emulator's
//! `https://graph.microsoft.com`.

pub(crate) mod auth;
mod directory_objects;
pub(crate) mod error;
mod groups;
mod me;
pub(crate) mod pim;

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;

use crate::state::AppState;

use error::{GraphCtx, GraphError};

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/v1.0/me", get(me::me))
        .route(
            "/v1.0/me/transitiveMemberOf",
            get(groups::transitive_member_of),
        )
        .route(
            "/v1.0/me/checkMemberGroups",
            post(groups::check_member_groups),
        )
        .route("/v1.0/groups/{id}", get(groups::group_by_id))
        .route(
            "/v1.0/groups/{id}/transitiveMembers",
            get(groups::transitive_members),
        )
        .route(
            "/v1.0/groups/{id}/transitiveMembers/microsoft.graph.user",
            get(groups::transitive_members),
        )
        .route(
            "/v1.0/directoryObjects/getByIds",
            post(directory_objects::get_by_ids),
        )
        .merge(pim::router())
        .fallback(unknown_segment)
}

/// Graph answers an unknown path with 400 naming the first segment it could not resolve.
async fn unknown_segment(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let ctx = GraphCtx::new(&state, &headers);
    let segment = uri
        .path()
        .trim_start_matches('/')
        .split('/')
        .find(|s| !s.is_empty() && *s != "v1.0" && *s != "beta")
        .unwrap_or("");
    GraphError::new(
        StatusCode::BAD_REQUEST,
        "BadRequest",
        format!("Resource not found for the segment '{segment}'."),
    )
    .to_response(&ctx)
}
