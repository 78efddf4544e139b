//! Workers on one database, running jobs of their own through a gate the
//! test opens: a claim is a short lease kept alive by a heartbeat, a dead
//! worker's jobs are taken over once their lease ran out, a worker that
//! cannot renew stops its job before anyone may take it over, and a
//! graceful stop hands back what it claimed but never started.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use zlack::clock::{Clock, ManualClock, SystemClock};
use zlack::config::{Config, Sources};
use zlack::services::Services;
use zlack::store::{ClaimedJob, JobStatus, NewJob, Store};
use zlack::worker::{Attempt, Execute, Worker};

use crate::helpers::db::{TestDb, test_key};
use crate::helpers::process::eventually;

const LEASE_MS: i64 = 15_000;
const WAIT: Duration = Duration::from_secs(10);

/// What the test jobs did, by which worker.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<String>>>);

impl Log {
    fn push(&self, line: String) {
        self.0.lock().unwrap().push(line);
    }

    fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }

    fn has(&self, line: &str) -> bool {
        self.lines().iter().any(|l| l == line)
    }
}

/// Jobs that log when they start, wait for the gate, then log their
/// effect; an attempt dropped before the gate opened logs that instead.
struct Gated {
    name: &'static str,
    log: Log,
    gate: watch::Receiver<bool>,
}

struct Dropped {
    line: Option<String>,
    log: Log,
}

impl Drop for Dropped {
    fn drop(&mut self) {
        if let Some(line) = self.line.take() {
            self.log.push(line);
        }
    }
}

impl Execute for Gated {
    fn run<'a>(&'a self, _svc: &'a Services, job: &'a ClaimedJob) -> Attempt<'a> {
        Box::pin(async move {
            let key = &job.idempotency_key;
            self.log.push(format!("{} started {key}", self.name));
            let mut guard = Dropped {
                line: Some(format!("{} stopped {key}", self.name)),
                log: self.log.clone(),
            };
            let mut gate = self.gate.clone();
            let _ = gate.wait_for(|open| *open).await;
            guard.line = None;
            self.log.push(format!("{} effect {key}", self.name));
            Ok(())
        })
    }

    fn rate_scope(&self, _job: &ClaimedJob) -> Option<String> {
        None
    }
}

struct World {
    db: TestDb,
    clock: Arc<ManualClock>,
    log: Log,
}

impl World {
    async fn new() -> Self {
        Self {
            db: TestDb::new().await,
            clock: ManualClock::at_ms(SystemClock.now_ms()),
            log: Log::default(),
        }
    }

    /// A worker of its own (its own connections), named `name`, whose jobs
    /// wait for the returned gate.
    async fn worker(
        &self,
        name: &'static str,
        slots: usize,
    ) -> (Worker, Store, watch::Sender<bool>) {
        let store = self.db.store().await;
        let pairs = [
            ("ZLACK_DATABASE_URL", self.db.url.clone()),
            ("ZLACK_ENCRYPTION_KEY", test_key().to_base64()),
        ];
        let config = Config::parse(&Sources::from_pairs(
            pairs.iter().map(|(k, v)| (*k, v.as_str())),
        ))
        .unwrap();
        let svc = Services::new(Arc::new(config), store.clone(), self.clock.clone());
        let (open, gate) = watch::channel(false);
        let jobs = Gated {
            name,
            log: self.log.clone(),
            gate,
        };
        let worker = Worker::with_executor(svc, slots, LEASE_MS, Arc::new(jobs));
        (worker, store, open)
    }

    async fn queue(&self, store: &Store, key: &str) {
        let job = NewJob::new("test.gated", key, json!({}), self.clock.now_ms());
        store
            .enqueue_now(&[job], self.clock.now_ms())
            .await
            .unwrap();
    }

    async fn until(&self, what: &str, line: &str) {
        let log = self.log.clone();
        let line = line.to_owned();
        eventually(what, WAIT, move || {
            let log = log.clone();
            let line = line.clone();
            async move { log.has(&line) }
        })
        .await;
    }
}

/// Runs `worker` in the background as `serve` does; returns its stop.
fn run(worker: &Worker) -> (CancellationToken, tokio::task::JoinHandle<()>) {
    let stop = CancellationToken::new();
    let task = tokio::spawn(worker.clone().run(stop.clone(), Duration::from_millis(20)));
    (stop, task)
}

async fn lease_of(store: &Store) -> Option<i64> {
    let jobs = store.list_jobs(Some(JobStatus::Queued), 10).await.unwrap();
    jobs.first().and_then(|j| j.locked_until)
}

#[tokio::test]
async fn jobs_of_a_dead_worker_are_taken_over_once_when_their_lease_runs_out() {
    let w = World::new().await;
    let (_, store, _) = w.worker("dead", 4).await;
    for key in ["j1", "j2", "j3"] {
        w.queue(&store, key).await;
    }
    // A worker claims the jobs and dies at once: nothing renews them.
    let claimed = store
        .claim_jobs("dead-worker", w.clock.now_ms(), LEASE_MS, 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 3);
    let (live, _, open) = w.worker("live", 4).await;
    open.send(true).unwrap();
    assert!(
        live.run_once().await.unwrap().is_empty(),
        "a lease that holds is not taken over"
    );
    w.clock.advance_ms(LEASE_MS);
    let ran = live.run_once().await.unwrap();
    assert_eq!(ran.len(), 3, "taken over as soon as the lease ran out");
    assert!(live.run_once().await.unwrap().is_empty());
    let mut effects: Vec<String> = w
        .log
        .lines()
        .into_iter()
        .filter(|l| l.contains("effect"))
        .collect();
    effects.sort();
    assert_eq!(
        effects,
        ["live effect j1", "live effect j2", "live effect j3"]
    );
}

#[tokio::test]
async fn a_running_jobs_lease_is_renewed_so_no_one_takes_it_over() {
    let w = World::new().await;
    let (a, store, open_a) = w.worker("a", 4).await;
    let (b, _, open_b) = w.worker("b", 4).await;
    open_b.send(true).unwrap();
    let (stop, task) = run(&a);
    w.queue(&store, "long").await;
    w.until("a starts the job", "a started long").await;
    // Four lease lengths pass in steps; the heartbeat renews after each.
    for _ in 0..12 {
        let before = lease_of(&store).await.expect("leased");
        w.clock.advance_ms(LEASE_MS / 3);
        let store = store.clone();
        eventually("the heartbeat renews the lease", WAIT, move || {
            let store = store.clone();
            async move { lease_of(&store).await.is_some_and(|until| until > before) }
        })
        .await;
        assert!(
            b.run_once().await.unwrap().is_empty(),
            "nobody takes it over"
        );
    }
    open_a.send(true).unwrap();
    w.until("a finishes", "a effect long").await;
    stop.cancel();
    task.await.unwrap();
    assert!(b.run_once().await.unwrap().is_empty());
    assert_eq!(w.log.lines(), ["a started long", "a effect long"]);
}

#[tokio::test]
async fn a_job_whose_lease_cannot_be_renewed_stops_before_it_could_run_twice() {
    let w = World::new().await;
    let (a, store_a, open_a) = w.worker("a", 4).await;
    let (b, store_b, open_b) = w.worker("b", 4).await;
    open_b.send(true).unwrap();
    let (stop, task) = run(&a);
    w.queue(&store_b, "effect-once").await;
    w.until("a starts the job", "a started effect-once").await;
    // a loses its database: its heartbeat can renew nothing any more.
    store_a.close().await;
    w.clock.advance_ms(LEASE_MS - 2_000);
    w.until("a stops the job", "a stopped effect-once").await;
    // Whatever a was waiting for comes back now: too late, it stopped.
    open_a.send(true).unwrap();
    w.clock.advance_ms(2_000);
    let ran = b.run_once().await.unwrap();
    assert_eq!(ran.len(), 1, "b takes over once the lease ran out");
    stop.cancel();
    task.await.unwrap();
    let effects: Vec<String> = w
        .log
        .lines()
        .into_iter()
        .filter(|l| l.contains("effect "))
        .collect();
    assert_eq!(effects, ["b effect effect-once"], "{:?}", w.log.lines());
}

#[tokio::test]
async fn a_graceful_stop_hands_back_jobs_that_had_not_started() {
    let w = World::new().await;
    let (a, store_a, open_a) = w.worker("a", 1).await;
    let (b, _, open_b) = w.worker("b", 4).await;
    open_b.send(true).unwrap();
    let (stop, task) = run(&a);
    let slot = store_a.local_runner().clone();
    eventually("a takes local work", WAIT, move || {
        let slot = slot.clone();
        async move { slot.get().is_some() }
    })
    .await;
    // Queued by a's process: both are a's at once; one slot runs the first.
    w.queue(&store_a, "first").await;
    w.queue(&store_a, "second").await;
    w.until("a starts the first", "a started first").await;
    assert!(
        b.run_once().await.unwrap().is_empty(),
        "a holds both jobs while it lives"
    );
    stop.cancel();
    // The clock stands still: only a hand-back lets b have it.
    eventually("b takes the handed-back job", WAIT, || {
        let b = b.clone();
        async move { !b.run_once().await.unwrap().is_empty() }
    })
    .await;
    open_a.send(true).unwrap();
    task.await.unwrap();
    let mut effects: Vec<String> = w
        .log
        .lines()
        .into_iter()
        .filter(|l| l.contains("effect"))
        .collect();
    effects.sort();
    assert_eq!(effects, ["a effect first", "b effect second"]);
    assert!(!w.log.has("a started second"));
}
