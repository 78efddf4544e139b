//! The local worker, as the store sees it: jobs queued by this process are
//! written already claimed by it, and handed to it when their transaction
//! commits, so they start at once instead of waiting to be found.

use std::sync::{Arc, RwLock};

use super::jobs::ClaimedJob;
use crate::clock::Millis;

/// A worker in this process that takes jobs as they are queued.
pub trait LocalRunner: Send + Sync + 'static {
    /// Names the worker in claims (`jobs.owner`).
    fn owner(&self) -> &str;
    /// How long a claim holds before it must be renewed.
    fn lease_ms(&self) -> Millis;
    /// How many more jobs it takes now; the rest are left for any worker.
    fn room(&self) -> usize;
    /// Takes committed jobs claimed for it.
    fn start(&self, jobs: Vec<ClaimedJob>);
    /// Work comes due at `at` (a delayed job or a retry).
    fn due_at(&self, at: Millis);
}

/// The slot a running worker fills; empty while none runs here.
#[derive(Clone, Default)]
pub struct LocalSlot(Arc<RwLock<Option<Arc<dyn LocalRunner>>>>);

impl std::fmt::Debug for LocalSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalSlot")
            .field("filled", &self.get().is_some())
            .finish()
    }
}

impl LocalSlot {
    /// The worker, if one runs.
    pub fn get(&self) -> Option<Arc<dyn LocalRunner>> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Puts a worker in the slot, or empties it.
    pub fn set(&self, runner: Option<Arc<dyn LocalRunner>>) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = runner;
    }
}
