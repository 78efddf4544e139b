//! The test's handle on the fake's Socket Mode: the app token, envelopes
//! to push, disconnects, and what was acknowledged.

use super::{FakeSlack, SocketAck, socket};
use std::time::Duration;

impl FakeSlack {
    /// Makes `token` the app-level token `apps.connections.open` accepts.
    pub fn set_app_token(&self, token: &str) {
        self.shared.socket.data().app_token = Some(token.to_owned());
    }

    /// How long an envelope waits for its ack before it is delivered
    /// again (three seconds unless set).
    pub fn set_socket_redelivery(&self, after: Duration) {
        self.shared.socket.set_redelivery(after);
    }

    /// Socket Mode connections open now, oldest first.
    pub fn socket_connections(&self) -> Vec<u64> {
        self.shared.socket.open_connections()
    }

    /// How many Socket Mode connections were ever opened (said `hello`).
    pub fn socket_connections_opened(&self) -> usize {
        self.shared.socket.opened()
    }

    /// Waits until at least `n` Socket Mode connections are open and
    /// returns them; panics after `timeout`.
    pub async fn wait_for_socket_connections(&self, n: usize, timeout: Duration) -> Vec<u64> {
        self.wait_socket(timeout, || {
            let open = self.socket_connections();
            (open.len() >= n).then_some(open)
        })
        .await
        .unwrap_or_else(|| panic!("{n} Socket Mode connections within {timeout:?}"))
    }

    /// Waits until connection `id` is closed; panics after `timeout`.
    pub async fn wait_for_socket_closed(&self, id: u64, timeout: Duration) {
        self.wait_socket(timeout, || {
            (!self.socket_connections().contains(&id)).then_some(())
        })
        .await
        .unwrap_or_else(|| panic!("connection {id} closed within {timeout:?}"));
    }

    /// Sends a `slash_commands` envelope: `fields` (as from
    /// [`crate::slash_command_fields`]) as a JSON object. Returns its id.
    pub fn push_slash_command<K: AsRef<str>, V: AsRef<str>>(&self, fields: &[(K, V)]) -> String {
        let object: serde_json::Map<String, serde_json::Value> = fields
            .iter()
            .map(|(k, v)| (k.as_ref().to_owned(), v.as_ref().into()))
            .collect();
        self.shared
            .socket
            .push("slash_commands", object.into(), true)
    }

    /// Sends an `events_api` envelope carrying `event_callback` (as from
    /// [`crate::slack_event_callback`]). Returns its id.
    pub fn push_event(&self, event_callback: &serde_json::Value) -> String {
        self.shared
            .socket
            .push("events_api", event_callback.clone(), false)
    }

    /// Sends an `interactive` envelope carrying `payload`. Returns its id.
    pub fn push_interaction(&self, payload: &serde_json::Value) -> String {
        let accepts = payload["type"] == "view_submission";
        self.shared
            .socket
            .push("interactive", payload.clone(), accepts)
    }

    /// Sends an envelope of any `kind`. Returns its id.
    pub fn push_envelope(&self, kind: &str, payload: &serde_json::Value) -> String {
        self.shared.socket.push(kind, payload.clone(), false)
    }

    /// Delivers envelope `id` again (`retry_attempt` + 1, `retry_reason`
    /// `timeout`), even when it was acknowledged.
    pub fn redeliver_envelope(&self, id: &str) {
        self.shared.socket.redeliver(id);
    }

    /// Sends `{"type":"disconnect","reason":reason}` over connection `id`;
    /// envelopes no longer go there.
    pub fn socket_disconnect(&self, id: u64, reason: &str) {
        self.shared.socket.disconnect(id, reason);
    }

    /// Closes connection `id` with a close frame.
    pub fn socket_close(&self, id: u64) {
        self.shared.socket.close(id, false);
    }

    /// Drops connection `id` without a close frame.
    pub fn socket_close_abruptly(&self, id: u64) {
        self.shared.socket.close(id, true);
    }

    /// How often envelope `id` was sent so far.
    pub fn socket_deliveries(&self, id: &str) -> u32 {
        self.shared.socket.deliveries(id)
    }

    /// Waits until envelope `id` was sent at least `n` times; panics after
    /// `timeout`.
    pub async fn wait_for_socket_deliveries(&self, id: &str, n: u32, timeout: Duration) {
        self.wait_socket(timeout, || (self.socket_deliveries(id) >= n).then_some(()))
            .await
            .unwrap_or_else(|| panic!("{n} deliveries of {id} within {timeout:?}"));
    }

    /// Sends a WebSocket ping over connection `id`.
    pub fn socket_ping(&self, id: u64) {
        self.shared.socket.send(id, socket::Out::Ping);
    }

    /// Waits until at least `n` pongs arrived; panics after `timeout`.
    pub async fn wait_for_socket_pongs(&self, n: usize, timeout: Duration) {
        self.wait_socket(timeout, || (self.shared.socket.pongs() >= n).then_some(()))
            .await
            .unwrap_or_else(|| panic!("{n} pongs within {timeout:?}"));
    }

    /// Connection `id` goes silent: the fake neither reads nor writes on it
    /// (pings unanswered) until it is closed with
    /// [`FakeSlack::socket_close_abruptly`].
    pub fn socket_freeze(&self, id: u64) {
        self.shared.socket.freeze(id);
    }

    /// Connection `id` stops reading and sends `n` large pings, so the
    /// client's answers fill the TCP buffers and its writes block; waits
    /// until they are all sent (panics after `timeout`). The connection
    /// then stays silent, as after [`FakeSlack::socket_freeze`].
    pub async fn socket_stop_reading_and_flood(&self, id: u64, n: usize, timeout: Duration) {
        let before = self.shared.socket.floods();
        self.shared.socket.freeze_with(id, socket::Out::Flood(n));
        self.wait_socket(timeout, || {
            (self.shared.socket.floods() > before).then_some(())
        })
        .await
        .unwrap_or_else(|| panic!("{n} pings sent within {timeout:?}"));
    }

    /// Every envelope acknowledgement received, in order.
    pub fn socket_acks(&self) -> Vec<SocketAck> {
        self.shared.socket.acks()
    }

    /// Waits until at least `n` acknowledgements arrived and returns them
    /// all; panics after `timeout`.
    pub async fn wait_for_socket_acks(&self, n: usize, timeout: Duration) -> Vec<SocketAck> {
        self.wait_socket(timeout, || {
            let acks = self.socket_acks();
            (acks.len() >= n).then_some(acks)
        })
        .await
        .unwrap_or_else(|| panic!("{n} Socket Mode acks within {timeout:?}"))
    }

    async fn wait_socket<T>(&self, timeout: Duration, check: impl Fn() -> Option<T>) -> Option<T> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let changed = self.shared.socket.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if let Some(found) = check() {
                return Some(found);
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                return check();
            }
        }
    }
}
