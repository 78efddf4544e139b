//! Everything request handlers and jobs use, built once at startup.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::clock::SharedClock;
use crate::config::Config;
use crate::slack::api::SlackApi;
use crate::store::Store;
use crate::zoom::api::ZoomApi;
use crate::zoom::oauth::ZoomOAuth;
use zlack_domain::i18n::Texts;

/// The dependencies every handler and job shares; cheap to clone.
#[derive(Clone)]
pub struct Services {
    /// Parsed once at startup.
    pub config: Arc<Config>,
    /// The database.
    pub store: Store,
    /// The Slack Web API client.
    pub slack: SlackApi,
    /// The Zoom REST API client.
    pub zoom: ZoomApi,
    /// Present when the Zoom client id and secret are configured.
    pub zoom_oauth: Option<ZoomOAuth>,
    /// What users read, in every supported language.
    pub texts: Arc<Texts>,
    /// The time source; tests pin it.
    pub clock: SharedClock,
    /// One refresh per credential in this process; the database lease
    /// extends that to every process.
    pub refreshing: Arc<KeyedLocks>,
    /// Names this process in database leases.
    pub process_id: Arc<str>,
    /// Whiteboard previews fetched lately.
    pub previews: Arc<crate::flows::preview::Cache>,
    /// Named leases this process's jobs hold, renewed by the worker's
    /// heartbeat.
    pub leases: Arc<HeldLeases>,
}

impl std::fmt::Debug for Services {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Services")
            .field("process_id", &self.process_id)
            .finish_non_exhaustive()
    }
}

impl Services {
    /// Builds the API clients over one HTTP client and names this process.
    pub fn new(config: Arc<Config>, store: Store, clock: SharedClock) -> Self {
        let http = crate::http_client::build();
        let zoom_oauth = match (&config.zoom.client_id, &config.zoom.client_secret) {
            (Some(id), Some(secret)) => Some(ZoomOAuth::new(
                http.clone(),
                &config.zoom.oauth_url,
                id,
                secret.clone(),
            )),
            _ => None,
        };
        Self {
            slack: SlackApi::new(http.clone(), &config.slack.api_url),
            zoom: ZoomApi::new(http, &config.zoom.api_url),
            zoom_oauth,
            texts: Arc::new(Texts::with_command(config.slash_command.as_str())),
            store,
            clock,
            refreshing: Arc::default(),
            previews: Arc::default(),
            leases: Arc::default(),
            process_id: format!(
                "{}-{}",
                std::process::id(),
                hex::encode(rand::random::<[u8; 6]>())
            )
            .into(),
            config,
        }
    }
}

/// Named leases (`leases` rows) held by jobs of this process, by name,
/// with their holder: the heartbeat renews them while the jobs run, so a
/// short lease never runs out under a live holder, and a dead one's runs
/// out soon.
#[derive(Debug, Default)]
pub struct HeldLeases {
    held: Mutex<HashMap<String, String>>,
}

impl HeldLeases {
    /// Records that `holder` holds `name`.
    pub fn hold(&self, name: &str, holder: &str) {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        held.insert(name.to_owned(), holder.to_owned());
    }

    /// Forgets `name` (released, or given up).
    pub fn forget(&self, name: &str) {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        held.remove(name);
    }

    /// Extends every held lease that has not run out to `until`.
    pub async fn renew(
        &self,
        store: &crate::store::Store,
        until: crate::clock::Millis,
        now: crate::clock::Millis,
    ) -> Result<(), crate::store::StoreError> {
        let held: Vec<(String, String)> = {
            let held = self.held.lock().unwrap_or_else(|e| e.into_inner());
            held.iter().map(|(n, h)| (n.clone(), h.clone())).collect()
        };
        store.renew_leases(&held, until, now).await
    }
}

/// Async mutexes by name, made on first use.
#[derive(Default)]
pub struct KeyedLocks {
    locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl KeyedLocks {
    /// The lock for `key`, made on first use.
    pub fn get(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self.locks.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(key.to_owned()).or_default().clone()
    }

    /// Forgets the lock for `key` when nobody holds it or waits for it
    /// (only the map's own reference is left).
    pub fn release(&self, key: &str) {
        let mut map = self.locks.lock().unwrap_or_else(|e| e.into_inner());
        if map
            .get(key)
            .is_some_and(|lock| Arc::strong_count(lock) == 1)
        {
            map.remove(key);
        }
    }
}

#[cfg(test)]
mod keyed_lock_tests {
    use super::KeyedLocks;

    #[tokio::test]
    async fn a_released_key_is_forgotten_only_when_nobody_holds_it() {
        let locks = KeyedLocks::default();
        let held = locks.get("a");
        let guard = held.lock().await;
        locks.release("a");
        assert!(
            std::sync::Arc::ptr_eq(&held, &locks.get("a")),
            "kept while held"
        );
        drop(guard);
        drop(held);
        let before = locks.get("a");
        drop(before);
        locks.release("a");
        assert_eq!(locks.locks.lock().unwrap().len(), 0, "forgotten once free");
    }
}
