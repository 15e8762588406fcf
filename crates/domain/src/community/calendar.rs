//! The events feed as an iCalendar (RFC 5545) document: a weekly event is one VEVENT with an
//! RRULE, its cancelled sessions EXDATEs, its moved sessions VEVENTs with a RECURRENCE-ID; every
//! zone used comes with its VTIMEZONE, so each calendar client shows the reader's own clock.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp, ToSpan};

use super::{
    events::{Exception, Schedule},
    ical::{Writer, escape, utc, zoned},
};

/// One event of the feed.
pub struct CalendarEvent<'a> {
    /// Stable across versions of the event (`event-7@host`).
    pub uid: String,
    pub summary: &'a str,
    pub description: &'a str,
    pub location: &'a str,
    /// The event's page.
    pub url: String,
    pub schedule: &'a Schedule,
    pub exceptions: &'a [Exception],
    /// When the event last changed.
    pub stamp: Timestamp,
}

/// How far ahead zone rules are written for events that do not end.
const RULES_AHEAD_DAYS: i64 = 2 * 366;

pub fn calendar(name: &str, events: &[CalendarEvent<'_>], now: Timestamp) -> String {
    let mut w = Writer::default();
    w.line("BEGIN", "VCALENDAR");
    w.line("VERSION", "2.0");
    w.line("PRODID", "-//atende//events//EN");
    w.line("CALSCALE", "GREGORIAN");
    w.line("METHOD", "PUBLISH");
    w.line("X-WR-CALNAME", &escape(name));
    // Each zone once, covering every event that uses it.
    let mut zones: BTreeMap<String, (jiff::tz::TimeZone, Timestamp, Timestamp)> = BTreeMap::new();
    for e in events {
        let Some(tz_name) = e.schedule.tz.iana_name() else {
            continue;
        };
        let Ok(first) = e.schedule.first_start.to_zoned(e.schedule.tz.clone()) else {
            continue;
        };
        let ahead = now
            .checked_add(SignedDuration::from_hours(24 * RULES_AHEAD_DAYS))
            .unwrap_or(now);
        let last = match (e.schedule.weekly, e.schedule.until) {
            (true, None) => ahead,
            (true, Some(until)) => until
                .to_datetime(e.schedule.first_start.time())
                .to_zoned(e.schedule.tz.clone())
                .map(|z| z.timestamp())
                .unwrap_or(ahead),
            (false, _) => first.timestamp(),
        };
        let last = moved_starts(e).fold(last, Timestamp::max);
        let entry = zones
            .entry(tz_name.to_owned())
            .or_insert((e.schedule.tz.clone(), first.timestamp(), last));
        entry.1 = entry.1.min(first.timestamp());
        entry.2 = entry.2.max(last);
    }
    for (tz, from, to) in zones.values() {
        w.time_zone(tz, *from, *to);
    }
    for e in events {
        write_event(&mut w, e, now);
    }
    w.line("END", "VCALENDAR");
    w.finish()
}

fn moved_starts<'a>(e: &'a CalendarEvent<'_>) -> impl Iterator<Item = Timestamp> + 'a {
    e.exceptions
        .iter()
        .filter_map(|x| x.moved_to)
        .filter_map(|at| at.to_zoned(e.schedule.tz.clone()).ok())
        .map(|z| z.timestamp())
}

fn common(w: &mut Writer, e: &CalendarEvent<'_>, now: Timestamp) {
    w.line("UID", &e.uid);
    w.line("DTSTAMP", &utc(now));
    w.line("LAST-MODIFIED", &utc(e.stamp));
    w.line("SUMMARY", &escape(e.summary));
    if !e.description.is_empty() {
        w.line("DESCRIPTION", &escape(e.description));
    }
    if !e.location.is_empty() {
        w.line("LOCATION", &escape(e.location));
    }
    w.line("URL", &e.url);
}

fn write_event(w: &mut Writer, e: &CalendarEvent<'_>, now: Timestamp) {
    let s = e.schedule;
    let Ok(start) = s.first_start.to_zoned(s.tz.clone()) else {
        return;
    };
    let Ok(end) = start.checked_add(s.duration_minutes.minutes()) else {
        return;
    };
    w.line("BEGIN", "VEVENT");
    common(w, e, now);
    let (name, value) = zoned("DTSTART", &start);
    w.line(&name, &value);
    let (name, value) = zoned("DTEND", &end);
    w.line(&name, &value);
    if s.weekly {
        let mut rule = "FREQ=WEEKLY".to_owned();
        if let Some(until) = s.until
            && let Ok(last) = until.to_datetime(s.first_start.time()).to_zoned(s.tz.clone())
        {
            // With a zoned DTSTART, UNTIL must be in UTC (RFC 5545 §3.3.10).
            rule.push_str(&format!(";UNTIL={}", utc(last.timestamp())));
        }
        w.line("RRULE", &rule);
        for x in e.exceptions.iter().filter(|x| x.cancelled && s.plans(x.occurs_on)) {
            if let Ok(planned) = x.occurs_on.to_datetime(s.first_start.time()).to_zoned(s.tz.clone()) {
                let (name, value) = zoned("EXDATE", &planned);
                w.line(&name, &value);
            }
        }
    }
    w.line("END", "VEVENT");
    if !s.weekly {
        return;
    }
    for x in e.exceptions.iter().filter(|x| !x.cancelled && s.plans(x.occurs_on)) {
        let Some(moved_to) = x.moved_to else { continue };
        let (Ok(planned), Ok(new_start)) = (
            x.occurs_on.to_datetime(s.first_start.time()).to_zoned(s.tz.clone()),
            moved_to.to_zoned(s.tz.clone()),
        ) else {
            continue;
        };
        let Ok(new_end) = new_start.checked_add(s.duration_minutes.minutes()) else {
            continue;
        };
        w.line("BEGIN", "VEVENT");
        common(w, e, now);
        let (name, value) = zoned("RECURRENCE-ID", &planned);
        w.line(&name, &value);
        let (name, value) = zoned("DTSTART", &new_start);
        w.line(&name, &value);
        let (name, value) = zoned("DTEND", &new_end);
        w.line(&name, &value);
        w.line("END", "VEVENT");
    }
}

#[cfg(test)]
#[path = "calendar_test.rs"]
mod tests;
