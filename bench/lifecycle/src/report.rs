//! Matching each webhook to its effect at the fake Slack, and the figures.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::time::{Duration, Instant};

use sandbox::RecordedCall;
use serde_json::{Value, json};

use crate::Scenario;
use crate::load::{self, Sent};
use crate::seed::{self, Target};

/// Each webhook's effects: the arrival times of the successful Slack calls
/// that carry it out, plus calls that matched a webhook by id but not by
/// content.
pub struct Effects {
    pub arrivals: Vec<Vec<Instant>>,
    pub wrong_content: usize,
}

/// Finds the effect of each webhook among the calls the fake Slack received:
/// `calls.participants.add` by Call id (and the member it adds), a
/// `chat.postMessage` thread reply by `thread_ts` (and the recording link).
pub fn match_effects(scenario: Scenario, targets: &[Target], calls: &[RecordedCall]) -> Effects {
    let index: HashMap<&str, usize> = targets
        .iter()
        .enumerate()
        .map(|(k, t)| match scenario {
            Scenario::Joined => (t.call_id.as_str(), k),
            Scenario::Recording => (t.message_ts.as_str(), k),
        })
        .collect();
    let mut arrivals = vec![Vec::new(); targets.len()];
    let mut wrong_content = 0;
    for call in calls
        .iter()
        .filter(|c| c.method == scenario.method() && c.succeeded())
    {
        let key = match scenario {
            Scenario::Joined => call.arg("id"),
            Scenario::Recording => call.arg("thread_ts"),
        };
        let Some(&k) = key.and_then(|key| index.get(key)) else {
            continue;
        };
        let right = match scenario {
            Scenario::Joined => {
                let member = seed::member_id(load::participant_member(k));
                call.args["users"]
                    .as_array()
                    .is_some_and(|users| users.iter().any(|u| u["slack_id"] == member.as_str()))
            }
            Scenario::Recording => call.args.to_string().contains(&load::share_url(k)),
        };
        if right {
            arrivals[k].push(call.received_at);
        } else {
            wrong_content += 1;
        }
    }
    Effects {
        arrivals,
        wrong_content,
    }
}

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

/// Rounds to 0.01 ms for the JSON.
fn ms(v: f64) -> Value {
    if v.is_finite() {
        json!((v * 100.0).round() / 100.0)
    } else {
        Value::Null
    }
}

fn distribution(mut us: Vec<u64>) -> Value {
    us.sort_unstable();
    let mean = if us.is_empty() {
        f64::NAN
    } else {
        us.iter().sum::<u64>() as f64 / us.len() as f64 / 1000.0
    };
    json!({
        "n": us.len(),
        "p50_ms": ms(percentile_ms(&us, 0.50)),
        "p90_ms": ms(percentile_ms(&us, 0.90)),
        "p99_ms": ms(percentile_ms(&us, 0.99)),
        "p999_ms": ms(percentile_ms(&us, 0.999)),
        "max_ms": ms(us.last().map_or(f64::NAN, |&m| m as f64 / 1000.0)),
        "mean_ms": ms(mean),
    })
}

/// The figures for the measured webhooks `measured` (the warm-up before
/// them is left out).
pub fn summarize(sent: &[Sent], effects: &Effects, measured: Range<usize>) -> Value {
    let mut latency = Vec::new();
    let mut by_second: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
    let (mut lost, mut duplicates, mut ack_errors) = (0, 0, 0);
    let start = sent.get(measured.start).map(|s| s.scheduled);
    for k in measured.clone() {
        let s = &sent[k];
        if s.status != Some(200) {
            ack_errors += 1;
        }
        let arrivals = &effects.arrivals[k];
        duplicates += arrivals.len().saturating_sub(1);
        match arrivals.iter().min() {
            Some(&first) => {
                let us = micros(first.saturating_duration_since(s.sent));
                latency.push(us);
                if let Some(start) = start {
                    let second = s.scheduled.duration_since(start).as_secs();
                    by_second.entry(second).or_default().push(us);
                }
            }
            None => lost += 1,
        }
    }
    let acks: Vec<u64> = sent[measured.clone()]
        .iter()
        .map(|s| micros(s.answered.saturating_duration_since(s.sent)))
        .collect();
    let lag: Vec<u64> = sent[measured.clone()]
        .iter()
        .map(|s| micros(s.sent.saturating_duration_since(s.scheduled)))
        .collect();
    // p99 of each second of sending, to show whether latency drifts
    // (a growing backlog) or spikes.
    let p99_by_second: Vec<Value> = by_second
        .into_values()
        .map(|mut us| {
            us.sort_unstable();
            ms(percentile_ms(&us, 0.99))
        })
        .collect();
    let span = match (sent.get(measured.start), sent.get(measured.end - 1)) {
        (Some(a), Some(b)) => b.sent.duration_since(a.sent).as_secs_f64(),
        _ => 0.0,
    };
    json!({
        "events": measured.len(),
        "achieved_rate": if span > 0.0 { json!(((measured.len() - 1) as f64 / span * 10.0).round() / 10.0) } else { Value::Null },
        "ack_errors": ack_errors,
        "lost": lost,
        "duplicates": duplicates,
        "wrong_content": effects.wrong_content,
        "latency": distribution(latency),
        "ack": distribution(acks),
        "send_lag": distribution(lag),
        "p99_ms_by_second": p99_by_second,
    })
}

/// `zlack_jobs_total` from the server's `/metrics`, as `kind outcome` → n.
pub fn job_outcomes(metrics: &str) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for line in metrics.lines() {
        let Some(rest) = line.strip_prefix("zlack_jobs_total{") else {
            continue;
        };
        let Some((labels, value)) = rest.split_once("} ") else {
            continue;
        };
        let label = |name: &str| {
            labels
                .split(',')
                .find_map(|l| l.strip_prefix(&format!("{name}=\"")))
                .map(|v| v.trim_end_matches('"').to_owned())
                .unwrap_or_default()
        };
        let n = value.trim().parse::<f64>().unwrap_or_default() as u64;
        *out.entry(format!("{} {}", label("kind"), label("outcome")))
            .or_default() += n;
    }
    out
}

/// Calls the fake Slack received, as `method` → (succeeded, failed).
pub fn slack_calls(calls: &[RecordedCall]) -> BTreeMap<String, (u64, u64)> {
    let mut out: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for call in calls {
        let entry = out.entry(call.method.clone()).or_default();
        if call.succeeded() {
            entry.0 += 1;
        } else {
            entry.1 += 1;
        }
    }
    out
}
