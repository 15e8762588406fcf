//! The public status page (`/status`): the overall state, active incidents and maintenances,
//! each component with its 90-day uptime bar, incident pages, the history and its Atom feed.
//! No JavaScript; in the reader's language.

use askama::Template;
use atende_app::status::{self, Component, IncidentView, UPTIME_DAYS};
use atende_domain::{
    Lang,
    status::{ComponentStatus, DayUptime, Impact, overall_uptime},
    text::escape_markup,
};
use axum::{
    Router,
    extract::{Path, Query, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};

use super::{OrBack, PageError, chrome::Chrome, done, form::Submitted, page, session::PageCtx};
use crate::{AppState, statuspage::component_name};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/status", get(home))
        .route("/status/history", get(history))
        .route("/status/history.atom", get(feed))
        .route("/status/incidents/{id}", get(incident))
        .route("/status/subscribe", post(subscribe))
        .route("/status/subscriptions/confirm/{token}", get(confirm))
        .route(
            "/status/subscriptions/unsubscribe/{token}",
            get(unsubscribe_form).post(unsubscribe),
        )
}

/// One day on a bar: its colour class and what hovering (or a screen reader) tells.
pub struct DayCell {
    pub class: &'static str,
    pub label: String,
}

pub struct ComponentRow {
    pub name: String,
    pub status: ComponentStatus,
    pub in_group: bool,
    pub is_group: bool,
    pub days: Vec<DayCell>,
    pub uptime: String,
}

fn day_class(day: &DayUptime) -> &'static str {
    if day.observed_minutes <= 0.0 {
        return "none";
    }
    match day.worst {
        ComponentStatus::Operational => "ok",
        ComponentStatus::UnderMaintenance => "maintenance",
        ComponentStatus::DegradedPerformance => "degraded",
        ComponentStatus::PartialOutage => "partial",
        ComponentStatus::MajorOutage => "major",
    }
}

/// "98.50 %" in the reader's notation.
fn percent(lang: Lang, value: f64) -> String {
    let text = format!("{value:.2}");
    match lang {
        Lang::En => format!("{text} %"),
        Lang::Es | Lang::PtBr => format!("{} %", text.replace('.', ",")),
    }
}

fn rows(
    state: &AppState,
    c: &Chrome,
    lang: Lang,
    components: &[Component],
    uptime: &mut std::collections::HashMap<i64, Vec<DayUptime>>,
) -> Vec<ComponentRow> {
    let mut ordered: Vec<&Component> = Vec::new();
    for top in components.iter().filter(|x| x.group_id.is_none()) {
        ordered.push(top);
        ordered.extend(components.iter().filter(|x| x.group_id == Some(top.id)));
    }
    ordered
        .into_iter()
        .map(|component| {
            let days = uptime.remove(&component.id).unwrap_or_default();
            let cells = days
                .iter()
                .map(|d| DayCell {
                    class: day_class(d),
                    label: format!(
                        "{}: {}",
                        d.date.strftime("%Y-%m-%d"),
                        if d.observed_minutes > 0.0 {
                            percent(lang, d.uptime_percent)
                        } else {
                            c.t("status-no-data")
                        }
                    ),
                })
                .collect();
            ComponentRow {
                name: component_name(state, component, lang),
                status: component.status,
                in_group: component.group_id.is_some(),
                is_group: components.iter().any(|x| x.group_id == Some(component.id)),
                days: cells,
                uptime: percent(lang, overall_uptime(&days)),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "status_home.html")]
struct HomePage {
    c: Chrome,
    name: String,
    banner: &'static str,
    banner_class: &'static str,
    incidents: Vec<IncidentView>,
    maintenances: Vec<IncidentView>,
    rows: Vec<ComponentRow>,
    days: i64,
}

impl HomePage {
    fn component_status(&self, status: &ComponentStatus) -> String {
        self.c.t(&format!("cstatus-{}", status.code()))
    }

    fn update_status(&self, view: &IncidentView) -> String {
        self.c.t(&format!("istatus-{}", view.incident.status))
    }

    fn latest(&self, view: &IncidentView) -> String {
        view.updates.first().map(|u| u.body.clone()).unwrap_or_default()
    }
}

async fn home(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, PageError> {
    let c = ctx.chrome(&state, "status");
    let page_data = status::page(&state.app).await?;
    let mut uptime = status::uptime(&state.app).await?;
    let in_maintenance = page_data
        .maintenances
        .iter()
        .any(|m| m.incident.status == "in_progress");
    let (banner, banner_class) = match page_data.indicator {
        Impact::None if in_maintenance => ("status-banner-maintenance", "maintenance"),
        Impact::None => ("status-banner-none", "ok"),
        Impact::Minor => ("status-banner-minor", "degraded"),
        Impact::Major => ("status-banner-major", "partial"),
        Impact::Critical => ("status-banner-critical", "major"),
    };
    let rows = rows(&state, &c, ctx.lang, &page_data.components, &mut uptime);
    page(&HomePage {
        name: state.app.settings.status_name.clone(),
        banner,
        banner_class,
        incidents: page_data.incidents,
        maintenances: page_data.maintenances,
        rows,
        days: UPTIME_DAYS,
        c,
    })
}

#[derive(Template)]
#[template(path = "status_incident.html")]
struct IncidentPage {
    c: Chrome,
    view: IncidentView,
    components: Vec<String>,
}

impl IncidentPage {
    fn update_status(&self, status: &str) -> String {
        let prefix = if self.view.incident.kind == "maintenance" {
            "mstatus"
        } else {
            "istatus"
        };
        self.c.t(&format!("{prefix}-{status}"))
    }
}

#[derive(serde::Deserialize)]
struct IncidentQuery {
    from: Option<String>,
}

async fn incident(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<i64>,
    Query(query): Query<IncidentQuery>,
) -> Result<Response, PageError> {
    let view = status::incident(&state.app, id).await?;
    if query.from.as_deref() == Some("ticket_form") {
        status::opened_from_ticket_form(&state.app, ctx.actor.as_deref(), id).await?;
    }
    let all = status::components(&state.app).await?;
    let components = all
        .iter()
        .filter(|c| view.components.contains(&c.id))
        .map(|c| component_name(&state, c, ctx.lang))
        .collect();
    page(&IncidentPage {
        c: ctx.chrome(&state, "status"),
        view,
        components,
    })
}

#[derive(Template)]
#[template(path = "status_history.html")]
struct HistoryPage {
    c: Chrome,
    incidents: Vec<IncidentView>,
    maintenances: Vec<IncidentView>,
}

impl HistoryPage {
    fn incident_status(&self, view: &IncidentView) -> String {
        self.c.t(&format!("istatus-{}", view.incident.status))
    }

    fn maintenance_status(&self, view: &IncidentView) -> String {
        self.c.t(&format!("mstatus-{}", view.incident.status))
    }
}

async fn history(State(state): State<AppState>, ctx: PageCtx) -> Result<Response, PageError> {
    page(&HistoryPage {
        c: ctx.chrome(&state, "status"),
        incidents: status::history(&state.app, "incident", 100).await?,
        maintenances: status::history(&state.app, "maintenance", 50).await?,
    })
}

/// The incidents as an Atom feed: each entry is an incident, its content the latest update.
async fn feed(State(state): State<AppState>) -> Result<Response, PageError> {
    let base = state.app.settings.public_url.trim_end_matches('/').to_owned();
    let incidents = status::history(&state.app, "incident", 50).await?;
    let updated = incidents
        .iter()
        .map(|i| i.incident.updated_at)
        .max()
        .unwrap_or_else(|| state.app.clock.now());
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">\n\
         <id>{base}/status</id>\n<title>{}</title>\n<updated>{updated}</updated>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{base}/status\"/>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{base}/status/history.atom\"/>\n",
        escape_markup(&state.app.settings.status_name)
    );
    for view in &incidents {
        let i = &view.incident;
        let content: String = view
            .updates
            .iter()
            .map(|u| {
                format!(
                    "<p><strong>{}</strong> ({}) – {}</p>",
                    escape_markup(&u.status),
                    u.created_at,
                    escape_markup(&u.body)
                )
            })
            .collect();
        xml.push_str(&format!(
            "<entry>\n<id>{base}/status/incidents/{id}</id>\n<title>{}</title>\n<published>{}</published>\n<updated>{}</updated>\n\
             <link rel=\"alternate\" type=\"text/html\" href=\"{base}/status/incidents/{id}\"/>\n\
             <content type=\"html\">{}</content>\n</entry>\n",
            escape_markup(&i.name),
            i.created_at,
            i.updated_at,
            escape_markup(&content),
            id = i.id,
        ));
    }
    xml.push_str("</feed>\n");
    let mut response = xml.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/atom+xml; charset=utf-8"),
    );
    Ok(response)
}

// ---- subscriptions by e-mail

async fn subscribe(
    State(state): State<AppState>,
    ctx: PageCtx,
    Submitted(form): Submitted,
) -> Result<Response, PageError> {
    let components: Vec<i64> = form.all("component").iter().filter_map(|c| c.parse().ok()).collect();
    status::subscribe(&state.app, form.text("email"), ctx.lang, &components)
        .await
        .or_back("/status")?;
    Ok(done(&ctx, &state, "/status", "status-subscribe-sent"))
}

/// A short page that says what happened to a subscription, with a form when one is asked for.
#[derive(Template)]
#[template(path = "status_subscription.html")]
struct SubscriptionPage {
    c: Chrome,
    heading: &'static str,
    text: &'static str,
    /// The unsubscribe button's action, when the page asks for it.
    action: Option<String>,
}

async fn confirm(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    status::confirm_subscription(&state.app, &token).await?;
    page(&SubscriptionPage {
        c: ctx.chrome(&state, "status"),
        heading: "status-subscribed",
        text: "status-subscribed-text",
        action: None,
    })
}

/// Asks before ending a subscription: mail scanners follow links, people press buttons.
async fn unsubscribe_form(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    if !status::subscription_exists(&state.app, &token).await? {
        return Err(atende_app::AppError::NotFound("subscription").into());
    }
    page(&SubscriptionPage {
        c: ctx.chrome(&state, "status"),
        heading: "status-unsubscribe",
        text: "status-unsubscribe-text",
        action: Some(format!("/status/subscriptions/unsubscribe/{token}")),
    })
}

/// Ends the subscription. No form token is asked: the address itself is the capability, and mail
/// programs post here without cookies when the reader unsubscribes in one click (RFC 8058).
async fn unsubscribe(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    status::unsubscribe(&state.app, &token).await?;
    page(&SubscriptionPage {
        c: ctx.chrome(&state, "status"),
        heading: "status-unsubscribed",
        text: "status-unsubscribed-text",
        action: None,
    })
}
