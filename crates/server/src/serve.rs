//! Accepting connections, with the time limits `axum::serve` does not set: a connection that
//! takes longer than the header timeout to send a request's headers, or sits idle that long
//! between requests (or says nothing at all after connecting), is closed (hyper's header-read
//! timer runs from the connection's start and while it waits for the next request). Each
//! request's own total time is bounded in `web::time_limit`.
//!
//! HTTP/1.1 only. Browsers speak HTTP/2 only over TLS, which the proxy in front terminates, and
//! the usual proxies (nginx, and Caddy and Traefik by default) speak HTTP/1.1 to a plain-HTTP
//! upstream; nothing here needs cleartext HTTP/2 (h2c). Served, h2c had no bound at all: hyper's
//! HTTP/2 server has no header-read or idle timeout (its keep-alive pings only find a dead peer;
//! a live one answers them), so a client could hold a connection for ever. A connection that
//! opens with the HTTP/2 preface is now refused as a malformed HTTP/1 request and closed.

use axum::extract::ConnectInfo;
use axum::{Extension, Router};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::Layer;

/// Serves `app` on `listener` until `shutdown` resolves, then lets open requests finish (for at
/// most ten seconds).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    header_timeout: Duration,
    shutdown: impl Future<Output = ()>,
) {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(connection) => connection,
                Err(error) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::warn!(%error, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = Extension(ConnectInfo(peer)).layer(app.clone());
        let connection =
            builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // Timeouts and clients that go away end here; there is nobody to tell.
            if let Err(error) = connection.await {
                tracing::debug!(%error, %peer, "connection closed");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(Duration::from_secs(10), graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still open after 10 s; stopping anyway");
    }
}
