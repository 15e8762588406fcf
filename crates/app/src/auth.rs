//! Signing in, bearer tokens, passwords.

use std::sync::OnceLock;

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};
use atende_domain::{Email, ParseError, entities::User};
use atende_store::directory;
use jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};

use crate::{Actor, App, AppError, Result};

/// Failed sign-ins allowed per e-mail address, and per client address, in the window.
const MAX_FAILURES_PER_EMAIL: i64 = 5;
const MAX_FAILURES_PER_IP: i64 = 20;
const FAILURE_WINDOW: SignedDuration = SignedDuration::from_mins(15);
pub const MIN_PASSWORD_LEN: usize = 10;

pub struct Session {
    pub token: String,
    pub expires_at: Timestamp,
    pub user: User,
}

/// A new random token: `atd_` and 64 hex digits (256 bits).
pub fn new_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    Ok(format!("atd_{}", hex(&bytes)))
}

/// Tokens are stored as their SHA-256: a stolen database holds no usable token.
pub fn token_hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

/// The SHA-256 of `bytes` in lower-case hex (token hashes, file digests).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn check_password_rules(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(ParseError::Invalid {
            field: "password",
            reason: "password_short",
        }
        .into());
    }
    if password.len() > 1024 {
        return Err(ParseError::TooLong {
            field: "password",
            max: 1024,
        }
        .into());
    }
    Ok(())
}

/// Argon2 takes ~19 MiB and a core's worth of time per hash; at most this many run at once, so a
/// flood of sign-ins or registrations queues instead of exhausting memory.
const CONCURRENT_HASHES: usize = 4;

async fn hashing_permit() -> Result<tokio::sync::SemaphorePermit<'static>> {
    static HASHING: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    HASHING
        .get_or_init(|| tokio::sync::Semaphore::new(CONCURRENT_HASHES))
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// Argon2id with the crate's recommended parameters, off the async threads (it is slow on purpose).
pub async fn hash_password(password: &str) -> Result<String> {
    check_password_rules(password)?;
    let _permit = hashing_permit().await?;
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(format!("password hashing failed: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

async fn verify_password(password: &str, hash: Option<String>) -> Result<bool> {
    // Without a stored hash, verify against a real one anyway so that the time taken does not
    // reveal which e-mail addresses have accounts.
    static DUMMY: OnceLock<String> = OnceLock::new();
    let known = hash.is_some();
    let _permit = hashing_permit().await?;
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let hash = hash.unwrap_or_else(|| {
            DUMMY
                .get_or_init(|| {
                    let salt = SaltString::generate(&mut OsRng);
                    Argon2::default()
                        .hash_password(b"not a password", &salt)
                        .map(|h| h.to_string())
                        .unwrap_or_default()
                })
                .clone()
        });
        let ok = PasswordHash::new(&hash)
            .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
            .unwrap_or(false);
        Ok(ok && known)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

/// Checks the credentials and opens a session. Repeated failures for an address or from a client
/// are refused for a while, across all server processes (the failures are stored).
pub async fn login(app: &App, email: &str, password: &str, client_ip: &str) -> Result<Session> {
    let now = app.clock.now();
    let email = Email::parse(email).map_err(|_| AppError::Unauthenticated("auth.invalid_credentials"))?;
    let since = now - FAILURE_WINDOW;
    // Count and record this attempt in one write transaction before the (slow) password check, so
    // that a burst of parallel attempts cannot all pass the limit. Success removes the record.
    let mut tx = app.db.begin().await?;
    directory::serialize_login_attempts(&mut tx, email.as_str()).await?;
    let (by_email, by_ip, oldest) = directory::login_failures_since(&mut tx, email.as_str(), client_ip, since).await?;
    if by_email >= MAX_FAILURES_PER_EMAIL || by_ip >= MAX_FAILURES_PER_IP {
        let lifts_at = oldest.unwrap_or(now) + FAILURE_WINDOW;
        let secs = lifts_at.duration_since(now).as_secs().max(1);
        return Err(AppError::RateLimited {
            retry_after_secs: secs.unsigned_abs(),
        });
    }
    directory::record_login_failure(&mut tx, email.as_str(), client_ip, now).await?;
    commit(tx).await?;
    let found = {
        let mut conn = app.db.read().await?;
        directory::credentials(&mut conn, email.as_str()).await?
    };
    let (user, hash) = match found {
        Some((user, hash)) => (Some(user), hash),
        None => (None, None),
    };
    if !verify_password(password, hash).await? {
        return Err(AppError::Unauthenticated("auth.invalid_credentials"));
    }
    let user = user.ok_or(AppError::Unauthenticated("auth.invalid_credentials"))?;
    let token = new_token()?;
    let expires_at = now + SignedDuration::from_hours(24 * app.settings.session_days);
    let mut tx = app.db.begin().await?;
    directory::clear_login_failures(&mut tx, email.as_str()).await?;
    directory::insert_token(
        &mut tx,
        user.id,
        "session",
        &token_hash(&token),
        "session",
        now,
        Some(expires_at),
    )
    .await?;
    commit(tx).await?;
    Ok(Session {
        token,
        expires_at,
        user,
    })
}

/// The user a bearer token belongs to.
pub async fn authenticate(app: &App, token: &str) -> Result<Actor> {
    let mut conn = app.db.read().await?;
    let user = directory::user_by_token(&mut conn, &token_hash(token), app.clock.now())
        .await?
        .ok_or(AppError::Unauthenticated("auth.invalid_token"))?;
    Ok(Actor { user })
}

pub async fn logout(app: &App, token: &str) -> Result<()> {
    let mut tx = app.db.begin().await?;
    directory::delete_token_by_hash(&mut tx, &token_hash(token)).await?;
    commit(tx).await
}

/// A long-lived API token for scripts and integrations; shown once.
pub async fn create_api_token(app: &App, user_id: i64, name: &str) -> Result<(i64, String)> {
    let name = atende_domain::text::bounded("name", name, 100)?;
    let token = new_token()?;
    let mut tx = app.db.begin().await?;
    let id = directory::insert_token(
        &mut tx,
        user_id,
        &name,
        &token_hash(&token),
        "api",
        app.clock.now(),
        None,
    )
    .await?;
    commit(tx).await?;
    Ok((id, token))
}

pub async fn list_tokens(app: &App, actor: &Actor) -> Result<Vec<directory::TokenRecord>> {
    let mut conn = app.db.read().await?;
    Ok(directory::list_tokens(&mut conn, actor.id()).await?)
}

pub async fn revoke_token(app: &App, actor: &Actor, token_id: i64) -> Result<()> {
    let mut tx = app.db.begin().await?;
    if !directory::delete_token(&mut tx, actor.id(), token_id).await? {
        return Err(AppError::NotFound("token"));
    }
    commit(tx).await
}

pub(crate) async fn commit(tx: atende_store::Tx) -> Result<()> {
    tx.commit().await.map_err(atende_store::StoreError::from)?;
    Ok(())
}
