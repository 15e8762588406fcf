//! Reports: the figures of a period and of the period before it (for trends), within what the
//! reader may see (staff: everything; a customer admin: their organization; a customer: the
//! contracts they are in view of), and the tickets behind them as an export.

use std::collections::HashMap;

use atende_domain::{
    ParseError,
    entities::Ticket,
    reports::{Figures, Rows, Window, figures},
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
    /// Ratings given in the period: good, bad, and the latest comments (ticket, comment, good).
    pub csat_good: i64,
    pub csat_bad: i64,
    pub csat_comments: Vec<(i64, String, bool)>,
    /// Times a customer about to write a ticket opened a suggested article or incident, and how
    /// many of those ended with no ticket within a day.
    pub deflection_opened: i64,
    pub deflected: i64,
}

async fn period(
    app: &App,
    conn: &mut Conn,
    scope: TicketScope,
    filter: &ReportFilter,
    from: Timestamp,
    to: Timestamp,
) -> Result<Figures> {
    let created = store::created(conn, scope, filter, from, to).await?;
    let events = store::events(conn, scope, filter, from, to).await?;
    let clocks = store::clocks(conn, scope, filter, from, to).await?;
    let open = store::open_tickets(conn, scope, filter).await?;
    let rows = Rows {
        created: &created,
        events: &events,
        clocks: &clocks,
        open: &open,
    };
    let window = Window {
        from,
        to,
        now: app.clock.now(),
        tz: app.settings.time_zone.clone(),
    };
    Ok(figures(&rows, &window))
}

pub async fn report(app: &App, actor: &Actor, q: &ReportQuery) -> Result<Report> {
    q.check()?;
    let scope = actor.ticket_scope();
    let length = q.to.duration_since(q.from);
    let before = q.from.checked_sub(length).unwrap_or(q.from);
    let mut conn = app.db.read().await?;
    let figures = period(app, &mut conn, scope, &q.filter, q.from, q.to).await?;
    let previous = period(app, &mut conn, scope, &q.filter, before, q.from).await?;
    let (csat_good, csat_bad, csat_comments) = store::ratings(&mut conn, scope, &q.filter, q.from, q.to).await?;
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
        csat_good,
        csat_bad,
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
