//! `--approve-after N`: an approver who decides every waiting PIM request N seconds after it
//! appears, through the demo tenant's own `/_emulator/pim/requests/{id}/approve` switch.

use std::collections::HashMap;
use std::time::{Duration, Instant};

pub fn spawn(base_url: String, after: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let http = reqwest::Client::new();
        let mut first_seen: HashMap<String, Instant> = HashMap::new();
        loop {
            tokio::time::sleep(Duration::from_secs(1)).await;
            let Ok(r) = http
                .get(format!("{base_url}/_emulator/pim/requests"))
                .send()
                .await
            else {
                continue;
            };
            let Ok(list) = r.json::<serde_json::Value>().await else {
                continue;
            };
            let waiting = list["value"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|r| r["status"] == "PendingApproval")
                .filter_map(|r| r["id"].as_str().map(String::from));
            for id in waiting {
                let seen = *first_seen.entry(id.clone()).or_insert_with(Instant::now);
                if seen.elapsed() >= after {
                    let url = format!("{base_url}/_emulator/pim/requests/{id}/approve");
                    match http.post(url).json(&serde_json::json!({})).send().await {
                        Ok(_) => println!("demo tenant: approved request {id}"),
                        Err(e) => tracing::warn!(error = %e, "could not approve {id}"),
                    }
                }
            }
        }
    })
}
