//! Webhooks: a JSON payload posted to a subscriber's URL, signed with the subscriber's secret
//! (HMAC-SHA256 of the exact body, hex, in `X-Atende-Signature: sha256=...`) so that the
//! receiver can tell it came from us and was not changed.

use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "x-atende-signature";

/// `sha256=<hex>` of the body under `secret`.
pub fn sign(secret: &str, body: &[u8]) -> String {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// Whether `header` (`sha256=<hex>`) is the signature of `body` under `secret`, compared in
/// constant time (the way WhatsApp's `X-Hub-Signature-256` is checked too).
pub fn verify(secret: &str, body: &[u8], header: &str) -> bool {
    let Some(hex) = header.trim().strip_prefix("sha256=") else {
        return false;
    };
    if hex.len() != 64 || !hex.is_ascii() {
        return false;
    }
    let bytes: Option<Vec<u8>> = (0..32)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
        .collect();
    let (Some(bytes), Ok(mut mac)) = (bytes, Hmac::<Sha256>::new_from_slice(secret.as_bytes())) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&bytes).is_ok()
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct WebhookError(pub String);

#[derive(Clone)]
pub struct WebhookClient {
    http: reqwest::Client,
}

impl WebhookClient {
    pub fn new() -> Result<WebhookClient, WebhookError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            // A subscriber's URL is where it says; following redirects would post elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("atende/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| WebhookError(format!("cannot build the HTTP client: {e}")))?;
        Ok(WebhookClient { http })
    }

    /// Posts `body`; anything but a 2xx answer is an error (the caller retries later).
    pub async fn post(&self, url: &str, secret: &str, body: &str) -> Result<(), WebhookError> {
        let response = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(SIGNATURE_HEADER, sign(secret, body.as_bytes()))
            .body(body.to_owned())
            .send()
            .await
            .map_err(|e| WebhookError(format!("cannot reach {url}: {e}")))?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(WebhookError(format!("{url} answered {status}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sign;

    #[test]
    fn the_signature_is_rfc_4231s_hmac_sha256() {
        // RFC 4231, test case 2.
        assert_eq!(
            sign("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
