//! Holding requests until a test lets them go: a platform that hangs for
//! one customer only.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::watch;

/// Requests to hold, by the bearer token they carry.
#[derive(Default)]
pub(crate) struct Holds {
    by_bearer: Mutex<HashMap<String, watch::Receiver<bool>>>,
}

/// Lets held requests go when opened or dropped.
pub struct Gate {
    open: watch::Sender<bool>,
    holds: Arc<Holds>,
    bearer: String,
}

impl std::fmt::Debug for Gate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gate").finish_non_exhaustive()
    }
}

impl Gate {
    /// Answers every held request, and every later one, at once.
    pub fn open(self) {}
}

impl Drop for Gate {
    fn drop(&mut self) {
        let _ = self.open.send(true);
        self.holds
            .by_bearer
            .lock()
            .expect("holds lock")
            .remove(&self.bearer);
    }
}

impl Holds {
    /// Holds every request carrying `bearer` until the gate opens.
    pub(crate) fn hold(self: &Arc<Self>, bearer: &str) -> Gate {
        let (open, rx) = watch::channel(false);
        self.by_bearer
            .lock()
            .expect("holds lock")
            .insert(bearer.to_owned(), rx);
        Gate {
            open,
            holds: Arc::clone(self),
            bearer: bearer.to_owned(),
        }
    }

    /// Waits while a gate holds `bearer`.
    pub(crate) async fn wait(&self, bearer: Option<&str>) {
        let Some(bearer) = bearer else { return };
        let held = self
            .by_bearer
            .lock()
            .expect("holds lock")
            .get(bearer)
            .cloned();
        if let Some(mut open) = held {
            let _ = open.wait_for(|open| *open).await;
        }
    }
}
