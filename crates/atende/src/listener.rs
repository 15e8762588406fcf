//! The accept loop: each connection served by hyper's HTTP/1 with a header-read timeout, which
//! `axum::serve` leaves off (it gives hyper no timer). The timeout runs from the moment a
//! connection opens or finishes a response until a request's headers have all arrived, so it
//! closes both a slow-loris client trickling its headers and an idle kept-alive connection.
//! Shutdown stops accepting, lets the requests in flight finish, and then closes what is left.

use std::{net::SocketAddr, pin::pin, time::Duration};

use axum::{Router, extract::ConnectInfo};
use hyper::{Request, body::Incoming};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::{
    net::TcpListener,
    sync::{mpsc, oneshot, watch},
};
use tower::ServiceExt;

/// How long shutdown waits for the requests in flight (the request timeout is 30 s).
const DRAIN: Duration = Duration::from_secs(35);

pub async fn run(
    listener: TcpListener,
    router: Router,
    header_timeout: Duration,
    mut stop: oneshot::Receiver<()>,
) -> std::io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(header_timeout);
    // Shutdown is announced on `closing`; each connection holds a clone of `open` until it ends,
    // so that `all_closed` hears nothing more once the last one has.
    let (closing, _) = watch::channel(false);
    let (open, mut all_closed) = mpsc::channel::<()>(1);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(err) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    tracing::warn!(%err, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
            router.clone().oneshot(request)
        });
        let connection = http.serve_connection(TokioIo::new(stream), service).with_upgrades();
        let mut closing = closing.subscribe();
        let open = open.clone();
        tokio::spawn(async move {
            let mut connection = pin!(connection);
            let ended = tokio::select! {
                ended = connection.as_mut() => ended,
                // The one change ever made is to `true`.
                _ = closing.changed() => {
                    // Finish the request under way, then close.
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(err) = ended {
                // Timeouts, resets, malformed requests: the client's doing, not an error of ours.
                tracing::debug!(%err, %peer, "connection ended");
            }
            drop(open);
        });
    }
    drop(listener);
    let _ = closing.send(true);
    drop(open);
    if tokio::time::timeout(DRAIN, all_closed.recv()).await.is_err() {
        tracing::warn!("shut down with connections still open after {DRAIN:?}");
    }
    Ok(())
}
