//! Which claimed job runs next: slots shared fairly among tenants.
//!
//! Jobs wait here once claimed, each in its tenant's queue (first in, first
//! out). A free slot goes to the waiting tenant running the fewest jobs, so
//! a workspace with a backlog of hundreds (a large meeting filling up)
//! takes turns with one that just typed `/zoom`. No tenant may hold more
//! than its cap of the slots: the rest stay free for others even when the
//! busy tenant's jobs hang on a slow platform.

use std::collections::{HashMap, VecDeque};

use crate::store::ClaimedJob;

/// The slots of one worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Jobs running at once in this process.
    pub slots: usize,
    /// Jobs of one tenant running at once.
    pub per_tenant: usize,
}

impl Limits {
    /// `slots` in all; one tenant may use three quarters of them (all of
    /// them when there are fewer than four), so a quarter is always left
    /// for the others.
    pub fn new(slots: usize) -> Self {
        let slots = slots.max(1);
        Self {
            slots,
            per_tenant: (slots - slots / 4).max(1),
        }
    }
}

/// Claimed jobs waiting for a slot, and the slots in use.
#[derive(Debug)]
pub struct Scheduler {
    limits: Limits,
    waiting: HashMap<String, VecDeque<ClaimedJob>>,
    /// Tenants with waiting jobs, in the order they next get a turn when
    /// they run equally many.
    turns: VecDeque<String>,
    running: HashMap<String, usize>,
    running_total: usize,
    waiting_total: usize,
}

impl Scheduler {
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            waiting: HashMap::new(),
            turns: VecDeque::new(),
            running: HashMap::new(),
            running_total: 0,
            waiting_total: 0,
        }
    }

    /// Queues a claimed job.
    pub fn push(&mut self, job: ClaimedJob) {
        let queue = self.waiting.entry(job.tenant.clone()).or_default();
        if queue.is_empty() {
            self.turns.push_back(job.tenant.clone());
        }
        queue.push_back(job);
        self.waiting_total += 1;
    }

    /// The next job to run, counted as running, when a slot is free for it.
    pub fn start_next(&mut self) -> Option<ClaimedJob> {
        if self.running_total >= self.limits.slots {
            return None;
        }
        let (position, _) = self
            .turns
            .iter()
            .enumerate()
            .map(|(i, tenant)| (i, self.running_of(tenant)))
            .filter(|&(_, running)| running < self.limits.per_tenant)
            .min_by_key(|&(i, running)| (running, i))?;
        let tenant = self.turns.remove(position)?;
        let queue = self.waiting.get_mut(&tenant)?;
        let job = queue.pop_front()?;
        if queue.is_empty() {
            self.waiting.remove(&tenant);
        } else {
            self.turns.push_back(tenant.clone());
        }
        self.waiting_total -= 1;
        self.running_total += 1;
        *self.running.entry(tenant).or_default() += 1;
        Some(job)
    }

    /// A running job of `tenant` ended.
    pub fn finished(&mut self, tenant: &str) {
        if let Some(n) = self.running.get_mut(tenant) {
            *n -= 1;
            self.running_total -= 1;
            if *n == 0 {
                self.running.remove(tenant);
            }
        }
    }

    /// Takes a waiting job out (its lease was lost); true if it was here.
    pub fn remove(&mut self, id: i64, tenant: &str) -> bool {
        let Some(queue) = self.waiting.get_mut(tenant) else {
            return false;
        };
        let Some(position) = queue.iter().position(|j| j.id == id) else {
            return false;
        };
        queue.remove(position);
        self.waiting_total -= 1;
        if queue.is_empty() {
            self.waiting.remove(tenant);
            self.turns.retain(|t| t != tenant);
        }
        true
    }

    /// Every waiting job, taken out (to hand back at shutdown).
    pub fn drain(&mut self) -> Vec<ClaimedJob> {
        self.turns.clear();
        self.waiting_total = 0;
        self.waiting.drain().flat_map(|(_, q)| q).collect()
    }

    /// How many more jobs a claim should take: the slots not in use or
    /// spoken for by jobs already waiting.
    pub fn claim_room(&self) -> usize {
        self.limits
            .slots
            .saturating_sub(self.running_total + self.waiting_total)
    }

    /// Tenants that already have their cap's worth running or waiting: a
    /// claim should leave their jobs to others.
    pub fn saturated(&self) -> Vec<String> {
        let mut full: Vec<String> = self
            .running
            .keys()
            .chain(self.waiting.keys())
            .filter(|t| {
                self.running_of(t) + self.waiting.get(*t).map_or(0, VecDeque::len)
                    >= self.limits.per_tenant
            })
            .cloned()
            .collect();
        full.sort();
        full.dedup();
        full
    }

    /// Jobs running now.
    pub fn running(&self) -> usize {
        self.running_total
    }

    /// Jobs waiting for a slot.
    pub fn waiting(&self) -> usize {
        self.waiting_total
    }

    fn running_of(&self, tenant: &str) -> usize {
        self.running.get(tenant).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(id: i64, tenant: &str) -> ClaimedJob {
        ClaimedJob {
            id,
            claim: "c".into(),
            kind: "k".into(),
            idempotency_key: format!("k{id}"),
            payload: serde_json::Value::Null,
            attempts: 1,
            max_attempts: 12,
            tenant: tenant.into(),
        }
    }

    fn ids(s: &mut Scheduler) -> Vec<i64> {
        std::iter::from_fn(|| s.start_next())
            .map(|j| j.id)
            .collect()
    }

    #[test]
    fn a_quarter_of_the_slots_stays_free_for_other_tenants() {
        assert_eq!(Limits::new(1024).per_tenant, 768);
        assert_eq!(Limits::new(4).per_tenant, 3);
        assert_eq!(Limits::new(3).per_tenant, 3);
        assert_eq!(Limits::new(0).slots, 1);
    }

    #[test]
    fn a_backlog_takes_turns_with_a_newcomer() {
        let mut s = Scheduler::new(Limits::new(4));
        for id in 1..=10 {
            s.push(job(id, "slack:BIG"));
        }
        assert_eq!(
            ids(&mut s),
            vec![1, 2, 3],
            "the busy tenant stops at its cap"
        );
        s.push(job(100, "slack:SMALL"));
        assert_eq!(
            ids(&mut s),
            vec![100],
            "the kept slot goes to the other tenant"
        );
        s.finished("slack:BIG");
        s.push(job(101, "slack:SMALL"));
        assert_eq!(
            ids(&mut s),
            vec![101],
            "a free slot goes to whoever runs fewer"
        );
    }

    #[test]
    fn a_lone_tenant_uses_its_whole_cap_and_jobs_run_in_order() {
        let mut s = Scheduler::new(Limits::new(8));
        for id in 1..=10 {
            s.push(job(id, "slack:T"));
        }
        assert_eq!(ids(&mut s), vec![1, 2, 3, 4, 5, 6]);
        assert_eq!((s.running(), s.waiting()), (6, 4));
        assert_eq!(s.claim_room(), 0);
        assert_eq!(s.saturated(), vec!["slack:T".to_owned()]);
        for _ in 0..6 {
            s.finished("slack:T");
        }
        assert_eq!(ids(&mut s), vec![7, 8, 9, 10]);
    }

    #[test]
    fn removed_and_drained_jobs_leave_no_trace() {
        let mut s = Scheduler::new(Limits::new(1));
        s.push(job(1, "a"));
        s.push(job(2, "b"));
        s.push(job(3, "b"));
        assert!(s.remove(2, "b"));
        assert!(!s.remove(2, "b"));
        let mut left: Vec<i64> = s.drain().iter().map(|j| j.id).collect();
        left.sort();
        assert_eq!(left, vec![1, 3]);
        assert_eq!(s.start_next().map(|j| j.id), None);
        assert_eq!(s.claim_room(), 1);
    }
}
