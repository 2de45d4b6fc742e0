//! Following OData's `@odata.nextLink`: the next page is read with the same bearer token.

use url::Url;

use super::http::{ServiceError, ServiceErrorKind};

/// The address of the next page: `next` resolved against the page just read (`current`),
/// if it is on the service the list came from (`base`): same scheme, host and port, and no
/// user name or password (`https://graph.microsoft.com@evil.example/` is evil.example's
/// address). `None` for a link anywhere else.
pub(crate) fn next_page(base: &str, current: &str, next: &str) -> Option<String> {
    let next = Url::parse(current).and_then(|c| c.join(next)).ok()?;
    let base = Url::parse(base).ok()?;
    same_service(&next, &base).then(|| next.into())
}

/// A next link `next_page` refused. An error, not the end of the list: stopping there would
/// pass a partial list off as complete.
pub(crate) fn link_elsewhere(correlation_id: Option<String>) -> ServiceError {
    let mut e = ServiceError::new(
        ServiceErrorKind::Malformed,
        "the service returned a next-page link to another address, so the list could not be read completely",
    );
    e.correlation_id = correlation_id;
    e
}

fn same_service(next: &Url, base: &Url) -> bool {
    next.scheme() == base.scheme()
        && next.host().is_some()
        && next.host() == base.host()
        && next.port_or_known_default() == base.port_or_known_default()
        && next.username().is_empty()
        && next.password().is_none()
}

#[cfg(test)]
mod tests;
