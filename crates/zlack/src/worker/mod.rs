//! The worker: runs jobs outside any database transaction and settles each
//! as done, retried (with backoff or as long as `Retry-After` says) or
//! dead-lettered.
//!
//! Jobs wait on Slack and Zoom, not on the CPU, so a worker runs hundreds
//! at once, shared fairly among workspaces ([`scheduler`]). Jobs queued by
//! this process are written already claimed by it and start the moment
//! their transaction commits; polling only finds work queued elsewhere,
//! retries coming due and jobs of dead workers. Claims are short leases
//! that a heartbeat renews while the job runs ([`lease`]), so a crashed
//! process's jobs are taken over within seconds.

mod execute;
mod lease;
pub mod pressure;
pub mod rate_gate;
pub mod retry;
pub mod scheduler;
mod upkeep;

use std::collections::{BinaryHeap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

pub use execute::{Attempt, Catalogue, Execute};
pub use upkeep::KEEP_FINISHED_MS;

use crate::clock::Millis;
use crate::job::{JobError, JobResult};
use crate::services::Services;
use crate::store::{ClaimLimits, ClaimedJob, LocalRunner, Settlement, StoreError};
use lease::Held;
use pressure::{AckPressure, Allowance};
use rate_gate::RateGate;
use scheduler::{Limits, Scheduler};

/// How long a claim holds unless its worker's heartbeat renews it; a dead
/// worker's jobs are taken over this long after its last heartbeat.
pub const DEFAULT_LEASE_MS: Millis = 15_000;
/// How long one attempt may run.
const JOB_TIME_LIMIT: Duration = Duration::from_secs(4 * 60);
/// Claimed jobs a worker keeps waiting beyond its slots, as a multiple of
/// them: work queued here starts here, up to this backlog.
const BACKLOG_PER_SLOT: usize = 2;
/// Future due times a worker remembers to wake for; beyond that, polling
/// finds them.
const MAX_DUE_TIMES: usize = 4096;

/// One settled attempt, as `run_once` reports it.
#[derive(Debug, Clone)]
pub struct Ran {
    /// The job's row id.
    pub job_id: i64,
    /// The job kind, such as `inbox.process`.
    pub kind: String,
    /// How the attempt was recorded.
    pub settlement: Settlement,
}

/// Runs queued jobs; clones share one identity, one rate gate and one set
/// of slots.
#[derive(Clone)]
pub struct Worker {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker")
            .field("id", &self.inner.id)
            .finish_non_exhaustive()
    }
}

struct Inner {
    id: String,
    svc: Services,
    limits: Limits,
    lease_ms: Millis,
    gate: RateGate,
    executor: Arc<dyn Execute>,
    state: Mutex<State>,
    /// Wakes the claim loop.
    kick: Notify,
    /// The last claim took all it was allowed: more may be waiting.
    more_waiting: AtomicBool,
    /// Shutting down: nothing new starts.
    stopping: AtomicBool,
    running: TaskTracker,
    /// Requests waiting to be acknowledged: while many do, new jobs start
    /// at a modest pace.
    acks: Arc<AckPressure>,
    /// A look again is scheduled for jobs held back by [`Self::acks`].
    recheck: AtomicBool,
    /// When this process may run the retention purge next (clock time);
    /// locked while it runs.
    retention_due: tokio::sync::Mutex<Millis>,
}

/// The jobs this worker holds, and when known work comes due.
struct State {
    scheduler: Scheduler,
    held: HashMap<i64, Held>,
    due: BinaryHeap<std::cmp::Reverse<Millis>>,
    /// Starts allowed while acknowledgements are busy.
    allowance: Allowance,
}

impl Worker {
    /// A worker running zlack's jobs, at most `slots` at once (at least
    /// one), with the default lease.
    pub fn new(svc: Services, slots: usize) -> Self {
        Self::with_executor(svc, slots, DEFAULT_LEASE_MS, Arc::new(Catalogue))
    }

    /// A worker running jobs through `executor`, with claims that hold
    /// `lease_ms` unless renewed.
    pub fn with_executor(
        svc: Services,
        slots: usize,
        lease_ms: Millis,
        executor: Arc<dyn Execute>,
    ) -> Self {
        let id = format!(
            "{}-{}",
            std::process::id(),
            hex::encode(rand::random::<[u8; 6]>())
        );
        let limits = Limits::new(slots);
        Self {
            inner: Arc::new(Inner {
                id,
                svc,
                limits,
                lease_ms: lease_ms.max(1_000),
                gate: RateGate::default(),
                executor,
                state: Mutex::new(State {
                    scheduler: Scheduler::new(limits),
                    held: HashMap::new(),
                    due: BinaryHeap::new(),
                    allowance: Allowance::default(),
                }),
                kick: Notify::new(),
                more_waiting: AtomicBool::new(false),
                stopping: AtomicBool::new(false),
                running: TaskTracker::new(),
                acks: Arc::default(),
                recheck: AtomicBool::new(false),
                retention_due: tokio::sync::Mutex::new(Millis::MIN),
            }),
        }
    }

    /// Counts the requests waiting to be acknowledged, shared with the
    /// ingest writer.
    pub fn ack_pressure(&self) -> Arc<AckPressure> {
        self.inner.acks.clone()
    }

    /// The services its jobs run with.
    pub fn services(&self) -> &Services {
        &self.inner.svc
    }

    /// Names this worker in job claims: process id and a random suffix.
    pub fn id(&self) -> &str {
        &self.inner.id
    }

    /// Claims what is due now (up to the slots), runs it all and returns
    /// how each attempt was settled. Tests drive the worker with it.
    pub async fn run_once(&self) -> Result<Vec<Ran>, StoreError> {
        let jobs = self.claim(self.inner.limits.slots, &[]).await?;
        let mut tasks = JoinSet::new();
        for job in jobs {
            let worker = self.clone();
            tasks.spawn(async move { worker.attempt(job, CancellationToken::new()).await });
        }
        let mut ran = Vec::new();
        while let Some(result) = tasks.join_next().await {
            if let Ok(Some(r)) = result {
                ran.push(r);
            }
        }
        ran.sort_by_key(|r| r.job_id);
        Ok(ran)
    }

    /// Runs until `shutdown`: then hands back the jobs it claimed but did
    /// not start, lets running jobs finish (their leases renewed), and
    /// returns. Jobs queued through this process's store come straight
    /// here; `poll` is how often it looks for work queued elsewhere.
    pub async fn run(self, shutdown: CancellationToken, poll: Duration) {
        let store = &self.inner.svc.store;
        store
            .local_runner()
            .set(Some(Arc::new(self.clone()) as Arc<dyn LocalRunner>));
        let beating = CancellationToken::new();
        let heartbeat = tokio::spawn(self.clone().heartbeat(beating.clone()));
        let mut next_prune = tokio::time::Instant::now();
        // The first tick comes one tick after the start, so starting adds
        // no job to the work a process first finds.
        let reconcile_every = upkeep::reconcile_tick(&self.inner.svc);
        let mut next_reconcile = tokio::time::Instant::now() + reconcile_every;
        while !shutdown.is_cancelled() {
            if tokio::time::Instant::now() >= next_prune {
                self.prune().await;
                next_prune += upkeep::PRUNE_EVERY;
            }
            if tokio::time::Instant::now() >= next_reconcile {
                self.queue_reconcile().await;
                next_reconcile = tokio::time::Instant::now() + reconcile_every;
            }
            self.claim_more().await;
            let wait = self
                .until_next_due()
                .map_or(poll, |d| d.min(poll))
                .min(next_reconcile.saturating_duration_since(tokio::time::Instant::now()));
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = self.inner.kick.notified() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
        store.local_runner().set(None);
        self.inner.stopping.store(true, Ordering::SeqCst);
        self.hand_back_waiting().await;
        self.inner.running.close();
        self.inner.running.wait().await;
        beating.cancel();
        let _ = heartbeat.await;
    }

    /// Claims as much as there is room for, leaving tenants that have
    /// their share alone.
    async fn claim_more(&self) {
        let (room, skip) = {
            let state = self.state();
            (state.scheduler.claim_room(), state.scheduler.saturated())
        };
        if room == 0 {
            // Slots are full: look again as soon as one frees.
            self.inner.more_waiting.store(true, Ordering::SeqCst);
            return;
        }
        match self.claim(room, &skip).await {
            Ok(jobs) => {
                self.inner
                    .more_waiting
                    .store(jobs.len() == room, Ordering::SeqCst);
                self.take(jobs);
            }
            Err(error) => tracing::error!(%error, "claiming jobs failed"),
        }
    }

    async fn claim(&self, limit: usize, skip: &[String]) -> Result<Vec<ClaimedJob>, StoreError> {
        let svc = &self.inner.svc;
        let limits = ClaimLimits {
            limit,
            skip_tenants: skip,
        };
        svc.store
            .claim(
                &self.inner.id,
                svc.clock.now_ms(),
                self.inner.lease_ms,
                limits,
            )
            .await
    }

    /// Holds claimed jobs and starts as many as there are slots for.
    fn take(&self, jobs: Vec<ClaimedJob>) {
        if jobs.is_empty() {
            return;
        }
        if self.inner.stopping.load(Ordering::SeqCst) {
            // Committed while this worker stopped: give them to others now.
            let worker = self.clone();
            tokio::spawn(async move { worker.hand_back(jobs).await });
            return;
        }
        let lease_until = self.inner.svc.clock.now_ms() + self.inner.lease_ms;
        {
            let mut state = self.state();
            for job in jobs {
                state.held.insert(job.id, Held::new(&job, lease_until));
                state.scheduler.push(job);
            }
        }
        self.pump();
    }

    /// Starts waiting jobs while slots are free; while many requests wait
    /// to be acknowledged, only as many as the allowance lets through.
    fn pump(&self) {
        if self.inner.stopping.load(Ordering::SeqCst) {
            return;
        }
        let mut state = self.state();
        loop {
            if state.scheduler.waiting() == 0 {
                break;
            }
            if self.inner.acks.busy() && !state.allowance.take(std::time::Instant::now()) {
                self.recheck_soon();
                break;
            }
            let Some(job) = state.scheduler.start_next() else {
                break;
            };
            let Some(held) = state.held.get_mut(&job.id) else {
                state.scheduler.finished(&job.tenant);
                continue;
            };
            held.started = true;
            let cancel = held.cancel.clone();
            let worker = self.clone();
            self.inner.running.spawn(async move {
                let (id, claim, tenant) = (job.id, job.claim.clone(), job.tenant.clone());
                worker.attempt(job, cancel).await;
                worker.release(id, &claim, &tenant);
            });
        }
    }

    /// Pumps again shortly (once, however often asked meanwhile).
    fn recheck_soon(&self) {
        if self.inner.recheck.swap(true, Ordering::SeqCst) {
            return;
        }
        let worker = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(pressure::RECHECK).await;
            worker.inner.recheck.store(false, Ordering::SeqCst);
            worker.pump();
        });
    }

    /// A running job ended: its slot goes to the next one. The job is no
    /// longer held, unless it was claimed again since (its lease ran out
    /// and this worker took it over itself).
    fn release(&self, id: i64, claim: &str, tenant: &str) {
        {
            let mut state = self.state();
            if state.held.get(&id).is_some_and(|held| held.claim == claim) {
                state.held.remove(&id);
            }
            state.scheduler.finished(tenant);
        }
        self.pump();
        if self.inner.more_waiting.load(Ordering::SeqCst) {
            self.inner.kick.notify_one();
        }
    }

    /// Gives the claims of jobs that never started back to the database.
    async fn hand_back_waiting(&self) {
        let waiting = {
            let mut state = self.state();
            let waiting = state.scheduler.drain();
            for job in &waiting {
                state.held.remove(&job.id);
            }
            waiting
        };
        self.hand_back(waiting).await;
    }

    async fn hand_back(&self, jobs: Vec<ClaimedJob>) {
        if jobs.is_empty() {
            return;
        }
        let svc = &self.inner.svc;
        match svc.store.hand_back(&jobs, svc.clock.now_ms()).await {
            Ok(n) => tracing::info!(jobs = n, "handed back jobs that had not started"),
            // Their leases run out by themselves: then others take them.
            Err(error) => tracing::warn!(%error, "handing back jobs failed"),
        }
    }

    /// Runs one attempt unless `cancel` (a lost lease) stops it first, and
    /// settles it.
    async fn attempt(&self, job: ClaimedJob, cancel: CancellationToken) -> Option<Ran> {
        let svc = &self.inner.svc;
        let outcome = tokio::select! {
            outcome = self.execute(&job) => outcome,
            _ = cancel.cancelled() => {
                // Another worker may run it now: this one must not settle.
                tracing::warn!(job = job.id, kind = %job.kind, "job stopped: its lease could not be renewed");
                metrics::counter!("zlack_jobs_total", "kind" => job.kind.clone(), "outcome" => "lease_lost")
                    .increment(1);
                return None;
            }
        };
        let now = svc.clock.now_ms();
        let settlement = self.settlement(&job, outcome, now);
        let label = match &settlement {
            Settlement::Done => "done",
            Settlement::Retry { counts: false, .. } => "rate_limited",
            Settlement::Retry { .. } => "retry",
            Settlement::Dead { .. } => "dead",
        };
        metrics::counter!("zlack_jobs_total", "kind" => job.kind.clone(), "outcome" => label)
            .increment(1);
        if let Settlement::Dead { error } = &settlement {
            tracing::warn!(job = job.id, kind = %job.kind, attempts = job.attempts, %error, "job dead-lettered");
        }
        match svc.store.settle_job(&job, &settlement, now).await {
            Ok(true) => {
                if let Settlement::Retry { run_at, .. } = &settlement {
                    self.due_at(*run_at);
                }
            }
            Ok(false) => tracing::warn!(job = job.id, "job lease lost before settling"),
            Err(error) => tracing::error!(job = job.id, %error, "settling job failed"),
        }
        Some(Ran {
            job_id: job.id,
            kind: job.kind,
            settlement,
        })
    }

    async fn execute(&self, job: &ClaimedJob) -> JobResult {
        let svc = &self.inner.svc;
        let now = svc.clock.now_ms();
        if let Some(scope) = self.inner.executor.rate_scope(job)
            && let Some(until) = self.inner.gate.closed_until(&scope, now)
        {
            let wait = Duration::from_millis((until - now).max(0) as u64);
            return Err(JobError::RateLimited { scope, wait });
        }
        match tokio::time::timeout(JOB_TIME_LIMIT, self.inner.executor.run(svc, job)).await {
            Ok(outcome) => outcome,
            Err(_) => Err(JobError::transient("the job ran past its time limit")),
        }
    }

    fn settlement(&self, job: &ClaimedJob, result: JobResult, now: Millis) -> Settlement {
        let mut rng = rand::thread_rng();
        match result {
            Ok(()) => Settlement::Done,
            Err(JobError::RateLimited { scope, wait }) => {
                let delay = retry::next_delay(job.attempts, Some(wait), &mut rng);
                self.inner
                    .gate
                    .close(&scope, now + wait.as_millis() as Millis);
                Settlement::Retry {
                    run_at: now + delay.as_millis() as Millis,
                    error: format!("rate limited ({scope})"),
                    counts: false,
                }
            }
            Err(JobError::Transient(error)) if job.attempts >= job.max_attempts => {
                Settlement::Dead {
                    error: format!("gave up after {} attempts: {error}", job.attempts),
                }
            }
            Err(JobError::Transient(error)) => {
                let delay = retry::next_delay(job.attempts, None, &mut rng);
                Settlement::Retry {
                    run_at: now + delay.as_millis() as Millis,
                    error,
                    counts: true,
                }
            }
            Err(JobError::Permanent(error)) => Settlement::Dead { error },
        }
    }

    /// Remembers that work comes due at `at`, to claim it then.
    fn due_at(&self, at: Millis) {
        let mut state = self.state();
        if state.due.len() < MAX_DUE_TIMES {
            state.due.push(std::cmp::Reverse(at));
        }
        drop(state);
        self.inner.kick.notify_one();
    }

    /// How long until the earliest remembered due time (zero if passed).
    fn until_next_due(&self) -> Option<Duration> {
        let now = self.inner.svc.clock.now_ms();
        let mut state = self.state();
        let mut next = None;
        while let Some(&std::cmp::Reverse(at)) = state.due.peek() {
            if at <= now {
                state.due.pop();
                next = Some(Duration::ZERO);
            } else {
                next = Some(next.unwrap_or(Duration::from_millis((at - now) as u64)));
                break;
            }
        }
        next
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.inner.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl LocalRunner for Worker {
    fn owner(&self) -> &str {
        &self.inner.id
    }

    fn lease_ms(&self) -> Millis {
        self.inner.lease_ms
    }

    fn room(&self) -> usize {
        if self.inner.stopping.load(Ordering::SeqCst) {
            return 0;
        }
        let held = self.state().held.len();
        (self.inner.limits.slots * BACKLOG_PER_SLOT).saturating_sub(held)
    }

    fn start(&self, jobs: Vec<ClaimedJob>) {
        self.take(jobs);
    }

    fn due_at(&self, at: Millis) {
        Worker::due_at(self, at);
    }
}
