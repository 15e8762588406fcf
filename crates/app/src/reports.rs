//! Reports: the figures of a period and of the period before it (for trends), within what the
//! reader may see (staff: everything; a customer admin: their organization; a customer: the
//! contracts they are in view of), and the tickets behind them as an export.

use std::collections::HashMap;

use atende_domain::{
    ParseError,
    entities::Ticket,
    reports::{Backlog, Figures, Tally, Window, day_start, figures},
};
use atende_store::{Conn, reports as store, tickets::TicketScope};
use jiff::{SignedDuration, Timestamp};

pub use atende_store::reports::{ExportRow, ReportFilter};

use crate::{Actor, App, Result, TicketQuery, tickets};

/// The longest period a report covers.
const MAX_DAYS: i64 = 400;

#[derive(Debug, Clone)]
pub struct ReportQuery {
    pub from: Timestamp,
    pub to: Timestamp,
    pub filter: ReportFilter,
}

impl ReportQuery {
    pub fn check(&self) -> Result<()> {
        let days = self.to.duration_since(self.from).as_hours() / 24;
        if self.to <= self.from || days > MAX_DAYS {
            return Err(ParseError::Invalid {
                field: "to",
                reason: "report_period",
            }
            .into());
        }
        Ok(())
    }
}

pub struct Report {
    pub figures: Figures,
    /// The same figures for the period of the same length just before.
    pub previous: Figures,
    /// The names of the agents in `figures.agents`.
    pub agent_names: HashMap<i64, String>,
    /// Staff: the tickets due within the hour or already late, most urgent first.
    pub breaching: Vec<Ticket>,
    /// The latest comments given with ratings in the period (ticket, comment, good); the counts
    /// are in the figures.
    pub csat_comments: Vec<(i64, String, bool)>,
    /// Times a customer about to write a ticket opened a suggested article or incident, and how
    /// many of those ended with no ticket within a day.
    pub deflection_opened: i64,
    pub deflected: i64,
}

/// The figures of one period; the backlog is the same for every period, so it is read once per
/// report. Staff's unfiltered reports take the days the daily rollups hold whole from them, and
/// the rest (today, the edges of a period that starts or ends within a day) from the rows;
/// customers' reports and filtered ones count fewer rows and read them all.
async fn period(
    app: &App,
    conn: &mut Conn,
    scope: TicketScope,
    filter: &ReportFilter,
    backlog: Backlog,
    (from, to): (Timestamp, Timestamp),
) -> Result<Figures> {
    let tz = &app.settings.time_zone;
    let window = |from, to| Window {
        from,
        to,
        now: app.clock.now(),
        tz: tz.clone(),
    };
    let mut tally = Tally::default();
    let mut from_rows = vec![(from, to)];
    if matches!(scope, TicketScope::All)
        && filter.is_empty()
        && let Some((first, last)) = crate::report_rollups::covered(app, conn, from, to).await?
        && let (Some(start), Some(end)) = (
            day_start(first, tz),
            last.tomorrow().ok().and_then(|d| day_start(d, tz)),
        )
    {
        tally.add(&atende_store::report_rollups::read(conn, first, last).await?);
        from_rows = vec![(from, start), (end, to)];
    }
    for (a, b) in from_rows.into_iter().filter(|(a, b)| a < b) {
        tally.add(&crate::report_rollups::tally_rows(conn, scope, filter, &window(a, b)).await?);
    }
    Ok(figures(&tally, backlog, &window(from, to)))
}

pub async fn report(app: &App, actor: &Actor, q: &ReportQuery) -> Result<Report> {
    q.check()?;
    let scope = actor.ticket_scope();
    let length = q.to.duration_since(q.from);
    let before = q.from.checked_sub(length).unwrap_or(q.from);
    let mut conn = app.db.read().await?;
    let backlog = store::backlog(&mut conn, scope, &q.filter, app.clock.now()).await?;
    let figures = period(app, &mut conn, scope, &q.filter, backlog, (q.from, q.to)).await?;
    let previous = period(app, &mut conn, scope, &q.filter, backlog, (before, q.from)).await?;
    let csat_comments = store::rating_comments(&mut conn, scope, &q.filter, q.from, q.to).await?;
    let (deflection_opened, deflected) = store::deflection(&mut conn, scope, q.from, q.to).await?;
    let ids: Vec<i64> = figures.agents.keys().copied().collect();
    let agent_names = atende_store::directory::users_by_ids(&mut conn, &ids)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    drop(conn);
    let breaching = if actor.is_staff() {
        let query = TicketQuery {
            unsolved: true,
            with_due: true,
            by_due: true,
            limit: 20,
            ..TicketQuery::default()
        };
        let soon = app
            .clock
            .now()
            .checked_add(SignedDuration::from_hours(1))
            .unwrap_or(app.clock.now());
        let (due, _) = tickets::list(app, actor, query).await?;
        due.into_iter()
            .filter(|t| t.sla_due_at.is_some_and(|d| d <= soon))
            .collect()
    } else {
        Vec::new()
    };
    Ok(Report {
        figures,
        previous,
        agent_names,
        breaching,
        csat_comments,
        deflection_opened,
        deflected,
    })
}

/// One page of the tickets created in the period, after id `after`.
pub async fn export_page(app: &App, actor: &Actor, q: &ReportQuery, after: i64, limit: i64) -> Result<Vec<ExportRow>> {
    q.check()?;
    let mut conn = app.db.read().await?;
    Ok(store::export_page(&mut conn, actor.ticket_scope(), &q.filter, (q.from, q.to), after, limit).await?)
}

/// Who may get the weekly report: the support team, and a customer admin for their organization.
fn may_subscribe(actor: &Actor) -> bool {
    actor.is_staff() || actor.user.role == atende_domain::Role::CustomerAdmin
}

/// Turns the weekly report by e-mail on or off for the caller.
pub async fn subscribe(app: &App, actor: &Actor, on: bool) -> Result<()> {
    if on && !may_subscribe(actor) {
        return Err(crate::AppError::Forbidden("reports.weekly_role"));
    }
    // The first report is next Monday's: the week under way is not over.
    let (monday, _) = this_monday(app);
    let mut tx = app.db.begin().await?;
    store::set_subscribed(&mut tx, actor.id(), on, &monday.to_string(), app.clock.now()).await?;
    crate::auth::commit(tx).await
}

pub async fn subscribed(app: &App, actor: &Actor) -> Result<bool> {
    let mut conn = app.db.read().await?;
    Ok(store::is_subscribed(&mut conn, actor.id()).await?)
}

/// From Monday 08:00 on the operation's calendar, each subscriber is mailed the figures of the
/// week before (Monday to Sunday), once, in their language and within what they may see.
/// Returns how many reports went.
pub async fn send_weekly(app: &App) -> Result<usize> {
    use crate::i18n::{Arg, I18n};
    let (monday, before_eight) = this_monday(app);
    if before_eight {
        return Ok(0);
    }
    let monday_code = monday.to_string();
    let due = {
        let mut conn = app.db.read().await?;
        store::due_subscribers(&mut conn, &monday_code).await?
    };
    let mut sent = 0;
    for user_id in due {
        let user = {
            let mut conn = app.db.read().await?;
            atende_store::directory::get_user(&mut conn, user_id).await?
        };
        let Some(user) = user else { continue };
        let actor = Actor { user };
        if !may_subscribe(&actor) {
            continue;
        }
        let start = |d: jiff::civil::Date| d.to_zoned(app.settings.time_zone.clone()).map(|z| z.timestamp());
        let (Ok(from), Ok(to)) = (start(monday.saturating_sub(jiff::Span::new().days(7))), start(monday)) else {
            continue;
        };
        let q = ReportQuery {
            from,
            to,
            filter: ReportFilter::default(),
        };
        let r = report(app, &actor, &q).await?;
        let lang = actor.user.language.unwrap_or(app.settings.default_language);
        let texts = I18n::shared();
        let f = &r.figures;
        let n = |v: i64| Arg::Number(v);
        let minutes = |m: Option<f64>| Arg::Text(m.map(|m| format!("{m:.0}")).unwrap_or_else(|| "—".to_owned()));
        let pct = |a: i64, b: i64| {
            Arg::Text(if a + b == 0 {
                "—".to_owned()
            } else {
                format!("{} %", a * 100 / (a + b))
            })
        };
        let last_day = monday.saturating_sub(jiff::Span::new().days(1));
        let period = [
            ("from", Arg::Text(q_day(from, app))),
            ("to", Arg::Text(last_day.to_string())),
        ];
        let page = if actor.is_staff() {
            "/agent/reports"
        } else {
            "/portal/reports"
        };
        let link = format!(
            "{}{page}?from={}&to={last_day}",
            app.settings.public_url.trim_end_matches('/'),
            q_day(from, app)
        );
        let paragraphs = vec![
            texts.text(lang, "mail-weekly-intro", &period),
            texts.text(
                lang,
                "mail-weekly-figures",
                &[
                    ("created", n(f.created)),
                    ("previous", n(r.previous.created)),
                    ("solved", n(f.solved)),
                    ("reopened", n(f.reopened)),
                    ("backlog", n(f.backlog)),
                    ("first", minutes(f.first_response.median)),
                    ("sla", pct(f.sla_achieved, f.sla_breached)),
                    ("csat", pct(f.csat_good, f.csat_bad)),
                ],
            ),
            link,
        ];
        let letter = crate::mail::letters::Letter::notice(
            "weekly_report",
            format!("weekly-report:{user_id}:{monday_code}"),
            actor.user.email.clone(),
            lang,
            texts.text(lang, "mail-weekly-subject", &period),
            paragraphs,
        );
        let mut tx = app.db.begin().await?;
        if store::claim_week(&mut tx, user_id, &monday_code).await?
            && crate::mail::letters::queue(app, &mut tx, letter).await?
        {
            sent += 1;
        }
        crate::auth::commit(tx).await?;
    }
    Ok(sent)
}

fn q_day(at: Timestamp, app: &App) -> String {
    at.to_zoned(app.settings.time_zone.clone()).date().to_string()
}

/// This week's Monday on the operation's calendar, and whether it is Monday before 08:00.
fn this_monday(app: &App) -> (jiff::civil::Date, bool) {
    let now = app.clock.now().to_zoned(app.settings.time_zone.clone());
    let monday = now
        .date()
        .saturating_sub(jiff::Span::new().days(i64::from(now.weekday().to_monday_zero_offset())));
    (monday, now.date() == monday && now.hour() < 8)
}
