//! Forgotten passwords: a one-time link by e-mail (queued with the link, in its transaction),
//! then a new password that ends every session.

use atende_domain::Email;
use atende_store::{directory, passwords};
use jiff::SignedDuration;

use crate::{
    App, Result,
    auth::{commit, hash_password, new_token, token_hash},
    i18n::{Arg, I18n},
    mail::letters::{Letter, queue},
};

const LINK_LIFETIME: SignedDuration = SignedDuration::from_hours(1);
/// Reset links one account may be sent per hour: enough for a lost mail, too few for a flood.
const LINKS_PER_HOUR: i64 = 3;

/// A link to send; `None` when nothing is sent (unknown or unregistered address, or too many
/// asks), which the caller must not reveal: the answer to the visitor is the same either way.
pub struct ResetLink {
    pub email: String,
    pub name: String,
    pub url: String,
}

pub async fn request_reset(app: &App, email: &str) -> Result<Option<ResetLink>> {
    let Ok(email) = Email::parse(email) else {
        return Ok(None);
    };
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let Some(user) = directory::find_user_by_email(&mut tx, email.as_str()).await? else {
        return Ok(None);
    };
    // Only accounts with a password can reset it; contacts register through an invitation.
    if user.registered_at.is_none() {
        return Ok(None);
    }
    if passwords::resets_since(&mut tx, user.id, now - SignedDuration::from_hours(1)).await? >= LINKS_PER_HOUR {
        return Ok(None);
    }
    let token = new_token()?;
    let hash = token_hash(&token);
    passwords::insert_reset(&mut tx, user.id, &hash, now, now + LINK_LIFETIME).await?;
    let url = format!(
        "{}/password/reset/{token}",
        app.settings.public_url.trim_end_matches('/')
    );
    let lang = user.language.unwrap_or(app.settings.default_language);
    let texts = I18n::shared();
    let letter = Letter::notice(
        "password_reset",
        format!("reset:{hash}"),
        user.email.clone(),
        lang,
        texts.text(lang, "mail-reset-subject", &[]),
        vec![
            texts.text(
                lang,
                "mail-reset-body",
                &[
                    ("name", Arg::Text(user.name.clone())),
                    ("minutes", Arg::Number(LINK_LIFETIME.as_mins())),
                ],
            ),
            url.clone(),
            texts.text(lang, "mail-reset-ignore", &[]),
        ],
    );
    queue(app, &mut tx, letter).await?;
    commit(tx).await?;
    Ok(Some(ResetLink {
        email: user.email,
        name: user.name,
        url,
    }))
}

pub async fn reset_link_works(app: &App, token: &str) -> Result<bool> {
    let mut conn = app.db.read().await?;
    Ok(passwords::reset_is_valid(&mut conn, &token_hash(token), app.clock.now()).await?)
}

/// Sets the new password if the link still works; every session of the account ends.
pub async fn reset(app: &App, token: &str, password: &str) -> Result<()> {
    // The link first: hashing is slow on purpose, and must not be free for anyone without one.
    if !reset_link_works(app, token).await? {
        return Err(crate::AppError::Rejected("password.reset_link_invalid"));
    }
    let hash = hash_password(password).await?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let user_id = passwords::use_reset(&mut tx, &token_hash(token), now)
        .await?
        .ok_or(crate::AppError::Rejected("password.reset_link_invalid"))?;
    directory::set_password(&mut tx, user_id, &hash, now).await?;
    passwords::end_sessions(&mut tx, user_id).await?;
    passwords::expire_resets(&mut tx, user_id, now).await?;
    commit(tx).await
}
