//! `--timings`: wall time and peak memory of each phase of a run (issue 7).
//!
//! Peak memory is the process's peak resident set size (`VmHWM`), reset before each phase by
//! writing `5` to `/proc/self/clear_refs` (Linux 4.0+), so each phase's figure is its own peak
//! (including what earlier phases still hold). Elsewhere the memory column says `n/a`.

use std::time::{Duration, Instant};

/// Phases measured so far.
#[derive(Debug, Default)]
pub struct Timings {
    phases: Vec<(&'static str, Duration, Option<u64>)>,
    started: Option<Instant>,
}

impl Timings {
    /// Runs `f` as the phase `name`.
    pub fn phase<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        self.started.get_or_insert_with(Instant::now);
        reset_peak();
        let start = Instant::now();
        let value = f();
        self.phases.push((name, start.elapsed(), peak_rss_bytes()));
        value
    }

    /// The table printed on standard error.
    pub fn render(&self) -> String {
        let mut out = String::from("timings:\n  phase                          time   peak memory\n");
        for (name, time, peak) in &self.phases {
            out.push_str(&format!("  {name:<26} {:>8.3} s   {}\n", time.as_secs_f64(), megabytes(*peak)));
        }
        let total = self.started.map(|s| s.elapsed()).unwrap_or_default();
        let peak = self.phases.iter().filter_map(|p| p.2).max();
        out.push_str(&format!("  {:<26} {:>8.3} s   {}\n", "total", total.as_secs_f64(), megabytes(peak)));
        out
    }
}

fn megabytes(bytes: Option<u64>) -> String {
    bytes.map_or_else(|| "n/a".to_owned(), |b| format!("{:.1} MB", b as f64 / 1_000_000.0))
}

fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// `VmHWM` of `/proc/self/status`, in bytes.
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_are_listed_in_order_with_a_total() {
        let mut t = Timings::default();
        let v = t.phase("load", || 2 + 2);
        t.phase("analyse", || ());
        assert_eq!(v, 4);
        let text = t.render();
        let load = text.find("load").unwrap();
        let analyse = text.find("analyse").unwrap();
        let total = text.find("total").unwrap();
        assert!(load < analyse && analyse < total, "{text}");
        if cfg!(target_os = "linux") {
            assert!(text.contains(" MB"), "{text}");
        }
    }
}
