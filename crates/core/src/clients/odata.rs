//! The one OData pager: every paged read of Graph, the Power Platform API, BAP and Dataverse
//! goes through `pages` (or `pages_dated`), following `@odata.nextLink` with the same bearer
//! token, but only on the service the list came from.

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use url::Url;

use super::http::{Answer, Call, Http, ServiceError, ServiceErrorKind, TokenSource};

/// A list longer than this many pages is not one Elevate can read (Power Platform, BAP,
/// Dataverse; a tenant's environments fit many times over).
const MAX_PAGES: usize = 200;
/// Graph's PIM lists are followed to the end, but never forever.
pub(crate) const GRAPH_MAX_PAGES: usize = 50;

/// An OData page. The Power Platform API spells the link `@odata.nextlink` (as documented),
/// Graph and Dataverse `@odata.nextLink`.
#[derive(Deserialize)]
pub(crate) struct Page<T> {
    pub value: Vec<T>,
    #[serde(
        default,
        rename = "@odata.nextLink",
        alias = "@odata.nextlink",
        alias = "nextLink"
    )]
    pub next_link: Option<String>,
}

/// A Graph page: only Graph's own spelling of the link.
#[derive(Deserialize)]
pub(crate) struct GraphPage<T> {
    pub value: Vec<T>,
    #[serde(rename = "@odata.nextLink", default)]
    pub next_link: Option<String>,
}

/// What the pager needs of a page: its rows and the link to the next one.
pub(crate) trait Paged<T>: DeserializeOwned {
    fn split(self) -> (Vec<T>, Option<String>);
}

impl<T: DeserializeOwned> Paged<T> for Page<T> {
    fn split(self) -> (Vec<T>, Option<String>) {
        (self.value, self.next_link)
    }
}

impl<T: DeserializeOwned> Paged<T> for GraphPage<T> {
    fn split(self) -> (Vec<T>, Option<String>) {
        (self.value, self.next_link)
    }
}

/// One idempotent GET.
pub(crate) async fn get(
    http: &Http,
    url: &str,
    token: &dyn TokenSource,
    headers: &[(&'static str, String)],
) -> Result<Answer, ServiceError> {
    http.send(Call {
        method: Method::GET,
        url,
        token,
        body: None,
        headers,
        idempotent: true,
    })
    .await
}

/// A list to read: where, on which service (`base`), with which token and headers.
pub(crate) struct List<'a> {
    pub http: &'a Http,
    pub base: &'a str,
    pub token: &'a dyn TokenSource,
    pub headers: &'a [(&'static str, String)],
    pub max_pages: usize,
}

impl List<'_> {
    /// Every page from `url` on, and the service's clock (its `Date` header) when the first
    /// page was served. A next link is followed only on the service it came from (`base`):
    /// the token never goes elsewhere (`next_page`).
    pub async fn read<T, P: Paged<T>>(
        &self,
        mut url: String,
    ) -> Result<(Vec<T>, Option<DateTime<Utc>>), ServiceError> {
        let mut out = Vec::new();
        let mut date = None;
        for _ in 0..self.max_pages {
            let answer = get(self.http, &url, self.token, self.headers).await?;
            if date.is_none() {
                date = served_at(&answer);
            }
            let (rows, next) = answer.json::<P>()?.split();
            out.extend(rows);
            match next {
                Some(next) => {
                    url = next_page(self.base, &url, &next)
                        .ok_or_else(|| link_elsewhere(answer.correlation_id.clone()))?
                }
                None => break,
            }
        }
        Ok((out, date))
    }
}

fn served_at(answer: &Answer) -> Option<DateTime<Utc>> {
    answer
        .headers
        .get(reqwest::header::DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|d| DateTime::parse_from_rfc2822(d).ok())
        .map(|d| d.with_timezone(&Utc))
}

/// Every page of a list from `url` on (Power Platform, BAP, Dataverse, Graph directory).
pub(crate) async fn pages<T: DeserializeOwned>(
    http: &Http,
    url: String,
    base: &str,
    token: &dyn TokenSource,
    headers: &[(&'static str, String)],
) -> Result<Vec<T>, ServiceError> {
    let list = List {
        http,
        base,
        token,
        headers,
        max_pages: MAX_PAGES,
    };
    Ok(list.read::<T, Page<T>>(url).await?.0)
}

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
