//! What the user sees while the app starts: the X screen sampled every few milliseconds, so the
//! start-up bench can say when the window first showed something and when it first showed the
//! screen it settles on. A mark the page sets says when the page thinks it is done; with
//! WebKit's threaded compositor the frame can reach the screen later, so both are reported.

use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::{bail, Result};
use x11_dl::xlib::{Xlib, ZPixmap};

/// One sample of the whole screen.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    /// Unix epoch, milliseconds (the clock `/proc` start times are converted to).
    pub at_ms: f64,
    pub hash: u64,
    /// One colour everywhere: nothing painted yet (Xvfb's black, or a window still blank).
    pub uniform: bool,
}

pub struct Sampler {
    stop: Arc<AtomicBool>,
    worker: JoinHandle<Result<Vec<Frame>>>,
}

impl Sampler {
    /// Samples `$DISPLAY` every `every` until [`Sampler::finish`]. With `keep` set, each frame
    /// that differs from the one before is also written there as a PPM image (to look at what
    /// the user saw while the app started).
    /// What goes wrong (no display, no libX11) is told by [`Sampler::finish`].
    pub fn start(every: Duration, keep: Option<std::path::PathBuf>) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let worker = std::thread::spawn(move || sample(every, &flag, keep.as_deref()));
        Self { stop, worker }
    }

    pub fn finish(self) -> Result<Vec<Frame>> {
        self.stop.store(true, Ordering::Relaxed);
        match self.worker.join() {
            Ok(r) => r,
            Err(_) => bail!("the screen sampler panicked"),
        }
    }
}

/// When the screen first showed anything but one colour.
pub fn first_painted(frames: &[Frame]) -> Option<f64> {
    frames.iter().find(|f| !f.uniform).map(|f| f.at_ms)
}

/// When the screen first looked the way it looks at the end.
pub fn settled(frames: &[Frame]) -> Option<f64> {
    let last = frames.last()?;
    frames.iter().find(|f| f.hash == last.hash).map(|f| f.at_ms)
}

fn sample(
    every: Duration,
    stop: &AtomicBool,
    keep: Option<&std::path::Path>,
) -> Result<Vec<Frame>> {
    let xlib = Xlib::open().map_err(|e| anyhow::anyhow!("libX11: {e}"))?;
    // SAFETY: plain Xlib calls on a display this thread opened and alone uses; every image
    // is destroyed after its bytes are read.
    unsafe {
        let display = (xlib.XOpenDisplay)(std::ptr::null());
        if display.is_null() {
            bail!("no X display to sample (DISPLAY is not set or not reachable)");
        }
        let screen = (xlib.XDefaultScreen)(display);
        let root = (xlib.XDefaultRootWindow)(display);
        let (w, h) = (
            (xlib.XDisplayWidth)(display, screen) as u32,
            (xlib.XDisplayHeight)(display, screen) as u32,
        );
        let mut frames = Vec::new();
        while !stop.load(Ordering::Relaxed) {
            let at_ms = crate::memory::now_epoch_ms();
            let image = (xlib.XGetImage)(display, root, 0, 0, w, h, !0, ZPixmap);
            if !image.is_null() {
                let len = ((*image).bytes_per_line as usize) * ((*image).height as usize);
                let bytes = std::slice::from_raw_parts((*image).data as *const u8, len);
                let f = frame(at_ms, bytes);
                if let Some(dir) = keep {
                    if frames.last().is_none_or(|p: &Frame| p.hash != f.hash) {
                        write_ppm(dir, &f, w as usize, h as usize, bytes)?;
                    }
                }
                frames.push(f);
                if let Some(destroy) = (*image).funcs.destroy_image {
                    destroy(image);
                }
            }
            std::thread::sleep(every);
        }
        (xlib.XCloseDisplay)(display);
        Ok(frames)
    }
}

/// Frames are named by their epoch milliseconds, so they sort in time order.
fn write_ppm(dir: &std::path::Path, f: &Frame, w: usize, h: usize, bgrx: &[u8]) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut out = format!("P6\n{w} {h}\n255\n").into_bytes();
    for p in bgrx.chunks_exact(4).take(w * h) {
        out.extend_from_slice(&[p[2], p[1], p[0]]);
    }
    std::fs::write(dir.join(format!("{:.0}.ppm", f.at_ms)), out)?;
    Ok(())
}

fn frame(at_ms: f64, bytes: &[u8]) -> Frame {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    // 32-bit pixels; the padding byte is not a colour.
    let first = bytes.get(..3).unwrap_or_default();
    let uniform = bytes.chunks_exact(4).all(|p| &p[..3] == first);
    Frame {
        at_ms,
        hash: hasher.finish(),
        uniform,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(at_ms: f64, hash: u64, uniform: bool) -> Frame {
        Frame {
            at_ms,
            hash,
            uniform,
        }
    }

    #[test]
    fn first_painted_and_settled_read_the_samples() {
        let frames = [
            f(0.0, 1, true),
            f(10.0, 2, true),
            f(20.0, 3, false),
            f(30.0, 4, false),
            f(40.0, 4, false),
        ];
        assert_eq!(first_painted(&frames), Some(20.0));
        assert_eq!(settled(&frames), Some(30.0));
        assert_eq!(settled(&[]), None);
    }

    #[test]
    fn a_frame_of_one_colour_is_uniform() {
        let white = [255u8, 255, 255, 0].repeat(4);
        assert!(frame(0.0, &white).uniform);
        let mut spot = white.clone();
        spot[5] = 0;
        assert!(!frame(0.0, &spot).uniform);
        assert_ne!(frame(0.0, &white).hash, frame(0.0, &spot).hash);
    }
}
