//! A local HTTP proxy: CONNECT tunnels and absolute-form requests, optional basic
//! authentication, hosts it refuses. Whatever host is asked for, it connects to `upstream`
//! (so `emulator.test`, a name no DNS knows, reaches the emulator only through it).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use base64::Engine;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub struct Proxy {
    pub url: String,
    /// "METHOD target" of every request it was asked to pass on (after authentication).
    pub seen: Arc<Mutex<Vec<String>>>,
}

impl Proxy {
    pub fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

pub async fn start(
    upstream: SocketAddr,
    credentials: Option<(&str, &str)>,
    refuse: &[&str],
) -> Proxy {
    let expected = credentials.map(|(u, p)| {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}"))
        )
    });
    let refuse: Vec<String> = refuse.iter().map(|s| s.to_string()).collect();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let (expected, refuse, log) = (expected.clone(), refuse.clone(), log.clone());
            tokio::spawn(async move {
                let _ = serve(client, upstream, expected, refuse, log).await;
            });
        }
    });
    Proxy { url, seen }
}

async fn serve(
    mut client: TcpStream,
    upstream: SocketAddr,
    expected: Option<String>,
    refuse: Vec<String>,
    log: Arc<Mutex<Vec<String>>>,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_string();
    let mut parts = request_line.split_whitespace();
    let (method, target) = (
        parts.next().unwrap_or_default().to_string(),
        parts.next().unwrap_or_default().to_string(),
    );
    let auth = lines.clone().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case("proxy-authorization")
            .then(|| v.trim().to_string())
    });
    if let Some(want) = &expected {
        if auth.as_deref() != Some(want.as_str()) {
            client
                .write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .await?;
            return Ok(());
        }
    }
    let host = if method == "CONNECT" {
        target.split(':').next().unwrap_or_default().to_string()
    } else {
        url::Url::parse(&target)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default()
    };
    if refuse.contains(&host) {
        client
            .write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .await?;
        return Ok(());
    }
    log.lock().unwrap().push(format!("{method} {target}"));
    let mut up = TcpStream::connect(upstream).await?;
    if method == "CONNECT" {
        client
            .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            .await?;
    } else {
        // Origin form for the server; the proxy's own header stays here.
        let path = url::Url::parse(&target)
            .map(|u| u[url::Position::BeforePath..].to_string())
            .unwrap_or(target.clone());
        let mut out = request_line.replacen(&target, &path, 1);
        out.push_str("\r\n");
        for l in head.split("\r\n").skip(1) {
            if l.is_empty() || l.to_ascii_lowercase().starts_with("proxy-") {
                continue;
            }
            out.push_str(l);
            out.push_str("\r\n");
        }
        out.push_str("\r\n");
        up.write_all(out.as_bytes()).await?;
        up.write_all(&buf[head_end..]).await?;
    }
    tokio::io::copy_bidirectional(&mut client, &mut up).await?;
    Ok(())
}
