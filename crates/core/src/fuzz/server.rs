//! A service that answers whatever the case says, byte for byte: any status, any header
//! value (Retry-After, WWW-Authenticate, Date, Content-Type), any body. Raw TCP, so even
//! headers a well-behaved server library would refuse to send reach the real client.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use proptest::prelude::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::clients::http::Http;

#[derive(Debug, Clone, Default)]
pub(crate) struct Canned {
    pub status: u16,
    pub headers: Vec<(&'static str, Vec<u8>)>,
    pub body: Vec<u8>,
}

pub(crate) struct Server {
    pub rt: tokio::runtime::Runtime,
    /// `http://127.0.0.1:port/`
    pub base: url::Url,
    answer: Arc<Mutex<Canned>>,
}

impl Server {
    pub fn start() -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let base = url::Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
        let answer = Arc::new(Mutex::new(Canned::default()));
        let a = answer.clone();
        rt.spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let canned = a.lock().unwrap().clone();
                tokio::spawn(answer_one(sock, canned));
            }
        });
        Self { rt, base, answer }
    }

    /// Every request from now on gets `c`.
    pub fn set(&self, c: Canned) {
        *self.answer.lock().unwrap() = c;
    }

    pub fn url(&self, path: &str) -> String {
        self.base.join(path).unwrap().to_string()
    }
}

/// The real http layer, with one attempt (a retry would only read the same answer again)
/// and a deadline well inside the checker's hang limit.
pub(crate) fn http() -> Http {
    let mut h = Http::new();
    h.max_attempts = 1;
    h.deadline = Duration::from_secs(10);
    h
}

async fn answer_one(mut sock: tokio::net::TcpStream, c: Canned) {
    // The request: headers, then as many body bytes as it announced.
    let mut req = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        match sock.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => req.extend_from_slice(&buf[..n]),
        }
        if let Some(i) = req.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&req[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while req.len() < head_end + length {
        match sock.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => req.extend_from_slice(&buf[..n]),
        }
    }
    let mut out = format!("HTTP/1.1 {} Fuzz\r\n", c.status).into_bytes();
    for (name, value) in &c.headers {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        // A line break would end the header block: that is framing, not a header value.
        out.extend(value.iter().filter(|b| !matches!(b, b'\r' | b'\n')));
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(
        format!(
            "content-length: {}\r\nconnection: close\r\n\r\n",
            c.body.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&c.body);
    let _ = sock.write_all(&out).await;
    let _ = sock.shutdown().await;
}

/// Statuses the services send, and any other final status.
pub(crate) fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        3 => Just(200u16),
        1 => prop::sample::select(vec![
            201u16, 202, 204, 301, 302, 307, 400, 401, 403, 404, 407, 409, 429, 500, 502, 503,
            504, 511
        ]),
        1 => 200u16..600,
    ]
}

/// Header values as services, gateways and broken proxies send them.
pub(crate) fn header_value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        2 => "[ -~]{0,60}".prop_map(String::into_bytes),
        1 => proptest::collection::vec(any::<u8>(), 0..60),
        1 => prop::sample::select(vec![
            "0", "1.5", "-1", "1e309", "NaN", "inf", "18446744073709551616",
            "Wed, 21 Oct 2015 07:28:00 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994", "Fri, 31 Dec 9999 23:59:59 GMT",
            "Mon, 01 Jan 0001 00:00:00 GMT",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
    ]
}

/// `WWW-Authenticate` values: claims challenges, whole or broken, and anything else.
pub(crate) fn challenge() -> impl Strategy<Value = Vec<u8>> {
    let claims = prop_oneof![
        Just(
            "eyJhY2Nlc3NfdG9rZW4iOnsiYWNycyI6eyJlc3NlbnRpYWwiOnRydWUsInZhbHVlIjoiY3AxIn19fQ=="
                .to_string()
        ),
        Just("{\"access_token\":{}}".to_string()),
        Just("W10=".to_string()),
        "[A-Za-z0-9+/=_-]{0,40}",
        super::text(),
    ];
    prop_oneof![
        2 => (claims, "[ ,]{0,3}", any::<bool>()).prop_map(|(c, sep, quoted)| {
            let c = if quoted { format!("\"{c}\"") } else { c };
            format!("Bearer realm=\"\",{sep} error=\"insufficient_claims\",{sep} claims={c}").into_bytes()
        }),
        1 => "(Bearer|bearer|PoP|Basic)?[ =,\"a-z_]{0,60}".prop_map(String::into_bytes),
        1 => header_value(),
    ]
}
