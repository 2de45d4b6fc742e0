//! The `oauth2` crate's HTTP client over Elevate's own (`clients::network`): the token and
//! device-code endpoints go through the same proxy and trust store as every other call.
//! (`oauth2`'s reqwest feature would pin a reqwest of its own, without either.)

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use oauth2::{AsyncHttpClient, HttpRequest, HttpResponse};

use crate::clients::network::SharedClient;

/// How long one token request may take.
const TOKEN_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Clone, Debug, Default)]
pub struct OAuthHttp {
    client: SharedClient,
}

impl OAuthHttp {
    pub fn new(client: SharedClient) -> Self {
        Self { client }
    }
}

impl<'c> AsyncHttpClient<'c> for OAuthHttp {
    type Error = reqwest::Error;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, Self::Error>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        let client = self.client.client();
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let mut req = client
                .request(parts.method, parts.uri.to_string())
                .headers(parts.headers)
                .timeout(TOKEN_TIMEOUT)
                .body(body)
                .build()?;
            *req.version_mut() = parts.version;
            let resp = client.execute(req).await?;
            let mut out = HttpResponse::new(Vec::new());
            *out.status_mut() = resp.status();
            *out.headers_mut() = resp.headers().clone();
            *out.body_mut() = resp.bytes().await?.to_vec();
            Ok(out)
        })
    }
}
