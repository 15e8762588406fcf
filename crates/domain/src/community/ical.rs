//! iCalendar (RFC 5545) text: escaping, line folding, and a VTIMEZONE made from the time-zone
//! database, so calendar clients place each session right in the reader's zone. The format is
//! small and fixed; writing it here costs less than a calendar crate and its date library.

use jiff::{
    Timestamp, Zoned,
    civil::DateTime,
    tz::{Offset, TimeZone},
};

/// Escapes a TEXT value (RFC 5545 §3.3.11).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A calendar being written: content lines, folded at 75 octets, ended by CRLF.
#[derive(Default)]
pub struct Writer {
    out: String,
}

impl Writer {
    pub fn line(&mut self, name: &str, value: &str) {
        let line = format!("{name}:{value}");
        let mut width = 0;
        for c in line.chars() {
            let len = c.len_utf8();
            if width + len > 75 {
                self.out.push_str("\r\n ");
                width = 1;
            }
            self.out.push(c);
            width += len;
        }
        self.out.push_str("\r\n");
    }

    pub fn finish(self) -> String {
        self.out
    }

    /// A VTIMEZONE for `tz` that covers `from`..`to`: the rule in force at `from` and every change
    /// until `to`, each with its own onset (no RRULE, so nothing depends on a client's rule maths).
    pub fn time_zone(&mut self, tz: &TimeZone, from: Timestamp, to: Timestamp) {
        let Some(name) = tz.iana_name() else { return };
        self.line("BEGIN", "VTIMEZONE");
        self.line("TZID", name);
        let mut changes: Vec<(Timestamp, Offset, Offset, bool, String)> = Vec::new();
        let transition = |t: jiff::tz::TimeZoneTransition<'_>| {
            let before = tz.to_offset(t.timestamp() - jiff::SignedDuration::from_secs(1));
            (
                t.timestamp(),
                before,
                t.offset(),
                t.dst().is_dst(),
                t.abbreviation().to_owned(),
            )
        };
        if let Some(t) = tz.preceding(from).next() {
            changes.push(transition(t));
        }
        changes.extend(tz.following(from).take_while(|t| t.timestamp() <= to).map(transition));
        if changes.is_empty() {
            // A zone that never changed (UTC): one standard rule from the epoch.
            let offset = tz.to_offset(from);
            changes.push((
                Timestamp::UNIX_EPOCH,
                offset,
                offset,
                false,
                from.to_zoned(tz.clone()).strftime("%Z").to_string(),
            ));
        }
        for (at, before, after, dst, abbreviation) in changes {
            let kind = if dst { "DAYLIGHT" } else { "STANDARD" };
            self.line("BEGIN", kind);
            // The onset is written on the clock that was in force before it.
            self.line("DTSTART", &local(before.to_datetime(at)));
            self.line("TZOFFSETFROM", &offset(before));
            self.line("TZOFFSETTO", &offset(after));
            if !abbreviation.is_empty() {
                self.line("TZNAME", &escape(&abbreviation));
            }
            self.line("END", kind);
        }
        self.line("END", "VTIMEZONE");
    }
}

/// `20261126T150000`: a local date-time (FORM #3 when a TZID goes with it).
pub fn local(at: DateTime) -> String {
    at.strftime("%Y%m%dT%H%M%S").to_string()
}

/// `20261126T180000Z`.
pub fn utc(at: Timestamp) -> String {
    at.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// A zoned moment as a property with its TZID parameter: `("DTSTART;TZID=…", "…")`.
pub fn zoned(name: &str, at: &Zoned) -> (String, String) {
    match at.time_zone().iana_name() {
        Some(tz) => (format!("{name};TZID={tz}"), local(at.datetime())),
        None => (name.to_owned(), utc(at.timestamp())),
    }
}

fn offset(offset: Offset) -> String {
    let seconds = offset.seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let abs = seconds.unsigned_abs();
    let (h, m, s) = (abs / 3600, (abs % 3600) / 60, abs % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

#[cfg(test)]
#[path = "ical_test.rs"]
mod tests;
