//! Subscribers: by e-mail (double opt-in, one-click unsubscribe) and by signed webhook, told of
//! every update they follow.

use atende_channels::webhook::WebhookClient;
use atende_domain::{Email, Lang, ParseError, text::bounded};
use atende_store::{
    Conn,
    status::{self as store, Incident},
};
use jiff::SignedDuration;
use serde_json::json;

use super::{Update, incident_link};
use crate::{
    Actor, App, AppError, Result,
    auth::commit,
    i18n::{Arg, I18n},
    mail::letters::{Letter, queue},
};

/// Subscribes an address (to every component, or to the ones given). Nothing is sent until the
/// address confirms through the link mailed to it; asking again re-sends it at most once a day.
/// The answer is the same whatever the address, so it reveals nothing.
pub async fn subscribe(app: &App, email: &str, lang: Lang, components: &[i64]) -> Result<()> {
    let email = Email::parse(email)?;
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    for component in components {
        store::get_component(&mut tx, *component)
            .await?
            .ok_or(AppError::NotFound("component"))?;
    }
    let token = crate::auth::new_token()?;
    let followed = serde_json::to_string(components).map_err(|e| AppError::Internal(e.to_string()))?;
    let subscriber =
        store::upsert_email_subscriber(&mut tx, email.as_str(), lang.code(), &followed, &token, now).await?;
    if subscriber.confirmed_at.is_none() {
        let texts = I18n::shared();
        let base = app.settings.public_url.trim_end_matches('/');
        let day = now.to_zoned(app.settings.time_zone.clone()).date();
        let letter = Letter::notice(
            "status_confirm",
            format!("status-confirm:{}:{day}", subscriber.id),
            subscriber.target.clone(),
            lang,
            texts.text(
                lang,
                "mail-status-confirm-subject",
                &[("page", Arg::Text(app.settings.status_name.clone()))],
            ),
            vec![
                texts.text(lang, "mail-status-confirm-body", &[]),
                format!("{base}/status/subscriptions/confirm/{}", subscriber.token),
                texts.text(lang, "mail-status-confirm-ignore", &[]),
            ],
        );
        queue(app, &mut tx, letter).await?;
    }
    commit(tx).await
}

pub async fn confirm_subscription(app: &App, token: &str) -> Result<()> {
    let mut tx = app.db.begin().await?;
    store::confirm_subscriber(&mut tx, token, app.clock.now())
        .await?
        .ok_or(AppError::NotFound("subscription"))?;
    commit(tx).await
}

/// Whether the token names a subscription (the unsubscribe page asks before it acts).
pub async fn subscription_exists(app: &App, token: &str) -> Result<bool> {
    let mut conn = app.db.read().await?;
    Ok(store::subscriber_by_token(&mut conn, token).await?.is_some())
}

pub async fn unsubscribe(app: &App, token: &str) -> Result<()> {
    let mut tx = app.db.begin().await?;
    if !store::delete_subscriber(&mut tx, token).await? {
        return Err(AppError::NotFound("subscription"));
    }
    commit(tx).await
}

/// Tells the confirmed subscribers who follow any of the incident's components (or all) of an
/// update, in the update's transaction: each once, in their language.
pub(super) async fn tell_subscribers(app: &App, tx: &mut Conn, incident: &Incident, update: &Update) -> Result<()> {
    let components = store::incident_components(tx, &[incident.id])
        .await?
        .remove(&incident.id)
        .unwrap_or_default();
    let texts = I18n::shared();
    let base = app.settings.public_url.trim_end_matches('/');
    let prefix = if incident.kind == "maintenance" {
        "mstatus"
    } else {
        "istatus"
    };
    let payload = webhook_payload(app, incident, &components, update);
    for subscriber in store::confirmed_subscribers(tx, "webhook").await? {
        let followed: Vec<i64> = serde_json::from_str(&subscriber.components).unwrap_or_default();
        if followed.is_empty() || followed.iter().any(|c| components.contains(c)) {
            let key = format!("update:{}:{}", update.id, subscriber.id);
            store::enqueue_delivery(tx, subscriber.id, &key, &payload, app.clock.now()).await?;
        }
    }
    for subscriber in store::confirmed_subscribers(tx, "email").await? {
        let followed: Vec<i64> = serde_json::from_str(&subscriber.components).unwrap_or_default();
        if !followed.is_empty() && !followed.iter().any(|c| components.contains(c)) {
            continue;
        }
        let lang: Lang = subscriber.lang.parse().unwrap_or(app.settings.default_language);
        let status = texts.text(lang, &format!("{prefix}-{}", update.status), &[]);
        let mut paragraphs = vec![format!("{status} — {}", update.body)];
        if let (Some(from), Some(until)) = (incident.scheduled_for, incident.scheduled_until) {
            let zone = app.settings.time_zone.clone();
            paragraphs.push(format!(
                "{} – {}",
                from.to_zoned(zone.clone()).strftime("%Y-%m-%d %H:%M %Z"),
                until.to_zoned(zone).strftime("%Y-%m-%d %H:%M %Z")
            ));
        }
        paragraphs.push(incident_link(app, incident.id));
        let unsubscribe = format!("{base}/status/subscriptions/unsubscribe/{}", subscriber.token);
        paragraphs.push(texts.text(
            lang,
            "mail-status-unsubscribe",
            &[("link", Arg::Text(unsubscribe.clone()))],
        ));
        let letter = Letter {
            unsubscribe: Some(unsubscribe),
            ..Letter::notice(
                "status",
                format!("status:{}:{}", update.id, subscriber.id),
                subscriber.target.clone(),
                lang,
                format!("[{}] {} — {status}", app.settings.status_name, incident.name),
                paragraphs,
            )
        };
        queue(app, tx, letter).await?;
    }
    Ok(())
}

// ---- subscribers by webhook (admins add them: the server posts to their URLs)

/// What a webhook receives for each update, signed with the subscriber's secret.
fn webhook_payload(app: &App, incident: &Incident, components: &[i64], update: &Update) -> String {
    let base = app.settings.public_url.trim_end_matches('/');
    json!({
        "page": {"name": app.settings.status_name, "url": format!("{base}/status")},
        "incident": {
            "id": incident.id,
            "kind": incident.kind,
            "name": incident.name,
            "status": update.status,
            "impact": if incident.kind == "maintenance" { "maintenance" } else { incident.impact.code() },
            "components": components,
            "scheduled_for": incident.scheduled_for.map(|t| t.to_string()),
            "scheduled_until": incident.scheduled_until.map(|t| t.to_string()),
            "shortlink": incident_link(app, incident.id),
        },
        "update": {
            "id": update.id,
            "status": update.status,
            "body": update.body,
            "created_at": update.created_at.to_string(),
        },
    })
    .to_string()
}

pub async fn add_webhook(
    app: &App,
    actor: &Actor,
    url: &str,
    components: &[i64],
) -> Result<(store::Subscriber, String)> {
    actor.require_admin()?;
    let url = bounded("url", url, 2000)?;
    let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
    if !scheme_ok || url.contains(char::is_whitespace) {
        return Err(ParseError::Invalid {
            field: "url",
            reason: "url",
        }
        .into());
    }
    let mut tx = app.db.begin().await?;
    for component in components {
        store::get_component(&mut tx, *component)
            .await?
            .ok_or(AppError::NotFound("component"))?;
    }
    let followed = serde_json::to_string(components).map_err(|e| AppError::Internal(e.to_string()))?;
    let token = crate::auth::new_token()?;
    let secret = crate::auth::new_token()?;
    let subscriber =
        store::insert_webhook_subscriber(&mut tx, &url, &followed, &token, &secret, app.clock.now()).await?;
    commit(tx).await?;
    Ok((subscriber, secret))
}

pub async fn subscribers(app: &App, actor: &Actor) -> Result<Vec<store::Subscriber>> {
    actor.require_admin()?;
    let mut conn = app.db.read().await?;
    Ok(store::list_subscribers(&mut conn, 10_000).await?)
}

pub async fn remove_subscriber(app: &App, actor: &Actor, id: i64) -> Result<()> {
    actor.require_admin()?;
    let mut tx = app.db.begin().await?;
    if !store::delete_subscriber_by_id(&mut tx, id).await? {
        return Err(AppError::NotFound("subscription"));
    }
    commit(tx).await
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryReport {
    pub delivered: usize,
    pub retried: usize,
    pub failed: usize,
}

/// Webhook deliveries still to go, and those given up (for `/readyz` and `/metrics`).
pub async fn webhook_backlog(app: &App) -> Result<(i64, i64)> {
    let mut conn = app.db.read().await?;
    Ok(store::delivery_backlog(&mut conn).await?)
}

/// Posts the webhook payloads that are due; a failure is retried with the outbox's pauses, and
/// given up after as many attempts.
pub async fn deliver_due(app: &App, client: &WebhookClient, limit: i64) -> Result<DeliveryReport> {
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let due = store::claim_due_deliveries(&mut tx, now, now + SignedDuration::from_secs(300), limit).await?;
    commit(tx).await?;
    let mut report = DeliveryReport::default();
    for delivery in due {
        let outcome = client.post(&delivery.url, &delivery.secret, &delivery.payload).await;
        let now = app.clock.now();
        let mut tx = app.db.begin().await?;
        match outcome {
            Ok(()) => {
                store::mark_delivered(&mut tx, delivery.id, now).await?;
                report.delivered += 1;
            }
            Err(error) if crate::retry::MAIL.gives_up(delivery.attempts) => {
                tracing::warn!(id = delivery.id, %error, "webhook delivery given up");
                store::mark_delivery_failed(&mut tx, delivery.id, now, &error.to_string()).await?;
                report.failed += 1;
            }
            Err(error) => {
                let pause = crate::retry::MAIL.pause(delivery.attempts);
                store::mark_delivery_retry(&mut tx, delivery.id, now + pause, &error.to_string()).await?;
                report.retried += 1;
            }
        }
        commit(tx).await?;
    }
    Ok(report)
}
