//! Reconciliation: what Zoom's webhooks would have said, asked of Zoom.
//!
//! Zoom does not redeliver the events a closed WebSocket connection missed,
//! and gives up on a webhook after a few retries. So zlack asks Zoom about
//! the meetings it announced lately and stores each fact it learns as the
//! meeting webhook it stands for (source [`SOURCE`], a dedupe key per fact).
//! Those rows go through the same fold as received webhooks
//! ([`crate::flows::lifecycle`]): a fact the state already holds changes
//! nothing, so the Slack Call, the end summary, the recording notice and
//! the AI-summary notice each still happen once, whichever of a webhook and
//! its reconstructed twin comes first.
//!
//! A run ([`run`], the `meeting.reconcile` job) looks at the announcements
//! of the last [`LOOK_BACK_MS`] that can bind occurrences and are not
//! finished (see [`Store::reconcile_candidates`](crate::store::Store)),
//! those asked about least recently first, at most [`MAX_MEETINGS`] of them
//! and [`MAX_ZOOM_CALLS`] Zoom requests per run. For each, with the announcer's Zoom credentials
//! (their own token, or the account's in organization and server-to-server
//! modes):
//!
//! - unless the announcement is used up, `GET /meetings/{id}` (a `started`
//!   instance) and `GET /past_meetings/{id}/instances` (the newest
//!   [`MAX_INSTANCES`] ended ones) name the instances to look at, besides
//!   the occurrences already bound; when it is used up but a bound instance
//!   has not ended, `GET /meetings/{id}` still tells whether that instance
//!   (matched by UUID) is live;
//! - an instance Zoom reports live gives `meeting.started`, never an end;
//!   another not known to have ended: `GET /past_meetings/{uuid}` gives
//!   `meeting.ended` (only for an instance that ended after the
//!   announcement, as binding requires);
//! - an instance that ended, for [`FOLLOW_UP_MS`] after zlack learned so:
//!   `GET /meetings/{uuid}/recordings` gives `recording.completed` (once no
//!   file is still processing), `GET /meetings/{uuid}/meeting_summary`
//!   `meeting.summary_completed`, each only while the state lacks it.
//!
//! Participants are not reconstructed: the end summary already merges
//! Zoom's own list (`GET /past_meetings/{uuid}/participants`).
//!
//! A Zoom rate limit stops the run, retried when Zoom says; a temporary
//! failure is retried with the job's backoff, [`RETRY_ATTEMPTS`] times at
//! most (the next periodic run tries again anyway). A meeting Zoom does not
//! know (404) gives nothing and is not retried.
//!
//! Runs are queued periodically ([`queue_periodic`], one per
//! `ZLACK_RECONCILE_INTERVAL_MS` across replicas) and on demand
//! ([`request`], collapsed to one per [`REQUEST_WINDOW_MS`]).

use std::time::Duration;

use serde_json::{Value, json};
use zlack_domain::meeting::MeetingState;

use crate::clock::Millis;
use crate::config::{Secret, ZoomMode};
use crate::flows::credentials::{self, CredError};
use crate::job::{Job, JobError, JobResult, RECONCILE_SCOPE};
use crate::services::Services;
use crate::store::{InboundEvent, Ingested, MeetingRow, RESTART_GRACE_MS, StoreError};
use crate::zoom::error::ZoomError;

/// The inbox source of reconstructed events.
pub const SOURCE: &str = "zoom.reconcile";
/// Announcements older than this are not asked about: Zoom's webhook
/// retries are long over, and recordings and AI summaries are ready well
/// within a day of the end.
pub const LOOK_BACK_MS: Millis = 24 * 60 * 60 * 1000;
/// After an occurrence ended this long ago (as zlack learned it), its
/// recording and AI summary are no longer asked for: one not at Zoom by
/// then is left to its webhook, and an announcement whose occurrences are
/// all past this is finished.
pub const FOLLOW_UP_MS: Millis = 12 * 60 * 60 * 1000;
/// Announcements one run asks about at most: those asked about least
/// recently (never asked: first of all, newest first), so every candidate
/// has its turn within a few runs however many there are.
pub const MAX_MEETINGS: i64 = 50;
/// Zoom requests one run makes at most; the rest waits for the next run.
pub const MAX_ZOOM_CALLS: usize = 300;
/// Ended instances of one meeting number looked at, the newest.
pub const MAX_INSTANCES: usize = 3;
/// Attempts of a run that met temporary failures before it leaves the
/// rest to the next periodic run.
pub const RETRY_ATTEMPTS: i64 = 4;
/// On-demand requests within one window of this length share one run, due
/// at the window's end.
pub const REQUEST_WINDOW_MS: Millis = 10_000;

/// Queues a run soon, for `reason` (such as `websocket.connected`). Every
/// request within one [`REQUEST_WINDOW_MS`] window, from any process,
/// shares one run, due at the window's end. Returns whether this call
/// queued it.
pub async fn request(svc: &Services, reason: &str) -> Result<bool, StoreError> {
    let now = svc.clock.now_ms();
    let window = now.div_euclid(REQUEST_WINDOW_MS);
    let job = Job::Reconcile {
        reason: reason.to_owned(),
    };
    let key = format!("{}:request:{window}", job.kind());
    let run_at = (window + 1) * REQUEST_WINDOW_MS;
    let new = svc
        .store
        .enqueue_now(&[job.queue(key, run_at)], now)
        .await?;
    Ok(new == 1)
}

/// Queues this interval's periodic run (`ZLACK_RECONCILE_INTERVAL_MS`),
/// due now; every process does so and the interval's key lets one in.
/// Returns whether this call queued it.
pub async fn queue_periodic(svc: &Services) -> Result<bool, StoreError> {
    let now = svc.clock.now_ms();
    let interval = (svc.config.zoom.reconcile_interval.as_millis() as Millis).max(1_000);
    let job = Job::Reconcile {
        reason: "periodic".into(),
    };
    let key = format!("{}:periodic:{}", job.kind(), now.div_euclid(interval));
    let new = svc.store.enqueue_now(&[job.queue(key, now)], now).await?;
    Ok(new == 1)
}

/// Why a run, or its look at one meeting, stopped early.
enum Stop {
    /// Zoom (or its token endpoint) asked to wait this long.
    RateLimited(Duration),
    /// A temporary failure; the run is retried.
    Failed(String),
}

impl From<StoreError> for Stop {
    fn from(error: StoreError) -> Self {
        Self::Failed(error.to_string())
    }
}

/// What one Zoom answer means here: a value, nothing to learn (not found,
/// not allowed, unreadable: logged), or a stop.
fn sort<T>(what: &str, answer: Result<T, ZoomError>) -> Result<Option<T>, Stop> {
    match answer {
        Ok(value) => Ok(Some(value)),
        Err(ZoomError::RateLimited { retry_after, .. }) => Err(Stop::RateLimited(retry_after)),
        Err(ZoomError::Transient(why)) => Err(Stop::Failed(format!("zoom {what}: {why}"))),
        Err(ZoomError::NotFound { .. }) => Ok(None),
        Err(error) => {
            tracing::info!(what, %error, "reconciliation learned nothing from Zoom");
            Ok(None)
        }
    }
}

/// The Zoom requests a run may still make.
struct Budget(usize);

impl Budget {
    /// Takes one request; `false` when none is left.
    fn take(&mut self) -> bool {
        if self.0 == 0 {
            return false;
        }
        self.0 -= 1;
        true
    }
}

/// One run: see the [module](self) docs.
pub async fn run(svc: &Services, reason: &str, attempt: i64) -> JobResult {
    metrics::counter!("zlack_reconcile_runs_total", "reason" => reason_label(reason)).increment(1);
    let now = svc.clock.now_ms();
    let candidates = svc
        .store
        .reconcile_candidates(
            now - LOOK_BACK_MS,
            now - RESTART_GRACE_MS,
            now - FOLLOW_UP_MS,
            MAX_MEETINGS,
        )
        .await?;
    let mut budget = Budget(MAX_ZOOM_CALLS);
    let mut failed = None;
    for (meeting_id, created_at) in candidates {
        if budget.0 == 0 {
            tracing::info!(
                "reconciliation used its Zoom requests; the rest waits for the next run"
            );
            break;
        }
        let Some(meeting) = svc.store.meeting_by_id(meeting_id).await? else {
            continue;
        };
        metrics::counter!("zlack_reconcile_meetings_checked_total").increment(1);
        let checked = Meeting {
            svc,
            row: &meeting,
            created_at,
        }
        .check(&mut budget)
        .await;
        match checked {
            // Asked about in full (a look the requests ran out in the
            // middle of keeps its turn): the next runs start with others.
            Ok(()) if budget.0 > 0 => svc.store.mark_reconciled(meeting_id, now).await?,
            Ok(()) => {}
            Err(Stop::RateLimited(wait)) => {
                return Err(JobError::RateLimited {
                    scope: RECONCILE_SCOPE.into(),
                    wait: wait.max(Duration::from_secs(1)),
                });
            }
            Err(Stop::Failed(why)) => {
                tracing::warn!(meeting = meeting_id, error = %why, "reconciling a meeting failed");
                failed = Some(why);
            }
        }
    }
    match failed {
        Some(why) if attempt < RETRY_ATTEMPTS => Err(JobError::Transient(why)),
        Some(_) => {
            tracing::warn!("reconciliation kept failing; the next periodic run tries again");
            Ok(())
        }
        None => Ok(()),
    }
}

/// The label a run's reason is counted under: a few known values only.
fn reason_label(reason: &str) -> &'static str {
    match reason {
        "periodic" => "periodic",
        _ => "request",
    }
}

/// An instance to look at.
struct Instance {
    uuid: String,
    /// What zlack knows of it (nothing when no occurrence is bound yet).
    state: MeetingState,
    /// Zoom's `start_time` when Zoom says the instance is live now.
    live_since: Option<String>,
    /// Whether its recording and AI summary are still asked for (it did
    /// not end more than [`FOLLOW_UP_MS`] ago).
    follow_up: bool,
}

/// One announcement being reconciled.
struct Meeting<'a> {
    svc: &'a Services,
    row: &'a MeetingRow,
    created_at: Millis,
}

impl Meeting<'_> {
    async fn check(&self, budget: &mut Budget) -> Result<(), Stop> {
        let Some(zoom_id) = self.row.zoom_meeting_id else {
            return Ok(());
        };
        let Some(token) = self.token().await? else {
            return Ok(());
        };
        let svc = self.svc;
        let now = svc.clock.now_ms();
        let bound = svc.store.occurrences_of_meeting(self.row.id).await?;
        let used_up = bound
            .iter()
            .any(|(_, _, _, ended)| ended.is_some_and(|at| at < now - RESTART_GRACE_MS));
        let mut instances: Vec<Instance> = bound
            .into_iter()
            .map(|(id, uuid, state, ended_at)| Instance {
                uuid: uuid.to_string(),
                state: state
                    .and_then(|json| {
                        serde_json::from_slice(&json)
                            .inspect_err(|e| {
                                tracing::error!(occurrence = id.get(), error = %e, "stored meeting state unreadable");
                            })
                            .ok()
                    })
                    .unwrap_or_default(),
                live_since: None,
                follow_up: ended_at.is_none_or(|at| at >= now - FOLLOW_UP_MS),
            })
            .collect();
        if !used_up {
            self.find_instances(&token, zoom_id, &mut instances, budget)
                .await?;
        } else if instances.iter().any(|i| i.state.ended().is_none()) {
            // A used-up announcement binds no new instance, but one of its
            // own may be live (again): Zoom's word on that comes before any
            // `meeting.ended` is made up from its past-meeting record.
            self.live_instance(&token, zoom_id, &mut instances, budget, false)
                .await?;
        }
        for instance in &instances {
            self.check_instance(&token, zoom_id, instance, budget)
                .await?;
        }
        Ok(())
    }

    /// A Zoom token of the announcer, as the announcement's notices use;
    /// `None` when there is none to be had (not linked, authorization
    /// refused): nothing can be asked.
    async fn token(&self) -> Result<Option<Secret>, Stop> {
        let svc = self.svc;
        let row = self.row;
        let token = match svc
            .store
            .zoom_link(&row.team_id, &row.host_slack_user_id)
            .await?
        {
            Some(link) => credentials::zoom_token(svc, &link, None).await,
            None if svc.config.zoom.mode != ZoomMode::Personal => {
                credentials::account_token(svc, &row.team_id, None).await
            }
            None => return Ok(None),
        };
        match token {
            Ok(token) => Ok(Some(token)),
            Err(CredError::RateLimited(wait)) => Err(Stop::RateLimited(wait)),
            Err(CredError::Unavailable(why)) => Err(Stop::Failed(why)),
            Err(error) => {
                tracing::debug!(%error, "no Zoom credentials to reconcile a meeting with");
                Ok(None)
            }
        }
    }

    /// Adds the live instance and the newest ended ones not bound yet.
    async fn find_instances(
        &self,
        token: &Secret,
        zoom_id: i64,
        instances: &mut Vec<Instance>,
        budget: &mut Budget,
    ) -> Result<(), Stop> {
        let zoom = &self.svc.zoom;
        self.live_instance(token, zoom_id, instances, budget, true)
            .await?;
        if !budget.take() {
            return Ok(());
        }
        let past = sort("instances", zoom.past_instances(token, zoom_id).await)?;
        let since = self.created_at - LOOK_BACK_MS;
        let mut ended: Vec<_> = past
            .unwrap_or_default()
            .into_iter()
            .filter(|i| millis(i.start_time.as_deref()).is_some_and(|at| at >= since))
            .collect();
        ended.sort_by_key(|i| std::cmp::Reverse(millis(i.start_time.as_deref())));
        for instance in ended.into_iter().take(MAX_INSTANCES) {
            add(instances, instance.uuid, None);
        }
        Ok(())
    }

    /// Asks Zoom (`GET /meetings/{id}`) whether an instance is live and
    /// marks it so among `instances` (matched by UUID), or, when `may_add`,
    /// adds it.
    async fn live_instance(
        &self,
        token: &Secret,
        zoom_id: i64,
        instances: &mut Vec<Instance>,
        budget: &mut Budget,
        may_add: bool,
    ) -> Result<(), Stop> {
        if !budget.take() {
            return Ok(());
        }
        let live = sort(
            "meeting",
            self.svc
                .zoom
                .meeting(token, u64::try_from(zoom_id).unwrap_or_default())
                .await,
        )?;
        if let Some(info) = live
            && info.status.as_deref() == Some("started")
            && let (Some(uuid), Some(start)) = (info.uuid, info.start_time)
            && (may_add || instances.iter().any(|i| i.uuid == uuid))
        {
            add(instances, uuid, Some(start));
        }
        Ok(())
    }

    /// Asks Zoom what the state of `instance` lacks and stores each answer
    /// as the webhook it stands for.
    async fn check_instance(
        &self,
        token: &Secret,
        zoom_id: i64,
        instance: &Instance,
        budget: &mut Budget,
    ) -> Result<(), Stop> {
        let zoom = &self.svc.zoom;
        let uuid = instance.uuid.as_str();
        let state = &instance.state;
        let mut facts = Vec::new();
        let mut ended = state.ended().is_some();
        if !ended {
            if let Some(start) = &instance.live_since {
                if state.started_at().is_none() {
                    let object = self.object(zoom_id, uuid, json!({"start_time": start}));
                    facts.push(Fact::new("meeting.started", "started", object));
                }
            } else {
                if !budget.take() {
                    return Ok(());
                }
                let Some(past) = sort("past meeting", zoom.past_meeting(token, uuid).await)? else {
                    return Ok(());
                };
                let (Some(start), Some(end)) = (&past.start_time, &past.end_time) else {
                    return Ok(());
                };
                // Binding gives an announcement only the occurrences that
                // ended after it was made.
                if millis(Some(end)).is_none_or(|at| at < self.created_at) {
                    return Ok(());
                }
                let mut object = self.object(
                    zoom_id,
                    uuid,
                    json!({"start_time": start, "end_time": end, "duration": past.duration}),
                );
                if let Some(host) = past.host_id.filter(|h| !h.is_empty()) {
                    object["host_id"] = host.into();
                }
                facts.push(Fact::new("meeting.ended", "ended", object));
                ended = true;
            }
        }
        if ended && instance.follow_up && state.recording().is_none() && budget.take() {
            let recording = sort("recordings", zoom.recordings(token, uuid).await)?;
            if let Some(mut object) = recording.map(|r| r.0)
                && recording_ready(&object)
            {
                object["id"] = zoom_id.into();
                object["uuid"] = uuid.into();
                facts.push(Fact::new("recording.completed", "recording", object));
            }
        }
        if ended && instance.follow_up && state.ai_summary().is_none() && budget.take() {
            let summary = sort("summary", zoom.meeting_summary(token, uuid).await)?;
            if let Some(summary) = summary {
                let object = json!({
                    "meeting_id": zoom_id,
                    "meeting_uuid": uuid,
                    "meeting_host_id": self.host_of(&facts),
                    "meeting_topic": self.row.topic,
                    "summary_title": summary.summary_title,
                    "summary_overview": summary.summary_overview,
                    "next_steps": summary.next_steps,
                });
                facts.push(Fact::new("meeting.summary_completed", "summary", object));
            }
        }
        self.store(uuid, facts).await
    }

    /// A meeting event's `object` with the meeting's number, UUID and topic.
    fn object(&self, zoom_id: i64, uuid: &str, extra: Value) -> Value {
        let mut object = json!({"id": zoom_id, "uuid": uuid, "topic": self.row.topic});
        if let (Some(out), Value::Object(extra)) = (object.as_object_mut(), extra) {
            out.extend(extra);
        }
        object
    }

    /// The Zoom host named by the facts learned so far.
    fn host_of(&self, facts: &[Fact]) -> Value {
        facts
            .iter()
            .find_map(|f| f.object["host_id"].as_str().map(Value::from))
            .unwrap_or(Value::Null)
    }

    /// Stores the facts in the inbox, each once; counts those that were new.
    async fn store(&self, uuid: &str, facts: Vec<Fact>) -> Result<(), Stop> {
        if facts.is_empty() {
            return Ok(());
        }
        let svc = self.svc;
        let now = svc.clock.now_ms();
        let events: Vec<InboundEvent> = facts
            .iter()
            .map(|fact| {
                let body = json!({
                    "event": fact.event,
                    "event_ts": now,
                    "payload": {"object": fact.object},
                });
                InboundEvent {
                    source: SOURCE,
                    dedupe_key: format!("zoom:reconcile:{uuid}:{}", fact.name),
                    kind: fact.event.to_owned(),
                    tenant: format!("slack:{}", self.row.team_id),
                    body: serde_json::to_vec(&body).unwrap_or_default(),
                }
            })
            .collect();
        let outcomes = svc.store.ingest_batch(&events, now).await?;
        for (fact, outcome) in facts.iter().zip(outcomes) {
            if let Ingested::Stored { .. } = outcome {
                tracing::info!(
                    event = fact.event,
                    "reconciliation recovered a missed Zoom event"
                );
                metrics::counter!("zlack_reconcile_recovered_total", "event" => fact.event)
                    .increment(1);
            }
        }
        Ok(())
    }
}

/// Notes instance `uuid` (live since `live_since`, when it is) among
/// `instances`, adding it when it is not there yet.
fn add(instances: &mut Vec<Instance>, uuid: String, live_since: Option<String>) {
    if let Some(known) = instances.iter_mut().find(|i| i.uuid == uuid) {
        known.live_since = known.live_since.take().or(live_since);
    } else if !uuid.is_empty() {
        instances.push(Instance {
            uuid,
            state: MeetingState::new(),
            live_since,
            follow_up: true,
        });
    }
}

/// One fact learned from Zoom, as the webhook it stands for.
struct Fact {
    /// The webhook's `event`.
    event: &'static str,
    /// The last part of its dedupe key.
    name: &'static str,
    /// Its `payload.object`.
    object: Value,
}

impl Fact {
    fn new(event: &'static str, name: &'static str, object: Value) -> Self {
        Self {
            event,
            name,
            object,
        }
    }
}

/// Whether a recording as `GET /meetings/{uuid}/recordings` answers is
/// what `recording.completed` would announce: a share link, and no file
/// Zoom is still processing (the webhook comes once they are done).
fn recording_ready(object: &Value) -> bool {
    let linked = object["share_url"].as_str().is_some_and(|s| !s.is_empty());
    let done = object["recording_files"].as_array().is_none_or(|files| {
        files
            .iter()
            .all(|f| f["status"].as_str().is_none_or(|s| s == "completed"))
    });
    linked && done
}

/// An ISO 8601 time as milliseconds since the epoch.
fn millis(time: Option<&str>) -> Option<Millis> {
    let at: jiff::Timestamp = time?.trim().parse().ok()?;
    Some(at.as_millisecond())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_answers_are_sorted_into_waiting_retrying_or_nothing_to_learn() {
        let limited = ZoomError::RateLimited {
            retry_after: Duration::from_secs(3),
            daily: false,
        };
        assert!(matches!(
            sort::<()>("x", Err(limited)),
            Err(Stop::RateLimited(wait)) if wait == Duration::from_secs(3)
        ));
        let down = ZoomError::Transient("HTTP 500".into());
        assert!(matches!(sort::<()>("x", Err(down)), Err(Stop::Failed(_))));
        let gone = ZoomError::NotFound { code: 3001 };
        assert!(matches!(sort::<()>("x", Err(gone)), Ok(None)));
        let refused = ZoomError::Forbidden {
            code: 4700,
            message: String::new(),
        };
        assert!(matches!(sort::<()>("x", Err(refused)), Ok(None)));
        assert!(matches!(sort("x", Ok(7)), Ok(Some(7))));
    }

    #[test]
    fn a_recording_counts_once_every_file_is_done() {
        let with = |status: &str| {
            json!({"share_url": "https://zoom.us/rec/share/x",
                   "recording_files": [{"status": "completed"}, {"status": status}]})
        };
        assert!(recording_ready(&with("completed")));
        assert!(!recording_ready(&with("processing")));
        assert!(!recording_ready(
            &json!({"share_url": "", "recording_files": []})
        ));
        assert!(recording_ready(
            &json!({"share_url": "https://zoom.us/rec/share/x"})
        ));
    }

    #[test]
    fn a_budget_runs_out() {
        let mut budget = Budget(2);
        assert!(budget.take() && budget.take());
        assert!(!budget.take());
    }

    #[test]
    fn zoom_times_read_as_milliseconds() {
        assert_eq!(millis(Some("1970-01-01T00:00:01Z")), Some(1_000));
        assert_eq!(millis(Some("soon")), None);
        assert_eq!(millis(None), None);
    }

    #[test]
    fn only_known_reasons_become_labels() {
        assert_eq!(reason_label("periodic"), "periodic");
        assert_eq!(reason_label("websocket.connected"), "request");
    }
}
