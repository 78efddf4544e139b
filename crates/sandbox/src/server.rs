//! Serving a fake on a random loopback port.

use axum::Router;
use std::net::{Ipv4Addr, SocketAddr};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// A running server; dropping the last handle stops it.
pub(crate) struct Server {
    pub(crate) addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Binds `127.0.0.1:0`, builds the router for the resulting base URL
/// (`http://127.0.0.1:PORT`) and serves it in a background task.
pub(crate) async fn start(build: impl FnOnce(String) -> Router) -> Server {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .expect("bind 127.0.0.1:0 for a fake server");
    let addr = listener
        .local_addr()
        .expect("local address of a bound listener");
    let router = build(format!("http://{addr}"));
    let task = tokio::spawn(async move {
        // An error here means the listener died; the test will see failed requests.
        let _ = axum::serve(listener, router).await;
    });
    Server { addr, task }
}
