//! Remembers `Retry-After` answers per scope (a Slack method in a
//! workspace, a Zoom account), so jobs queued behind a rate-limited one wait
//! too instead of each spending a request to learn the same thing.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::clock::Millis;

/// The scopes now closed by a `Retry-After`, and until when.
#[derive(Debug, Default)]
pub struct RateGate {
    closed_until: Mutex<HashMap<String, Millis>>,
}

impl RateGate {
    /// When the scope opens again, if it is closed at `now`.
    pub fn closed_until(&self, scope: &str, now: Millis) -> Option<Millis> {
        let mut map = self.closed_until.lock().unwrap_or_else(|e| e.into_inner());
        match map.get(scope) {
            Some(&until) if until > now => Some(until),
            Some(_) => {
                map.remove(scope);
                None
            }
            None => None,
        }
    }

    /// Closes `scope` until `until`; a later time already set wins.
    pub fn close(&self, scope: &str, until: Millis) {
        let mut map = self.closed_until.lock().unwrap_or_else(|e| e.into_inner());
        let entry = map.entry(scope.to_owned()).or_insert(until);
        *entry = (*entry).max(until);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_scope_opens_when_its_time_comes() {
        let gate = RateGate::default();
        gate.close("slack:T1:chat.postMessage", 1_000);
        assert_eq!(
            gate.closed_until("slack:T1:chat.postMessage", 500),
            Some(1_000)
        );
        assert_eq!(gate.closed_until("slack:T2:chat.postMessage", 500), None);
        assert_eq!(gate.closed_until("slack:T1:chat.postMessage", 1_000), None);
    }

    #[test]
    fn a_shorter_wait_never_shortens_a_longer_one() {
        let gate = RateGate::default();
        gate.close("s", 2_000);
        gate.close("s", 1_000);
        assert_eq!(gate.closed_until("s", 0), Some(2_000));
    }
}
