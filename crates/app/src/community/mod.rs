//! The community: ideas, the forum, events, the templates gallery and the site's pages. Everyone
//! reads what is published; registered users write; staff moderate, and every moderator action is
//! logged.

pub mod events;
pub mod forum;
pub mod ideas;
pub mod moderation;
pub mod pages;
pub mod templates;

pub use atende_store::community::{Localized, ModerationRecord};

/// A field of localized texts (`{"es": {"name": ..}}`) in `lang`, or else in the first language
/// there is.
pub fn localized(texts: &Localized, lang: atende_domain::Lang, field: &str) -> String {
    texts
        .get(lang.code())
        .or_else(|| texts.values().next())
        .and_then(|t| t.get(field))
        .cloned()
        .unwrap_or_default()
}

use atende_domain::Lang;
use atende_store::{Conn, directory};

use crate::{
    Actor, App, Result,
    i18n::{Arg, I18n},
    mail::letters::{Letter, queue},
};

/// The moderation trail, newest first (staff).
pub async fn moderation_log(app: &App, actor: &Actor, limit: i64) -> Result<Vec<ModerationRecord>> {
    actor.require_staff()?;
    let mut conn = app.db.read().await?;
    Ok(atende_store::community::moderation_log(&mut conn, limit.clamp(1, 500)).await?)
}

/// What to tell followers of something: a subject and lines, each a message key with arguments.
pub(crate) struct Notice<'a> {
    pub kind: &'static str,
    /// Made unique per recipient by appending the user's id.
    pub dedupe_prefix: String,
    pub subject_key: &'static str,
    pub body_keys: &'a [&'static str],
    pub args: Vec<(&'static str, Arg)>,
    /// The page to link to (a path under the public URL).
    pub path: String,
}

/// Mails `notice` to each user of `user_ids` but `except`, in their language, in the caller's
/// transaction (so a rolled-back change tells no one).
pub(crate) async fn tell(
    app: &App,
    tx: &mut Conn,
    user_ids: &[i64],
    except: Option<i64>,
    notice: &Notice<'_>,
) -> Result<usize> {
    let ids: Vec<i64> = user_ids.iter().copied().filter(|id| Some(*id) != except).collect();
    let users = directory::users_by_ids(tx, &ids).await?;
    let texts = I18n::shared();
    let base = app.settings.public_url.trim_end_matches('/');
    let mut told = 0;
    for user in users {
        let lang: Lang = user.language.unwrap_or(app.settings.default_language);
        let args: Vec<(&str, Arg)> = notice.args.iter().map(|(k, v)| (*k, v.clone())).collect();
        let mut paragraphs: Vec<String> = notice.body_keys.iter().map(|k| texts.text(lang, k, &args)).collect();
        paragraphs.push(format!("{base}{}", notice.path));
        paragraphs.push(texts.text(lang, "mail-community-why", &[]));
        let letter = Letter::notice(
            notice.kind,
            format!("{}:{}", notice.dedupe_prefix, user.id),
            user.email.clone(),
            lang,
            texts.text(lang, notice.subject_key, &args),
            paragraphs,
        );
        if queue(app, tx, letter).await? {
            told += 1;
        }
    }
    Ok(told)
}
