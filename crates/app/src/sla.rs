//! Service levels: applying policies to tickets, the sweep that warns and records breaches, the
//! explanation of a ticket's due times, and the admin's calendars and policies.

use std::collections::BTreeSet;

use atende_domain::{
    ParseError, Priority, TicketStatus, TicketType,
    entities::{Contract, Ticket, TicketEvent},
    sla::{
        self, Calendar, ClockState, Happening, HolidayRule, Holidays, Measurement, Policy, Target, TicketTimeline, Week,
    },
};
use atende_store::{
    Conn, membership,
    sla::{self as store, CalendarRecord, ClockRecord},
    tickets::{self, TicketScope},
};
use jiff::{Timestamp, civil::Date, tz::TimeZone};
use serde_json::json;

use crate::{
    Actor, App, AppError, Result,
    auth::commit,
    cache::{Profile, ProfileCache},
};

// ---- calendars

/// Turns a stored calendar into the domain's, checking it.
pub fn calendar_of(record: &CalendarRecord) -> Result<Calendar> {
    let time_zone = TimeZone::get(&record.time_zone).map_err(|_| ParseError::Invalid {
        field: "time_zone",
        reason: "time_zone_unknown",
    })?;
    let days: [Vec<(u16, u16)>; 7] = record.week.clone().try_into().map_err(|_| ParseError::Invalid {
        field: "week",
        reason: "week_shape",
    })?;
    let week = Week(days);
    week.validate().map_err(|_| ParseError::Invalid {
        field: "week",
        reason: "week_shape",
    })?;
    let rules: Vec<HolidayRule> = match record.holiday_rules.as_str() {
        "brazil" => sla::brazil_national(),
        _ => Vec::new(),
    };
    Ok(Calendar {
        time_zone,
        week,
        holidays: Holidays {
            rules,
            extra: record.extra_holidays.iter().map(|(d, _)| *d).collect(),
        },
    })
}

fn default_calendars() -> Vec<CalendarRecord> {
    vec![
        CalendarRecord {
            code: "business".into(),
            name: "Business hours (Mon-Fri 08:00-18:00, Brazil)".into(),
            time_zone: "America/Sao_Paulo".into(),
            week: Week::weekdays(8 * 60, 18 * 60).0.to_vec(),
            holiday_rules: "brazil".into(),
            extra_holidays: Vec::new(),
        },
        CalendarRecord {
            code: "24x7".into(),
            name: "Around the clock".into(),
            time_zone: "America/Sao_Paulo".into(),
            week: Week::always().0.to_vec(),
            holiday_rules: "none".into(),
            extra_holidays: Vec::new(),
        },
    ]
}

/// Loads the default calendars and policies where none exist yet.
pub(crate) async fn ensure_defaults(conn: &mut Conn) -> Result<()> {
    for calendar in default_calendars() {
        if !store::calendar_exists(conn, &calendar.code).await? {
            store::upsert_calendar(conn, &calendar).await?;
        }
    }
    if store::list_policies(conn).await?.is_empty() {
        for policy in sla::default_policies() {
            store::insert_policy(conn, &policy).await?;
        }
    }
    Ok(())
}

// ---- applying policies to a ticket

/// The ticket's history as the clocks see it, read from its events.
fn timeline(ticket: &Ticket, events: &[TicketEvent]) -> TicketTimeline {
    let mut happenings = Vec::new();
    for event in events {
        let data: serde_json::Value = serde_json::from_str(&event.data).unwrap_or_default();
        match event.kind.as_str() {
            "status_changed" => {
                if let Some(to) = data["to"].as_str().and_then(|s| s.parse::<TicketStatus>().ok()) {
                    happenings.push(Happening::Status {
                        at: event.created_at,
                        to,
                    });
                }
            }
            "message_added" if data["visibility"] == "public" => {
                happenings.push(Happening::Reply {
                    at: event.created_at,
                    by_staff: data["by_staff"] == true,
                });
            }
            _ => {}
        }
    }
    // Events are stored in id order; the clocks need time order (a stable sort keeps ties as stored).
    happenings.sort_by_key(Happening::at);
    TicketTimeline {
        created_at: ticket.created_at,
        happenings,
    }
}

/// The clocks of a ticket about to be opened at `now` (computed outside the write transaction, so
/// that the single writer holds its lock only for the inserts): the policy's id and the measurements.
pub(crate) fn initial_clocks(
    profile: &Profile,
    tier: Option<atende_domain::SlaTier>,
    ticket_type: TicketType,
    priority: Priority,
    now: Timestamp,
) -> Option<(i64, Vec<Measurement>)> {
    let policy = sla::select(&profile.policies, tier?, ticket_type, priority)?;
    let (_, calendar) = profile.calendars.get(&policy.calendar)?;
    let history = TicketTimeline {
        created_at: now,
        happenings: Vec::new(),
    };
    Some((policy.id, sla::compute(&history, policy, calendar, now)))
}

/// The policy and calendar that apply to a ticket now, if any (plans without a tier have none).
async fn policy_for(cache: &ProfileCache, conn: &mut Conn, ticket: &Ticket) -> Result<Option<AppliedPolicy>> {
    let Some(contract) = membership::get_contract(conn, ticket.contract_id).await? else {
        return Ok(None);
    };
    let profile = cache.get(conn).await?;
    Ok(policy_of(&profile, &contract, ticket))
}

/// The policy and calendar that apply to a ticket of `contract` now, if any.
pub(crate) fn policy_of(profile: &Profile, contract: &Contract, ticket: &Ticket) -> Option<AppliedPolicy> {
    let tier = profile.plan(&contract.plan_code)?.tier?;
    let policy = sla::select(&profile.policies, tier, ticket.ticket_type, ticket.priority)?.clone();
    let (record, calendar) = profile.calendars.get(&policy.calendar)?.clone();
    Some((policy, calendar, record))
}

/// A policy that applies, the calendar it counts on, and that calendar as stored.
pub(crate) type AppliedPolicy = (Policy, Calendar, CalendarRecord);

/// Recomputes the ticket's clocks from its whole history with the policy that applies now, so a
/// change of priority, type or contract re-applies the right policy as if it had always held.
/// Runs inside the caller's transaction.
pub(crate) async fn recompute(cache: &ProfileCache, conn: &mut Conn, ticket_id: i64, now: Timestamp) -> Result<()> {
    let Some(ticket) = tickets::get_ticket(conn, ticket_id, TicketScope::All).await? else {
        return Ok(());
    };
    match policy_for(cache, conn, &ticket).await? {
        Some((policy, calendar, _)) => {
            let history = timeline(&ticket, &tickets::list_events(conn, ticket.id).await?);
            let measurements = sla::compute(&history, &policy, &calendar, now);
            store::replace_clocks(conn, ticket.id, Some(policy.id), &measurements).await?;
        }
        None => store::replace_clocks(conn, ticket.id, None, &[]).await?,
    }
    Ok(())
}

// ---- explaining

pub struct TargetView {
    pub measurement: Measurement,
    pub warned_at: Option<Timestamp>,
    pub breach_recorded_at: Option<Timestamp>,
    /// Holidays between the clock's start and its due time, which the count skipped.
    pub holidays_skipped: Vec<(Date, String)>,
    /// Whether closed hours lie between the start and the due time.
    pub closed_hours_skipped: bool,
}

pub struct SlaView {
    pub policy: Option<Policy>,
    pub calendar: Option<CalendarRecord>,
    pub targets: Vec<TargetView>,
}

/// The ticket's clocks, computed afresh for `now`, with what the sweep already did.
pub async fn explain(app: &App, actor: &Actor, ticket_id: i64) -> Result<SlaView> {
    let mut conn = app.db.read().await?;
    let ticket = tickets::get_ticket(&mut conn, ticket_id, actor.ticket_scope())
        .await?
        .ok_or(AppError::NotFound("ticket"))?;
    let applied = policy_for(&app.profile, &mut conn, &ticket).await?;
    let events = match applied {
        Some(_) => tickets::list_events(&mut conn, ticket.id).await?,
        None => Vec::new(),
    };
    explain_given(&mut conn, &ticket, &events, applied, app.clock.now()).await
}

/// `explain` for a ticket whose events and applied policy the caller has read.
pub(crate) async fn explain_given(
    conn: &mut Conn,
    ticket: &Ticket,
    events: &[TicketEvent],
    applied: Option<AppliedPolicy>,
    now: Timestamp,
) -> Result<SlaView> {
    let Some((policy, calendar, record)) = applied else {
        return Ok(SlaView {
            policy: None,
            calendar: None,
            targets: Vec::new(),
        });
    };
    let history = timeline(ticket, events);
    let stored = store::clocks_of(conn, ticket.id).await?;
    let measurements = sla::compute(&history, &policy, &calendar, now);
    let targets = sla::current(&measurements)
        .into_iter()
        .map(|m| {
            let kept = stored
                .iter()
                .find(|s| s.measurement.target == m.target && s.measurement.cycle == m.cycle);
            let end = m.due_at.unwrap_or(m.started_at);
            let (from, to) = (calendar.local_date(m.started_at), calendar.local_date(end));
            let wall = end.duration_since(m.started_at).as_secs();
            TargetView {
                measurement: m.clone(),
                warned_at: kept.and_then(|k| k.warned_at),
                breach_recorded_at: kept.and_then(|k| k.breach_recorded_at),
                holidays_skipped: calendar.holidays.between(from, to),
                closed_hours_skipped: wall > calendar.seconds_between(m.started_at, end),
            }
        })
        .collect();
    Ok(SlaView {
        policy: Some(policy),
        calendar: Some(record),
        targets,
    })
}

// ---- the sweep

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SweepReport {
    pub warned: usize,
    pub breached: usize,
    pub escalated: usize,
}

/// Who hears of a ticket's service level: its assignee; else its group's members; else every
/// agent. Supervisors always.
pub(crate) fn audience(
    supervisors: &[i64],
    agents: &[i64],
    assignee: Option<i64>,
    group: Option<&[i64]>,
) -> BTreeSet<i64> {
    let mut people: BTreeSet<i64> = supervisors.iter().copied().collect();
    match (assignee, group.filter(|m| !m.is_empty())) {
        (Some(a), _) => {
            people.insert(a);
        }
        (None, Some(members)) => people.extend(members),
        (None, None) => people.extend(agents),
    }
    people
}

/// `audience` for one ticket, read from the database (the mail of an SLA event).
pub(crate) async fn audience_of(conn: &mut Conn, ticket: &Ticket) -> Result<BTreeSet<i64>> {
    let agents = store::users_with_roles(conn, &["agent"]).await?;
    let supervisors = store::users_with_roles(conn, &["supervisor"]).await?;
    let group = match ticket.group_id {
        Some(group) => Some(membership::member_ids(conn, atende_store::membership::Team::Group(group)).await?),
        None => None,
    };
    Ok(audience(&supervisors, &agents, ticket.assignee_id, group.as_deref()))
}

/// Warns about clocks nearing their target and records breaches, each exactly once even with
/// several server processes on one database (the claims are conditional updates). Up to `batch`
/// of each per call. Set-based: a few statements per batch, not per clock.
pub async fn sweep(app: &App, batch: i64) -> Result<SweepReport> {
    let now = app.clock.now();
    let started = std::time::Instant::now();
    let mut tx = app.db.begin().await?;
    let warned = store::claim_warnings(&mut tx, now, batch).await?;
    let breached = store::claim_breaches(&mut tx, now, batch).await?;
    let claimed = started.elapsed();
    if warned.is_empty() && breached.is_empty() {
        commit(tx).await?;
        return Ok(SweepReport::default());
    }
    // The assignee is told, or every agent when nobody is assigned; supervisors always are.
    let agents = store::users_with_roles(&mut tx, &["agent"]).await?;
    let supervisors = store::users_with_roles(&mut tx, &["supervisor"]).await?;
    let ids: Vec<i64> = warned
        .iter()
        .chain(&breached)
        .map(|c| c.ticket_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let heads: std::collections::HashMap<i64, tickets::TicketHead> = tickets::heads(&mut tx, &ids)
        .await?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    // Each group's members, read once per batch.
    let mut group_members: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for group in heads.values().filter_map(|h| h.group_id).collect::<BTreeSet<_>>() {
        group_members.insert(
            group,
            membership::member_ids(&mut tx, atende_store::membership::Team::Group(group)).await?,
        );
    }

    let mut events = Vec::new();
    let mut notes = Vec::new();
    let mut report = SweepReport {
        warned: warned.len(),
        breached: breached.len(),
        escalated: 0,
    };
    let kinds = warned
        .iter()
        .map(|c| (c, "sla_warning"))
        .chain(breached.iter().map(|c| (c, "sla_breached")));
    for (clock, kind) in kinds {
        let Some(head) = heads.get(&clock.ticket_id).copied() else {
            continue;
        };
        let (ticket_type, priority) = (head.ticket_type, head.priority);
        let m = &clock.measurement;
        let data = json!({"target": m.target.code(), "cycle": m.cycle, "due_at": m.due_at.map(|d| d.to_string()), "target_minutes": m.target_minutes}).to_string();
        let members = head.group_id.and_then(|g| group_members.get(&g));
        for user_id in audience(&supervisors, &agents, head.assignee_id, members.map(Vec::as_slice)) {
            notes.push(store::NewNotification {
                user_id,
                ticket_id: Some(clock.ticket_id),
                kind,
                data: data.clone(),
            });
        }
        events.push(tickets::NewEvent {
            ticket_id: clock.ticket_id,
            actor_id: None,
            channel: "system",
            kind,
            data: data.clone(),
        });
        if kind == "sla_breached" && ticket_type == TicketType::Incident && priority == Priority::Urgent {
            events.push(tickets::NewEvent {
                ticket_id: clock.ticket_id,
                actor_id: None,
                channel: "system",
                kind: "escalated",
                data: data.clone(),
            });
            for &user_id in &supervisors {
                notes.push(store::NewNotification {
                    user_id,
                    ticket_id: Some(clock.ticket_id),
                    kind: "escalation",
                    data: data.clone(),
                });
            }
            report.escalated += 1;
        }
    }
    let prepared = started.elapsed();
    tickets::insert_events(&mut tx, &events, now).await?;
    store::notify_many(&mut tx, &notes, now).await?;
    let written = started.elapsed();
    commit(tx).await?;
    tracing::debug!(?claimed, ?prepared, ?written, total = ?started.elapsed(), warned = report.warned, breached = report.breached, "SLA sweep batch");
    Ok(report)
}

// ---- admin: policies and calendars

/// Re-applies the SLA to every active ticket after a change of policies, calendars or holidays,
/// so that stored due times (which the sweep acts on) never lag behind the rules. Each batch is a
/// transaction of its own; the cost grows with the number of active tickets.
async fn reapply_active(app: &App) -> Result<usize> {
    let mut after = 0;
    let mut done = 0;
    loop {
        let ids = {
            let mut conn = app.db.read().await?;
            store::active_ticket_ids(&mut conn, after, 500).await?
        };
        let Some(&last) = ids.last() else { return Ok(done) };
        let mut tx = app.db.begin().await?;
        let now = app.clock.now();
        for id in &ids {
            tickets::lock_ticket(&mut tx, *id).await?;
            recompute(&app.profile, &mut tx, *id, now).await?;
        }
        commit(tx).await?;
        done += ids.len();
        after = last;
    }
}

pub async fn list_policies(app: &App, actor: &Actor) -> Result<Vec<Policy>> {
    actor.require_staff()?;
    let mut conn = app.db.read().await?;
    Ok(store::list_policies(&mut conn).await?)
}

async fn check_policy(conn: &mut Conn, p: &Policy) -> Result<()> {
    atende_domain::text::bounded("name", &p.name, 200)?;
    if !store::calendar_exists(conn, &p.calendar).await? {
        return Err(ParseError::Invalid {
            field: "calendar",
            reason: "calendar_unknown",
        }
        .into());
    }
    let minutes = [
        p.targets.first_response,
        p.targets.next_response,
        p.targets.periodic_update,
        p.targets.resolution,
    ];
    if minutes.iter().flatten().any(|m| *m <= 0 || *m > 525_600) {
        return Err(ParseError::Invalid {
            field: "targets",
            reason: "target_minutes",
        }
        .into());
    }
    if !(1..=100).contains(&p.warn_percent) {
        return Err(ParseError::Invalid {
            field: "warn_percent",
            reason: "percent",
        }
        .into());
    }
    Ok(())
}

pub async fn create_policy(app: &App, actor: &Actor, policy: Policy) -> Result<Policy> {
    actor.require_admin()?;
    let mut tx = app.db.begin().await?;
    check_policy(&mut tx, &policy).await?;
    let id = store::insert_policy(&mut tx, &policy).await?;
    atende_store::profile::bump_version(&mut tx).await?;
    commit(tx).await?;
    reapply_active(app).await?;
    Ok(Policy { id, ..policy })
}

pub async fn update_policy(app: &App, actor: &Actor, policy: Policy) -> Result<Policy> {
    actor.require_admin()?;
    let mut tx = app.db.begin().await?;
    check_policy(&mut tx, &policy).await?;
    if !store::update_policy(&mut tx, &policy).await? {
        return Err(AppError::NotFound("policy"));
    }
    atende_store::profile::bump_version(&mut tx).await?;
    commit(tx).await?;
    reapply_active(app).await?;
    Ok(policy)
}

pub async fn delete_policy(app: &App, actor: &Actor, id: i64) -> Result<()> {
    actor.require_admin()?;
    let mut tx = app.db.begin().await?;
    if !store::delete_policy(&mut tx, id).await? {
        return Err(AppError::NotFound("policy"));
    }
    atende_store::profile::bump_version(&mut tx).await?;
    commit(tx).await?;
    reapply_active(app).await?;
    Ok(())
}

pub struct CalendarView {
    pub record: CalendarRecord,
    /// The holidays of the next twelve months, rules and added dates together.
    pub upcoming_holidays: Vec<(Date, String)>,
    /// Set when the calendar has no holiday at all in the next twelve months: probably forgotten.
    pub warning: Option<&'static str>,
}

pub async fn list_calendars(app: &App, actor: &Actor) -> Result<Vec<CalendarView>> {
    actor.require_staff()?;
    let mut conn = app.db.read().await?;
    let today = app.today();
    let horizon = today.checked_add(jiff::Span::new().months(12)).unwrap_or(today);
    let mut out = Vec::new();
    for record in store::list_calendars(&mut conn).await? {
        let calendar = calendar_of(&record)?;
        let upcoming: Vec<(Date, String)> = calendar
            .holidays
            .between(today, horizon)
            .into_iter()
            .map(|(d, name)| {
                let name = if name.is_empty() {
                    record
                        .extra_holidays
                        .iter()
                        .find(|(x, _)| *x == d)
                        .map(|(_, n)| n.clone())
                        .unwrap_or_default()
                } else {
                    name
                };
                (d, name)
            })
            .collect();
        let warning = (upcoming.is_empty() && !calendar.week.is_always()).then_some("no_holidays_ahead");
        out.push(CalendarView {
            record,
            upcoming_holidays: upcoming,
            warning,
        });
    }
    Ok(out)
}

pub async fn save_calendar(app: &App, actor: &Actor, record: CalendarRecord) -> Result<()> {
    actor.require_admin()?;
    let code = atende_domain::text::bounded("code", &record.code, 40)?;
    atende_domain::text::bounded("name", &record.name, 200)?;
    if !["brazil", "none"].contains(&record.holiday_rules.as_str()) {
        return Err(ParseError::NotOneOf {
            field: "holiday_rules",
            allowed: "brazil, none",
        }
        .into());
    }
    calendar_of(&record)?;
    let mut tx = app.db.begin().await?;
    store::upsert_calendar(&mut tx, &CalendarRecord { code, ..record }).await?;
    atende_store::profile::bump_version(&mut tx).await?;
    commit(tx).await?;
    reapply_active(app).await?;
    Ok(())
}

pub async fn add_holiday(app: &App, actor: &Actor, calendar: &str, day: Date, name: &str) -> Result<()> {
    actor.require_admin()?;
    let name = atende_domain::text::bounded("name", name, 200)?;
    let mut tx = app.db.begin().await?;
    if !store::calendar_exists(&mut tx, calendar).await? {
        return Err(AppError::NotFound("calendar"));
    }
    store::add_holiday(&mut tx, calendar, day, &name).await?;
    atende_store::profile::bump_version(&mut tx).await?;
    commit(tx).await?;
    reapply_active(app).await?;
    Ok(())
}

pub async fn remove_holiday(app: &App, actor: &Actor, calendar: &str, day: Date) -> Result<()> {
    actor.require_admin()?;
    let mut tx = app.db.begin().await?;
    if !store::remove_holiday(&mut tx, calendar, day).await? {
        return Err(AppError::NotFound("holiday"));
    }
    atende_store::profile::bump_version(&mut tx).await?;
    commit(tx).await?;
    reapply_active(app).await?;
    Ok(())
}

// ---- notifications

pub async fn notifications(app: &App, actor: &Actor, unread_only: bool) -> Result<Vec<store::Notification>> {
    let mut conn = app.db.read().await?;
    Ok(store::notifications_of(&mut conn, actor.id(), unread_only, 200).await?)
}

pub async fn mark_read(app: &App, actor: &Actor, id: i64) -> Result<()> {
    let mut tx = app.db.begin().await?;
    if !store::mark_read(&mut tx, actor.id(), id, app.clock.now()).await? {
        return Err(AppError::NotFound("notification"));
    }
    commit(tx).await
}

// ---- the SLA report

#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    pub tier: String,
    pub ticket_type: String,
    pub priority: String,
    pub target: Target,
    /// Tickets with this target measured; `achieved` and `breached` count tickets too.
    pub tickets: usize,
    pub achieved: usize,
    pub breached: usize,
    /// Of the finished measurements (achieved or breached), in business minutes.
    pub median_minutes: Option<f64>,
    pub p90_minutes: Option<f64>,
}

fn quantile(sorted: &[i64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    // Linear interpolation between closest ranks.
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    let frac = pos - lo as f64;
    Some((sorted[lo] as f64 * (1.0 - frac) + sorted[hi] as f64 * frac) / 60.0)
}

/// Per tier, type, priority and target: tickets counted, achieved, breached, median and p90.
pub async fn report(app: &App, actor: &Actor, from: Timestamp, to: Timestamp) -> Result<Vec<ReportRow>> {
    actor.require_staff()?;
    let mut conn = app.db.read().await?;
    let rows = store::report_rows(&mut conn, from, to).await?;
    let mut groups: std::collections::BTreeMap<(String, String, String, Target), Vec<ClockRecord>> = Default::default();
    for (tier, ticket_type, priority, clock) in rows {
        groups
            .entry((tier, ticket_type, priority, clock.measurement.target))
            .or_default()
            .push(clock);
    }
    let mut out = Vec::new();
    for ((tier, ticket_type, priority, target), clocks) in groups {
        // Counted per ticket: a ticket breached the target if any of its cycles did; it achieved it
        // if it has finished cycles and none breached. Tickets still running count in neither.
        let tickets: BTreeSet<i64> = clocks.iter().map(|c| c.ticket_id).collect();
        let is_breach = |c: &ClockRecord| c.measurement.state == ClockState::Breached;
        let breached_tickets: BTreeSet<i64> = clocks.iter().filter(|c| is_breach(c)).map(|c| c.ticket_id).collect();
        let achieved_tickets: BTreeSet<i64> = clocks
            .iter()
            .filter(|c| c.measurement.state == ClockState::Achieved && !breached_tickets.contains(&c.ticket_id))
            .map(|c| c.ticket_id)
            .collect();
        let (breached, achieved) = (breached_tickets.len(), achieved_tickets.len());
        let mut finished: Vec<i64> = clocks
            .iter()
            .filter(|c| c.measurement.stopped_at.is_some())
            .map(|c| c.measurement.elapsed_secs)
            .collect();
        finished.sort_unstable();
        out.push(ReportRow {
            tier,
            ticket_type,
            priority,
            target,
            tickets: tickets.len(),
            achieved,
            breached,
            median_minutes: quantile(&finished, 0.5),
            p90_minutes: quantile(&finished, 0.9),
        });
    }
    Ok(out)
}
