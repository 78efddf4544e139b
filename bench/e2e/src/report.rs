//! From what was sent and what the stub answered to the figures: acks,
//! command→card (or webhook→effect) latency, lost and duplicated effects,
//! and the platform calls made per command.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::load::Sent;
use crate::stub::Call;

/// Nearest-rank percentile of sorted microseconds, in milliseconds.
fn percentile_ms(sorted: &[u64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
}

fn micros(d: Duration) -> u64 {
    d.as_micros() as u64
}

/// Rounds to 0.01 (ms or s) for the JSON; NaN becomes null.
pub fn round2(v: f64) -> Value {
    if v.is_finite() {
        json!((v * 100.0).round() / 100.0)
    } else {
        Value::Null
    }
}

fn distribution(mut us: Vec<u64>) -> Value {
    us.sort_unstable();
    json!({
        "n": us.len(),
        "p50_ms": round2(percentile_ms(&us, 0.50)),
        "p90_ms": round2(percentile_ms(&us, 0.90)),
        "p99_ms": round2(percentile_ms(&us, 0.99)),
        "max_ms": round2(us.last().map_or(f64::NAN, |&m| m as f64 / 1000.0)),
    })
}

/// Each request's effects: when the stub answered each call that carries
/// it out.
pub struct Effects {
    pub arrivals: Vec<Vec<Instant>>,
}

impl Effects {
    /// Cards: the `chat.postMessage` to each command's own channel.
    pub fn cards(calls: &[Call], channels: &[String]) -> Self {
        let index: HashMap<&str, usize> = channels
            .iter()
            .enumerate()
            .map(|(k, c)| (c.as_str(), k))
            .collect();
        let mut arrivals = vec![Vec::new(); channels.len()];
        for call in calls.iter().filter(|c| c.method == "chat.postMessage") {
            if let Some(&k) = call.key.as_deref().and_then(|c| index.get(c)) {
                arrivals[k].push(call.answered);
            }
        }
        Self { arrivals }
    }

    /// Participant updates: `calls.participants.add` to each webhook's Call
    /// with its member.
    pub fn participants(calls: &[Call], call_ids: &[String], members: &[String]) -> Self {
        let index: HashMap<&str, usize> = call_ids
            .iter()
            .enumerate()
            .map(|(k, c)| (c.as_str(), k))
            .collect();
        let mut arrivals = vec![Vec::new(); call_ids.len()];
        for call in calls
            .iter()
            .filter(|c| c.method == "calls.participants.add")
        {
            if let Some(&k) = call.key.as_deref().and_then(|c| index.get(c))
                && call.users.contains(&members[k])
            {
                arrivals[k].push(call.answered);
            }
        }
        Self { arrivals }
    }

    /// How many requests have at least one effect.
    pub fn done(&self) -> usize {
        self.arrivals.iter().filter(|a| !a.is_empty()).count()
    }
}

/// The figures of the requests in `measured` (earlier ones were warm-up).
pub fn figures(sent: &[Sent], effects: &Effects, measured: std::ops::Range<usize>) -> Value {
    let sent_m = &sent[measured.clone()];
    let first_sent = sent_m.iter().map(|s| s.sent).min();
    let last_sent = sent_m.iter().map(|s| s.sent).max();
    let last_ack = sent_m.iter().map(|s| s.answered).max();
    let (mut latency, mut lost, mut duplicates, mut last_effect) = (Vec::new(), 0, 0, None);
    for k in measured.clone() {
        let arrivals = &effects.arrivals[k];
        duplicates += arrivals.len().saturating_sub(1);
        match arrivals.iter().min() {
            Some(&first) => {
                latency.push(micros(first.saturating_duration_since(sent[k].sent)));
                last_effect = last_effect.max(Some(first));
            }
            None => lost += 1,
        }
    }
    let acks: Vec<u64> = sent_m
        .iter()
        .map(|s| micros(s.answered.saturating_duration_since(s.sent)))
        .collect();
    let lag: Vec<u64> = sent_m
        .iter()
        .map(|s| micros(s.sent.saturating_duration_since(s.scheduled)))
        .collect();
    let secs = |a: Option<Instant>, b: Option<Instant>| match (a, b) {
        (Some(a), Some(b)) => round2(b.saturating_duration_since(a).as_secs_f64()),
        _ => Value::Null,
    };
    let ack_span = match (first_sent, last_ack) {
        (Some(a), Some(b)) => b.saturating_duration_since(a).as_secs_f64(),
        _ => 0.0,
    };
    let send_span = match (first_sent, last_sent) {
        (Some(a), Some(b)) => b.saturating_duration_since(a).as_secs_f64(),
        _ => 0.0,
    };
    json!({
        "requests": measured.len(),
        "acks_per_s": if ack_span > 0.0 { round2(measured.len() as f64 / ack_span) } else { Value::Null },
        "send_rate": if send_span > 0.0 { round2((measured.len() - 1) as f64 / send_span) } else { Value::Null },
        "ack_errors": sent_m.iter().filter(|s| s.status != Some(200)).count(),
        "ack": distribution(acks),
        "send_lag": distribution(lag),
        "latency": distribution(latency),
        "lost": lost,
        "duplicates": duplicates,
        // From the first request sent until the last effect, and from the
        // last ack until the last effect.
        "all_done_after_s": secs(first_sent, last_effect),
        "done_after_last_ack_s": secs(last_ack, last_effect),
    })
}

/// Platform calls the stub answered from `since` on, per request: which
/// Slack and Zoom calls one command (or webhook) costs.
pub fn calls_per_request(calls: &[Call], requests: usize) -> BTreeMap<String, Value> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for call in calls {
        // Zoom paths carry ids: keep the method and the first segment.
        let label = if call.method.contains(' ') {
            let mut parts = call.method.splitn(2, ' ');
            let verb = parts.next().unwrap_or_default();
            let path = parts.next().unwrap_or_default();
            let shape: Vec<&str> = path
                .split('/')
                .map(|s| {
                    if s.chars().any(|c| c.is_ascii_digit()) {
                        "{id}"
                    } else {
                        s
                    }
                })
                .collect();
            format!("zoom {verb} {}", shape.join("/"))
        } else {
            format!("slack {}", call.method)
        };
        *counts.entry(label).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(k, n)| {
            (
                k,
                json!({"calls": n, "per_request": round2(n as f64 / requests.max(1) as f64)}),
            )
        })
        .collect()
}
