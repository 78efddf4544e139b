//! The ceiling for zlack's ingest benchmarks: an axum server that reads the
//! body and answers `200 OK`, with the same runtime settings as zlack.

use axum::{Router, routing::post};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8090".to_owned());
    let app = Router::new().fallback(post(|body: axum::body::Bytes| async move {
        let _ = body.len();
        "OK"
    }));
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    axum::serve(listener, app).await
}
