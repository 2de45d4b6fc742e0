//! What the app's processes hold and when the app started, read from Linux's /proc.
//! WebKitGTK runs the page and the network in processes of their own, started by the app:
//! a figure for the main process alone would hide most of the memory.

use std::path::Path;

use anyhow::{bail, Context, Result};

pub struct ProcessMemory {
    pub name: String,
    pub rss_kib: u64,
    pub pss_kib: u64,
}

/// The app's process and its descendants.
pub struct Footprint {
    pub processes: Vec<ProcessMemory>,
}

impl Footprint {
    pub fn rss_mib(&self) -> f64 {
        self.processes.iter().map(|p| p.rss_kib).sum::<u64>() as f64 / 1024.0
    }
    pub fn pss_mib(&self) -> f64 {
        self.processes.iter().map(|p| p.pss_kib).sum::<u64>() as f64 / 1024.0
    }
}

/// The running processes of `binary` whose environment has `HOME=home`: tauri-driver starts
/// the app, so its pid is not ours to know; the sandbox HOME tells this run's app from any other.
fn processes_of(binary: &Path, home: &Path) -> Vec<u32> {
    let want_home = format!("HOME={}", home.display());
    let binary = binary
        .canonicalize()
        .unwrap_or_else(|_| binary.to_path_buf());
    let mine = |pid: &u32| {
        std::fs::read_link(format!("/proc/{pid}/exe"))
            .ok()
            .as_deref()
            == Some(binary.as_path())
            && std::fs::read(format!("/proc/{pid}/environ"))
                .unwrap_or_default()
                .split(|b| *b == 0)
                .any(|kv| kv == want_home.as_bytes())
    };
    pids()
        .unwrap_or_default()
        .into_iter()
        .filter(mine)
        .collect()
}

/// The app process of the sandbox `home`, waiting up to 5 s for it to appear.
pub fn app_pid(binary: &Path, home: &Path) -> Result<u32> {
    for _ in 0..200 {
        if let Some(pid) = processes_of(binary, home).first() {
            return Ok(*pid);
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    bail!(
        "no running {} with HOME={}",
        binary.display(),
        home.display()
    )
}

/// Ends every process running `binary` with `HOME=home`: SIGTERM, then SIGKILL after 5 s.
pub fn end_app_of(binary: &Path, home: &Path) {
    let found = processes_of(binary, home);
    for signal in ["-TERM", "-KILL"] {
        let alive: Vec<u32> = found
            .iter()
            .copied()
            .filter(|p| Path::new(&format!("/proc/{p}/exe")).exists())
            .collect();
        if alive.is_empty() {
            return;
        }
        for pid in &alive {
            let _ = std::process::Command::new("kill")
                .arg(signal)
                .arg(pid.to_string())
                .status();
        }
        for _ in 0..50 {
            if alive
                .iter()
                .all(|p| !Path::new(&format!("/proc/{p}/exe")).exists())
            {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
}

/// When `pid` started, in milliseconds since the Unix epoch (10 ms resolution: the kernel
/// counts in clock ticks since boot).
pub fn start_epoch_ms(pid: u32) -> Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // The command name may hold spaces and parentheses: fields count from the last ')'.
    let after = &stat[stat.rfind(')').context("odd /proc stat")? + 2..];
    let ticks: f64 = after
        .split(' ')
        .nth(19)
        .context("no start time in /proc stat")?
        .parse()?;
    let hz = clock_ticks_per_second();
    Ok(boot_epoch_ms()? + ticks / hz * 1000.0)
}

/// Now, in milliseconds since the Unix epoch.
pub fn now_epoch_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or_default()
}

/// When the machine booted, from the uptime (10 ms resolution) rather than /proc/stat's
/// `btime`, which is whole seconds: it would add up to a second to every start-up figure.
fn boot_epoch_ms() -> Result<f64> {
    let now = now_epoch_ms();
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")?
        .split_whitespace()
        .next()
        .context("empty /proc/uptime")?
        .parse()?;
    Ok(now - uptime * 1000.0)
}

fn clock_ticks_per_second() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// `pid` and all its descendants, with their memory.
pub fn footprint(pid: u32) -> Result<Footprint> {
    let all = pids()?;
    let mut family = vec![pid];
    let mut i = 0;
    while i < family.len() {
        let parent = family[i];
        family.extend(all.iter().copied().filter(|p| ppid(*p) == Some(parent)));
        i += 1;
    }
    let processes = family
        .into_iter()
        .filter_map(|p| {
            let (rss_kib, pss_kib) = rollup(p)?;
            let name = std::fs::read_to_string(format!("/proc/{p}/comm")).ok()?;
            Some(ProcessMemory {
                name: name.trim().to_string(),
                rss_kib,
                pss_kib,
            })
        })
        .collect();
    Ok(Footprint { processes })
}

fn pids() -> Result<Vec<u32>> {
    Ok(std::fs::read_dir("/proc")?
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect())
}

fn ppid(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    after.split(' ').nth(1)?.parse().ok()
}

/// `(Rss, Pss)` in KiB from smaps_rollup.
fn rollup(pid: u32) -> Option<(u64, u64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
    };
    Some((field("Rss:")?, field("Pss:")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_a_start_time_and_memory() {
        let me = std::process::id();
        let started = start_epoch_ms(me).unwrap();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as f64;
        // Started before now, and not before the test binary could have been built.
        assert!(
            started <= now + 20.0 && now - started < 3_600_000.0,
            "{started} vs {now}"
        );
        let f = footprint(me).unwrap();
        assert!(
            f.rss_mib() > 1.0 && f.pss_mib() > 0.5,
            "{} {}",
            f.rss_mib(),
            f.pss_mib()
        );
    }
}
