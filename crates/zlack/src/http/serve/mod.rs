//! The server loop: accepts connections and serves HTTP/1.1 on them with
//! limits a hostile client cannot get around.
//!
//! - Request headers must be complete within the header timeout of the
//!   connection's start or of the previous answer (hyper's
//!   `header_read_timeout`), so a half-sent request or an idle keep-alive
//!   connection is closed.
//! - A request body must be complete within the body timeout of its
//!   headers, and the bytes of the bodies being read share one budget
//!   ([`body`]).
//! - Connections are capped below the open-file limit, so `accept` never
//!   runs out of file descriptors; at the cap, the connection that has
//!   stalled longest gives way to the new one ([`conns`]).
//! - Requests in flight are capped; past the cap a request waits a moment,
//!   then gets 503.
//! - On shutdown, connections waiting for a request close at once, and
//!   requests in flight are finished first. Meanwhile the listener stays
//!   open and answers every new connection once, without the router:
//!   `/readyz` with 503 `draining`, `/healthz` with 200, anything else
//!   with 503, so load balancers stop sending here.

mod body;
mod conns;
mod limits;

use std::convert::Infallible;
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt as _;

pub use body::BodyError;
use conns::{Phase, Registry, Slot};
pub use limits::{Limits, Settings};

use super::headers;

/// What every connection shares.
struct Shared {
    router: Router,
    settings: Settings,
    registry: Arc<Registry>,
    in_flight: Arc<Semaphore>,
    budget: Arc<Semaphore>,
}

/// Connections the kernel completes and keeps waiting for `accept`.
/// Tokio's `bind` keeps 128, too few when a flood of connections has the
/// loop evicting: a health check beyond them waits a second for its
/// connection to be retried.
const BACKLOG: u32 = 1024;

/// A listener on `addr` with room for [`BACKLOG`] waiting connections.
pub fn bind(addr: std::net::SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

/// Serves `router` on `listener` until `shutdown` resolves, then finishes
/// the requests in flight and returns.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    settings: Settings,
    shutdown: impl Future<Output = ()>,
) {
    let limits = &settings.limits;
    tracing::info!(
        max_connections = limits.max_connections,
        max_in_flight = limits.max_in_flight,
        header_timeout_ms = limits.header_timeout.as_millis() as u64,
        body_timeout_ms = limits.body_timeout.as_millis() as u64,
        "HTTP limits"
    );
    let shared = Arc::new(Shared {
        router,
        registry: Registry::new(limits.max_connections),
        in_flight: Arc::new(Semaphore::new(limits.max_in_flight)),
        budget: Arc::new(Semaphore::new(limits.body_budget)),
        settings,
    });
    let stopping = CancellationToken::new();
    let mut shutdown = pin!(shutdown);
    let mut warned: Option<Instant> = None;
    loop {
        let stream = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    accept_failed(&shared, &error, &mut warned).await;
                    continue;
                }
            },
        };
        let slot = tokio::select! {
            () = &mut shutdown => break,
            slot = shared.registry.admit() => slot,
        };
        tokio::spawn(connection(stream, slot, shared.clone(), stopping.clone()));
    }
    stopping.cancel();
    let mut closed = pin!(shared.registry.all_closed());
    let mut draining = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            () = &mut closed => break,
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    draining.spawn(drain_answer(stream, shared.settings.limits.header_timeout, shared.settings.hsts));
                }
                while draining.try_join_next().is_some() {}
            }
        }
    }
    drop(listener);
    draining.abort_all();
}

/// One answer, on a connection accepted while requests in flight finish:
/// `/readyz` says `draining`, so no new traffic is routed here.
async fn drain_answer(stream: TcpStream, header_timeout: Duration, hsts: bool) {
    let service = hyper::service::service_fn(move |request: Request<Incoming>| async move {
        let mut response = match request.uri().path() {
            "/healthz" => Response::new(Body::from("ok\n")),
            "/readyz" => refusal(StatusCode::SERVICE_UNAVAILABLE, "draining\n", hsts),
            _ => refusal(StatusCode::SERVICE_UNAVAILABLE, "shutting down\n", hsts),
        };
        response.headers_mut().insert(
            header::CONNECTION,
            header::HeaderValue::from_static("close"),
        );
        headers::secure(response.headers_mut(), hsts);
        Ok::<_, Infallible>(response)
    });
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .keep_alive(false)
        .header_read_timeout(header_timeout)
        .max_header_size(limits::READ_BUFFER)
        .max_buf_size(limits::READ_BUFFER);
    let connection = builder.serve_connection(TokioIo::new(stream), service);
    let _ = tokio::time::timeout(header_timeout * 2, connection).await;
}

/// Out of file descriptors although connections are capped below the
/// limit (the database or outbound requests took more than their share):
/// give up the longest-waiting connection and go on. Other accept errors
/// concern one connection only.
async fn accept_failed(shared: &Shared, error: &std::io::Error, warned: &mut Option<Instant>) {
    use rustix::io::Errno;
    let exhausted = matches!(
        Errno::from_io_error(error),
        Some(Errno::MFILE | Errno::NFILE | Errno::NOBUFS | Errno::NOMEM)
    );
    if !exhausted {
        tracing::debug!(%error, "accepting a connection failed");
        return;
    }
    if warned.is_none_or(|at| at.elapsed() > Duration::from_secs(60)) {
        tracing::warn!(%error, "accepting connections: out of resources; closing idle connections");
        *warned = Some(Instant::now());
    }
    shared.registry.evict_oldest(Phase::Headers, None);
    tokio::time::sleep(Duration::from_millis(10)).await;
}

async fn connection(
    stream: TcpStream,
    slot: Slot,
    shared: Arc<Shared>,
    stopping: CancellationToken,
) {
    let _ = stream.set_nodelay(true);
    let conn = slot.conn().clone();
    let service = hyper::service::service_fn({
        let shared = shared.clone();
        let conn = conn.clone();
        move |request| {
            let shared = shared.clone();
            let conn = conn.clone();
            async move { Ok::<_, Infallible>(handle(&shared, &conn, request).await) }
        }
    });
    let limits = &shared.settings.limits;
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_header_size(limits::READ_BUFFER)
        .max_buf_size(limits::READ_BUFFER);
    let mut http = pin!(builder.serve_connection(TokioIo::new(stream), service));
    let ended = tokio::select! {
        ended = http.as_mut() => ended,
        // Evicted: dropping the connection closes it.
        () = conn.closing().cancelled() => return,
        () = stopping.cancelled() => {
            if conn.close_if(Phase::Headers) {
                return;
            }
            http.as_mut().graceful_shutdown();
            tokio::select! {
                ended = http.as_mut() => ended,
                () = conn.closing().cancelled() => return,
            }
        }
    };
    if let Err(error) = ended {
        if error.is_timeout() {
            metrics::counter!("zlack_http_connections_closed_total", "reason" => "header_timeout")
                .increment(1);
        }
        tracing::debug!(%error, "connection ended with an error");
    }
}

/// One request: admitted if the connection is not closing and a place in
/// flight frees up in time; its body guarded; its answer given the
/// headers every answer carries.
async fn handle(
    shared: &Shared,
    conn: &Arc<conns::Conn>,
    request: Request<Incoming>,
) -> Response<Body> {
    use http_body::Body as _;
    let hsts = shared.settings.hsts;
    if !conn.begin_request(!request.body().is_end_stream()) {
        return refusal(
            StatusCode::SERVICE_UNAVAILABLE,
            "connection closing\n",
            hsts,
        );
    }
    let _ended = EndRequest(conn);
    let limits = &shared.settings.limits;
    let deadline = tokio::time::Instant::now() + limits.body_timeout;
    let acquire = shared.in_flight.clone().acquire_owned();
    let Ok(Ok(_in_flight)) = tokio::time::timeout(limits::IN_FLIGHT_WAIT, acquire).await else {
        metrics::counter!("zlack_http_shed_total", "reason" => "in_flight").increment(1);
        return refusal(StatusCode::SERVICE_UNAVAILABLE, "busy, try again\n", hsts);
    };
    let request = request.map(|incoming| {
        Body::new(body::GuardedBody::new(
            incoming,
            deadline,
            conn.clone(),
            shared.registry.clone(),
            shared.budget.clone(),
        ))
    });
    let mut response = match shared.router.clone().oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    headers::secure(response.headers_mut(), hsts);
    response
}

/// Marks the request answered when handling ends, however it ends.
struct EndRequest<'a>(&'a conns::Conn);

impl Drop for EndRequest<'_> {
    fn drop(&mut self) {
        self.0.end_request();
    }
}

fn refusal(status: StatusCode, text: &'static str, hsts: bool) -> Response<Body> {
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
    headers::secure(headers, hsts);
    response
}
