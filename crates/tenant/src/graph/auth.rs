//! Who is calling Graph: the shared bearer check (`crate::bearer`) against the cloud's Graph
//! audience, its failures in Graph's own words.

use axum::http::HeaderMap;

use crate::bearer::{self, BearerError};
use crate::state::AppState;

use super::error::GraphError;

/// Graph's caller is the verified bearer: user, scopes, `amr`, `acrs`, `xms_cc`.
pub use crate::bearer::Bearer as Caller;

pub fn caller<'a>(state: &'a AppState, headers: &HeaderMap) -> Result<Caller<'a>, GraphError> {
    // The tenant's cloud's Graph: a token for another cloud's Graph is not for this one.
    let graph = state.cloud().graph;
    bearer::verify(state, headers, |aud| crate::cloud::same(aud, graph))
        .map_err(|e| GraphError::unauthorized(graph_text(e)))
}

/// What Graph answers for each failed check.
fn graph_text(e: BearerError) -> &'static str {
    match e {
        BearerError::Missing => "Access token is empty.",
        BearerError::Malformed => "CompactToken parsing failed with error code: 80049217",
        BearerError::BadSignature => "Access token validation failure.",
        BearerError::Expired => "Lifetime validation failed, the token is expired.",
        BearerError::NotYetValid => "Lifetime validation failed, the token is not yet valid.",
        BearerError::WrongIssuer => "Access token validation failure. Invalid issuer.",
        BearerError::WrongAudience => "Access token validation failure. Invalid audience.",
        BearerError::UnknownUser => {
            "Access token validation failure. The user does not exist in the tenant."
        }
    }
}
