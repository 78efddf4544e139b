//! The soak's verdicts: effects owed against effects seen, and memory and
//! open files over time.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::Instant;

use serde_json::{Value, json};

use super::plan::{self, Item};
use super::{Lifetime, Outcome};
use crate::stub::Tally;

/// One look at a process: seconds since the start, `VmRSS`, open files.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub t: f64,
    pub rss_kib: u64,
    pub fds: u64,
}

pub fn round1(v: f64) -> Value {
    json!((v * 10.0).round() / 10.0)
}

pub fn round2(v: f64) -> Value {
    json!((v * 100.0).round() / 100.0)
}

fn mib(kib: u64) -> Value {
    round1(kib as f64 / 1024.0)
}

/// The requests sent and acknowledged, and every owed effect against the
/// stub's tally: delivered exactly once, lost, duplicated.
pub fn check(
    items: &[Item],
    outcomes: &[Outcome],
    tally: &Tally,
    t0: Instant,
    kills: &[f64],
) -> Value {
    // Requests per kind.
    let mut requests: BTreeMap<&str, [u64; 5]> = BTreeMap::new();
    for (item, outcome) in items.iter().zip(outcomes) {
        let r = requests.entry(item.kind.name()).or_default();
        r[0] += 1;
        r[1] += u64::from(item.duplicate);
        r[2] += u64::from(outcome.acked);
        r[3] += u64::from(outcome.attempts);
        r[4] += u64::from(outcome.attempts > 1);
    }
    // Owed effects: those of acknowledged requests. A request acknowledged
    // on one delivery owes its effects even if another was refused.
    let mut owed: HashMap<String, &'static str> = HashMap::new();
    let mut maybe: HashMap<String, &'static str> = HashMap::new();
    let mut optional: HashMap<String, &'static str> = HashMap::new();
    for (item, outcome) in items.iter().zip(outcomes) {
        for (category, key) in plan::expected(item) {
            if outcome.acked {
                owed.insert(key, category);
            } else {
                maybe.insert(key, category);
            }
        }
        for (category, key) in plan::optional(item) {
            optional.insert(key, category);
        }
    }
    maybe.retain(|k, _| !owed.contains_key(k));
    #[derive(Default)]
    struct Row {
        expected: u64,
        once: u64,
        lost: u64,
        duplicated: u64,
        extra_copies: u64,
    }
    let mut rows: BTreeMap<&str, Row> = BTreeMap::new();
    let (mut lost_keys, mut dup_keys) = (Vec::new(), Vec::new());
    for (key, category) in &owed {
        let row = rows.entry(category).or_default();
        row.expected += 1;
        let seen = i64::from(tally.effects.get(key).copied().unwrap_or(0));
        // A participant is in the Call once it was added one more time
        // than removed (a leave removes them, the end puts back everyone
        // who took part).
        let n = match key.strip_prefix("add:") {
            Some(rest) if seen > 0 => {
                seen - i64::from(
                    tally
                        .effects
                        .get(&format!("remove:{rest}"))
                        .copied()
                        .unwrap_or(0),
                )
            }
            _ => seen,
        };
        match n {
            i64::MIN..=0 => {
                row.lost += 1;
                lost_keys.push(key.clone());
            }
            1 => row.once += 1,
            n => {
                row.once += 1;
                row.duplicated += 1;
                row.extra_copies += (n - 1) as u64;
                dup_keys.push(format!("{key} x{n}"));
            }
        }
    }
    // When each duplicated effect happened, and the nearest kill.
    let since = |at: Instant| at.saturating_duration_since(t0).as_secs_f64();
    let doubled: std::collections::HashSet<&str> = dup_keys
        .iter()
        .filter_map(|k| k.rsplit_once(' ').map(|(key, _)| key))
        .collect();
    let repeats: Vec<Value> = tally
        .repeats
        .iter()
        .filter(|(key, _)| doubled.contains(key.as_str()))
        .map(|(key, at)| {
            let (first, again) = (tally.first.get(key).map(|&f| since(f)), since(*at));
            let kill = kills.iter().copied().min_by(|a, b| {
                (a - first.unwrap_or(again))
                    .abs()
                    .total_cmp(&(b - first.unwrap_or(again)).abs())
            });
            json!({
                "effect": key, "first_s": first.map(round1), "again_s": round1(again),
                "nearest_kill_s": kill.map(round1),
            })
        })
        .collect();
    let mut optional_rows: BTreeMap<&str, [u64; 3]> = BTreeMap::new();
    for (key, category) in &optional {
        let row = optional_rows.entry(category).or_default();
        row[0] += 1;
        match tally.effects.get(key).copied().unwrap_or(0) {
            0 => {}
            1 => row[1] += 1,
            n => {
                row[1] += 1;
                row[2] += 1;
                dup_keys.push(format!("{key} x{n}"));
            }
        }
    }
    let unacked_done = maybe
        .keys()
        .filter(|k| tally.effects.contains_key(*k))
        .count();
    let mut unexpected: Vec<&String> = tally
        .effects
        .keys()
        .filter(|k| !owed.contains_key(*k) && !maybe.contains_key(*k) && !optional.contains_key(*k))
        .collect();
    unexpected.sort();
    lost_keys.sort();
    dup_keys.sort();
    let total = |f: fn(&Row) -> u64| rows.values().map(f).sum::<u64>();
    json!({
        "requests": requests.iter().map(|(kind, r)| (kind.to_string(), json!({
            "sent": r[0], "of_them_duplicates": r[1], "acked": r[2], "attempts": r[3], "retried": r[4],
        }))).collect::<BTreeMap<_, _>>(),
        "requests_sent": items.len(),
        "requests_acked": outcomes.iter().filter(|o| o.acked).count(),
        "requests_never_acked": outcomes.iter().filter(|o| !o.acked).count(),
        "http_attempts": outcomes.iter().map(|o| u64::from(o.attempts)).sum::<u64>(),
        "effects": rows.iter().map(|(c, r)| (c.to_string(), json!({
            "expected": r.expected, "exactly_once": r.once - r.duplicated, "lost": r.lost,
            "duplicated": r.duplicated, "extra_copies": r.extra_copies,
        }))).collect::<BTreeMap<_, _>>(),
        "effects_optional": optional_rows.iter().map(|(c, r)| (c.to_string(), json!({
            "requests": r[0], "delivered": r[1], "duplicated": r[2],
        }))).collect::<BTreeMap<_, _>>(),
        "effects_expected": total(|r| r.expected),
        "effects_exactly_once": total(|r| r.once - r.duplicated),
        "effects_lost": total(|r| r.lost),
        "effects_duplicated": total(|r| r.duplicated),
        "effects_of_unacked_requests": {"owed_nothing": maybe.len(), "delivered": unacked_done},
        "effects_unexpected": unexpected.len(),
        "repeated_effects": repeats,
        "examples": {
            "lost": lost_keys.iter().take(10).collect::<Vec<_>>(),
            "duplicated": dup_keys.iter().take(10).collect::<Vec<_>>(),
            "unexpected": unexpected.iter().take(10).collect::<Vec<_>>(),
        },
    })
}

/// Start, peak and end of memory and open files of every process.
pub fn processes(lifetimes: &[Lifetime]) -> Value {
    lifetimes
        .iter()
        .map(|l| {
            let first = l.samples.first();
            let last = l.samples.last();
            json!({
                "replica": l.replica,
                "pid": l.pid,
                "started_s": round1(l.started_s),
                "ended_s": l.ended_s.map(round1),
                "killed": l.killed,
                "samples": l.samples.len(),
                "rss_mib": {
                    "start": first.map(|s| mib(s.rss_kib)),
                    "peak": l.samples.iter().map(|s| s.rss_kib).max().map(mib),
                    "end": last.map(|s| mib(s.rss_kib)),
                },
                "fds": {
                    "start": first.map(|s| s.fds),
                    "peak": l.samples.iter().map(|s| s.fds).max(),
                    "end": last.map(|s| s.fds),
                },
            })
        })
        .collect()
}

/// Allowed growth from the first window to the last: 20 % and 16 MiB of
/// memory, 20 % and 8 open files.
const GROWTH: f64 = 1.2;
const RSS_SLACK_KIB: f64 = 16.0 * 1024.0;
const FDS_SLACK: f64 = 8.0;

/// Per replica, the mean of memory and open files in the first window
/// after the warm-up against the last window of the load (5 minutes each,
/// less on shorter runs): flat when the last is within bounds.
pub fn flatness(lifetimes: &[Lifetime], replicas: usize, warmup: f64, load_end: f64) -> Value {
    let window = (300.0f64).min((load_end - warmup).max(0.0) / 2.0);
    let mut all_flat = true;
    let per: Vec<Value> = (0..replicas)
        .map(|r| {
            let samples: Vec<Sample> = lifetimes
                .iter()
                .filter(|l| l.replica == r)
                .flat_map(|l| l.samples.iter().copied())
                .collect();
            let mean = |from: f64, to: f64, f: fn(&Sample) -> f64| {
                let v: Vec<f64> = samples
                    .iter()
                    .filter(|s| s.t >= from && s.t <= to)
                    .map(f)
                    .collect();
                if v.is_empty() {
                    f64::NAN
                } else {
                    v.iter().sum::<f64>() / v.len() as f64
                }
            };
            let rss = |s: &Sample| s.rss_kib as f64;
            let fds = |s: &Sample| s.fds as f64;
            let (rss_a, rss_b) = (
                mean(warmup, warmup + window, rss),
                mean(load_end - window, load_end, rss),
            );
            let (fds_a, fds_b) = (
                mean(warmup, warmup + window, fds),
                mean(load_end - window, load_end, fds),
            );
            let rss_flat = rss_b <= rss_a * GROWTH + RSS_SLACK_KIB;
            let fds_flat = fds_b <= fds_a * GROWTH + FDS_SLACK;
            all_flat &= rss_flat && fds_flat;
            json!({
                "replica": r,
                "rss_first_mib": round1(rss_a / 1024.0),
                "rss_last_mib": round1(rss_b / 1024.0),
                "rss_peak_mib": samples.iter().map(|s| s.rss_kib).max().map(mib),
                "rss_flat": rss_flat,
                "fds_first": round1(fds_a),
                "fds_last": round1(fds_b),
                "fds_peak": samples.iter().map(|s| s.fds).max(),
                "fds_flat": fds_flat,
            })
        })
        .collect();
    json!({"window_s": round1(window), "warmup_s": warmup, "replicas": per, "flat": all_flat})
}

/// Every sample as CSV: replica, pid, seconds, RSS KiB, open files.
pub fn write_samples(path: &Path, lifetimes: &[Lifetime]) -> anyhow::Result<()> {
    let mut out = String::from("replica,pid,t_s,rss_kib,fds\n");
    let mut rows: Vec<(f64, usize, u32, u64, u64)> = lifetimes
        .iter()
        .flat_map(|l| {
            l.samples
                .iter()
                .map(move |s| (s.t, l.replica, l.pid, s.rss_kib, s.fds))
        })
        .collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (t, replica, pid, rss, fds) in rows {
        out.push_str(&format!("{replica},{pid},{t:.1},{rss},{fds}\n"));
    }
    std::fs::write(path, out)?;
    Ok(())
}
