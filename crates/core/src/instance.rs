//! One Elevate per data folder. Two processes writing the same journal would fork its chain
//! (a false "Changed" alarm), race the token cache's rotation and could resume or roll back
//! the same clean-up twice. The shell focuses the running window on a second start; this lock
//! is what stops a second process when that mechanism is unavailable (no session bus, another
//! desktop session with the same home folder): whoever does not hold it must not build an
//! `Elevate`, so it never writes the journal, the token cache or a run folder.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

const LOCK_FILE: &str = "elevate.lock";

/// Held for the life of the process; the OS releases it when the process ends, even on a
/// crash, so a stale lock cannot keep Elevate from starting.
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
    path: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum InstanceError {
    #[error("Elevate is already running on this computer for this account. Switch to its window (it may be in the tray), or quit it before starting Elevate again.")]
    AlreadyRunning,
    #[error("Elevate could not open its data folder ({0}). Check that the disk is available and that you may write there, then start Elevate again.")]
    Io(String),
}

impl InstanceLock {
    pub fn acquire(data_dir: &Path) -> Result<Self, InstanceError> {
        crate::cache::private_dir(data_dir).map_err(|e| InstanceError::Io(e.to_string()))?;
        let path = data_dir.join(LOCK_FILE);
        // Never truncated or written: the lock is the open file itself, not its contents.
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| InstanceError::Io(e.to_string()))?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file, path }),
            Err(TryLockError::WouldBlock) => Err(InstanceError::AlreadyRunning),
            Err(TryLockError::Error(e)) => Err(InstanceError::Io(e.to_string())),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let first = InstanceLock::acquire(dir.path()).unwrap();
        assert!(matches!(
            InstanceLock::acquire(dir.path()),
            Err(InstanceError::AlreadyRunning)
        ));
        drop(first);
        InstanceLock::acquire(dir.path()).expect("free again once the first has gone");
    }

    #[test]
    fn another_data_folder_is_another_instance() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let _a = InstanceLock::acquire(a.path()).unwrap();
        InstanceLock::acquire(b.path()).expect("independent");
    }

    #[test]
    fn the_lock_is_taken_across_processes() {
        // A child process holds the lock; this one must be refused while it lives.
        let dir = tempfile::tempdir().unwrap();
        if let Ok(d) = std::env::var("ELEVATE_LOCK_CHILD_DIR") {
            // The parent probes too: take the lock as soon as it is free.
            for _ in 0..2000 {
                if let Ok(_held) = InstanceLock::acquire(Path::new(&d)) {
                    std::thread::sleep(std::time::Duration::from_secs(30));
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            return;
        }
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "instance::tests::the_lock_is_taken_across_processes",
                "--nocapture",
            ])
            .env("ELEVATE_LOCK_CHILD_DIR", dir.path())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        let refused = loop {
            match InstanceLock::acquire(dir.path()) {
                Err(InstanceError::AlreadyRunning) => break true,
                Ok(lock) if std::time::Instant::now() < deadline => {
                    drop(lock);
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                _ => break false,
            }
        };
        let _ = child.kill();
        let _ = child.wait();
        assert!(refused, "the child's lock was never seen");
        InstanceLock::acquire(dir.path()).expect("released when the holder ends");
    }
}
