//! Per-address limits on what anyone may send without signing in: the public forms (sign-in,
//! password reset, invitations, status subscriptions, the web chat) and the webhooks. Each
//! server process counts for itself (GCRA, in memory); a refusal is a 429 with `Retry-After`.

use std::{
    net::{IpAddr, SocketAddr},
    num::NonZeroU32,
};

use atende_app::AppError;
use axum::{
    extract::{ConnectInfo, MatchedPath, Request, State},
    http::Method,
    middleware::Next,
    response::{IntoResponse, Response},
};
use governor::{
    DefaultKeyedRateLimiter, Quota, RateLimiter,
    clock::{Clock, DefaultClock},
};

use crate::{AppState, error::ApiError, pages::PageError};

/// The routes anyone may post to, by their templates.
const PUBLIC_FORMS: &[&str] = &[
    "/api/v1/auth/login",
    "/api/v1/invitations/{token}/accept",
    "/api/v1/status/subscribers",
    "/api/v1/chat/sessions",
    "/api/v1/chat/code",
    "/api/v1/chat/code/check",
    "/api/v1/chat/messages",
    "/login",
    "/password/forgot",
    "/password/reset/{token}",
    "/invitations/{token}",
    "/status/subscribe",
];
const WEBHOOKS: &[&str] = &["/api/v1/whatsapp/webhook", "/api/v1/inbound/email"];

/// Past this many addresses, the ones at rest are forgotten (their limits are full again anyway).
const REMEMBERED: usize = 100_000;

pub struct PublicLimits {
    forms: Option<DefaultKeyedRateLimiter<IpAddr>>,
    webhooks: Option<DefaultKeyedRateLimiter<IpAddr>>,
}

fn limiter(per_minute: u32) -> Option<DefaultKeyedRateLimiter<IpAddr>> {
    NonZeroU32::new(per_minute).map(|n| RateLimiter::keyed(Quota::per_minute(n)))
}

impl PublicLimits {
    pub fn new(forms_per_minute: u32, webhooks_per_minute: u32) -> Self {
        PublicLimits {
            forms: limiter(forms_per_minute),
            webhooks: limiter(webhooks_per_minute),
        }
    }

    /// The seconds to wait when `ip` has used up the limit of `route`'s kind.
    fn check(&self, route: &str, ip: IpAddr) -> Option<u64> {
        let limiter = if WEBHOOKS.contains(&route) {
            self.webhooks.as_ref()
        } else if PUBLIC_FORMS.contains(&route) {
            self.forms.as_ref()
        } else {
            None
        }?;
        if limiter.len() > REMEMBERED {
            limiter.retain_recent();
        }
        let refused = limiter.check_key(&ip).err()?;
        let wait = refused.wait_time_from(DefaultClock::default().now());
        Some(wait.as_secs().max(1))
    }
}

/// Refuses a public form or webhook request past its address's limit.
pub async fn limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    // Reads pass untouched: only posts to the listed routes are counted.
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let route = request.extensions().get::<MatchedPath>().map(MatchedPath::as_str);
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    if let (Some(route), Some(ip)) = (route, peer)
        && let Some(retry_after_secs) = state.limits.check(route, ip)
    {
        tracing::info!(%ip, route, "public limit reached");
        let refusal = AppError::RateLimited { retry_after_secs };
        return if route.starts_with("/api/") {
            ApiError::from(refusal).into_response()
        } else {
            PageError::from(refusal).into_response()
        };
    }
    next.run(request).await
}
