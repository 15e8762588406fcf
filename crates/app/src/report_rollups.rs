//! Keeping the reports' daily rollups: each day of the operation's calendar, once it is over,
//! is counted from its rows and stored; a change to what a past day counted (marked
//! stale in the transaction that made it) has the days from then on counted again. Any number
//! of processes may run this: each day is claimed by moving the last rolled-up day, once.

use atende_domain::reports::{Rows, Tally, Window, day_start, tally};
use atende_store::{
    one_at_a_time,
    report_rollups::{self as store, RollupState},
    reports::{self as rows, ReportFilter},
    tickets::TicketScope,
};
use jiff::{SignedDuration, Timestamp, civil::Date, tz::TimeZone};

use crate::{App, Result};

/// How long after a day ends its last writes may still be committing.
const SETTLE: SignedDuration = SignedDuration::from_mins(5);

/// The name the rollups' calendar is recorded by.
pub fn zone_name(tz: &TimeZone) -> String {
    tz.iana_name().map_or_else(|| format!("{tz:?}"), str::to_owned)
}

/// The rows of `[from, to)` on every ticket, counted together.
pub(crate) async fn tally_rows(
    conn: &mut atende_store::Conn,
    scope: TicketScope,
    filter: &ReportFilter,
    window: &Window,
) -> Result<Tally> {
    let (from, to) = (window.from, window.to);
    let created = rows::created(conn, scope, filter, from, to).await?;
    let events = rows::events(conn, scope, filter, from, to).await?;
    let clocks = rows::clocks(conn, scope, filter, from, to).await?;
    let ratings = rows::ratings(conn, scope, filter, from, to).await?;
    let rows = Rows {
        created: &created,
        events: &events,
        clocks: &clocks,
        ratings: &ratings,
    };
    Ok(tally(&rows, window))
}

/// The days of `[from, to)` the rollups hold whole, if any: the report reads those from the
/// rollups and the rest from the rows.
pub(crate) async fn covered(
    app: &App,
    conn: &mut atende_store::Conn,
    from: Timestamp,
    to: Timestamp,
) -> Result<Option<(Date, Date)>> {
    let tz = &app.settings.time_zone;
    let Some(RollupState {
        time_zone,
        done_through: Some(done),
    }) = store::state(conn).await?
    else {
        return Ok(None);
    };
    if time_zone != zone_name(tz) {
        return Ok(None);
    }
    let day_of = |at: Timestamp| at.to_zoned(tz.clone()).date();
    let first = match day_start(day_of(from), tz) {
        Some(start) if start == from => day_of(from),
        _ => day_of(from).tomorrow().ok().unwrap_or(day_of(from)),
    };
    let Ok(before_to) = day_of(to).yesterday() else {
        return Ok(None);
    };
    let last = before_to.min(done);
    Ok((first <= last).then_some((first, last)))
}

/// What a run did: days rolled up, and whether days that are over remain (the next run takes them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RollUp {
    pub days: usize,
    pub more: bool,
}

/// Rolls up at most `max_days` days that are over; `progress` hears (days done, days to do).
pub async fn run(app: &App, max_days: usize, mut progress: impl FnMut(usize, usize)) -> Result<RollUp> {
    let tz = app.settings.time_zone.clone();
    let zone = zone_name(&tz);
    let now = app.clock.now();
    let day_of = |at: Timestamp| at.to_zoned(tz.clone()).date();
    {
        let mut tx = app.db.begin().await?;
        one_at_a_time(&mut tx, "report_rollups").await?;
        let state = store::state(&mut tx).await?;
        match state {
            Some(s) if s.time_zone == zone => {
                // Changes to days already rolled up: those days and the ones after are counted again.
                if let Some(since) = store::take_stale(&mut tx).await?
                    && let Some(done) = s.done_through
                    && day_of(since) <= done
                {
                    let again = day_of(since).yesterday().ok();
                    store::move_done_through(&mut tx, Some(done), again).await?;
                }
            }
            // New, or the operation's calendar changed: every day is cut anew.
            _ => store::reset(&mut tx, &zone).await?,
        }
        crate::auth::commit(tx).await?;
    }
    let mut done_now = RollUp::default();
    loop {
        let (state, first) = {
            let mut conn = app.db.read().await?;
            (store::state(&mut conn).await?, store::first_activity(&mut conn).await?)
        };
        let Some(state) = state else { break };
        let next = match (state.done_through, first) {
            (Some(done), _) => done.tomorrow().ok(),
            (None, Some(first)) => Some(day_of(first)),
            (None, None) => None,
        };
        let Some(next) = next else { break };
        let (Some(start), Some(end)) = (
            day_start(next, &tz),
            next.tomorrow().ok().and_then(|d| day_start(d, &tz)),
        ) else {
            break;
        };
        if end.checked_add(SETTLE).unwrap_or(end) > now {
            break;
        }
        if done_now.days == max_days {
            done_now.more = true;
            break;
        }
        let last_over = day_of(now.checked_sub(SETTLE).unwrap_or(now))
            .yesterday()
            .unwrap_or(next);
        let to_do = usize::try_from((last_over - next).get_days()).unwrap_or(0) + 1;
        let window = Window {
            from: start,
            to: end,
            now,
            tz: tz.clone(),
        };
        // Counted on a reading connection, so that the single writer is held only to store it.
        let day = {
            let mut conn = app.db.read().await?;
            tally_rows(&mut conn, TicketScope::All, &ReportFilter::default(), &window).await?
        };
        let mut tx = app.db.begin().await?;
        one_at_a_time(&mut tx, "report_rollups").await?;
        if store::move_done_through(&mut tx, state.done_through, Some(next)).await? {
            store::write_day(&mut tx, next, &day).await?;
            crate::auth::commit(tx).await?;
            done_now.days += 1;
            progress(done_now.days, done_now.days + to_do - 1);
        }
    }
    Ok(done_now)
}

/// Forgets every rollup and counts every day again (`atende reports rebuild`).
pub async fn rebuild(app: &App, progress: impl FnMut(usize, usize)) -> Result<RollUp> {
    let mut tx = app.db.begin().await?;
    one_at_a_time(&mut tx, "report_rollups").await?;
    store::reset(&mut tx, &zone_name(&app.settings.time_zone)).await?;
    crate::auth::commit(tx).await?;
    run(app, usize::MAX, progress).await
}
