//! Business-time arithmetic on a calendar: a time zone, weekly opening hours and holidays.
//! Times are counted in seconds internally so that adding and measuring round-trip exactly.

use jiff::{SignedDuration, Timestamp, civil::Date, tz::TimeZone};

use super::holidays::Holidays;

/// Minutes of the day a calendar is open on each weekday, Monday first: `[start, end)` pairs with
/// `end <= 1440`, sorted and not overlapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Week(pub [Vec<(u16, u16)>; 7]);

/// How far ahead business-time arithmetic looks before deciding a calendar never opens.
const MAX_DAYS: usize = 3 * 366;

impl Week {
    /// Open all day, every day.
    pub fn always() -> Week {
        Week(std::array::from_fn(|_| vec![(0, 1440)]))
    }

    /// The same hours Monday to Friday, closed at weekends.
    pub fn weekdays(from_minute: u16, to_minute: u16) -> Week {
        Week(std::array::from_fn(|day| {
            if day < 5 {
                vec![(from_minute, to_minute)]
            } else {
                Vec::new()
            }
        }))
    }

    /// Checks the intervals; the error names the first problem.
    pub fn validate(&self) -> Result<(), &'static str> {
        for day in &self.0 {
            let mut last_end = 0;
            for &(start, end) in day {
                if end > 1440 || start >= end {
                    return Err("each interval needs start < end <= 24:00");
                }
                if start < last_end {
                    return Err("intervals of a day must be sorted and must not overlap");
                }
                last_end = end;
            }
        }
        if self.0.iter().all(Vec::is_empty) {
            return Err("a calendar must be open at some time of the week");
        }
        Ok(())
    }

    pub fn is_always(&self) -> bool {
        self.0.iter().all(|d| d.as_slice() == [(0, 1440)])
    }
}

#[derive(Debug, Clone)]
pub struct Calendar {
    pub time_zone: TimeZone,
    pub week: Week,
    pub holidays: Holidays,
}

impl Calendar {
    /// Open around the clock in UTC, no holidays.
    pub fn always() -> Calendar {
        Calendar {
            time_zone: TimeZone::UTC,
            week: Week::always(),
            holidays: Holidays::default(),
        }
    }

    pub fn local_date(&self, t: Timestamp) -> Date {
        t.to_zoned(self.time_zone.clone()).date()
    }

    /// The instant a local wall-clock minute of `date` means; a minute inside a DST gap moves
    /// forward, an ambiguous one takes the earlier instant.
    fn instant(&self, date: Date, minute: u16) -> Option<Timestamp> {
        let (date, minute) = if minute >= 1440 {
            (date.tomorrow().ok()?, 0)
        } else {
            (date, minute)
        };
        let hour = i8::try_from(minute / 60).ok()?;
        let min = i8::try_from(minute % 60).ok()?;
        date.at(hour, min, 0, 0)
            .to_zoned(self.time_zone.clone())
            .ok()
            .map(|z| z.timestamp())
    }

    /// The open intervals of a local date, as instants.
    pub fn open_intervals(&self, date: Date) -> Vec<(Timestamp, Timestamp)> {
        if self.holidays.contains(date) {
            return Vec::new();
        }
        let day = usize::try_from(date.weekday().to_monday_zero_offset()).unwrap_or(0);
        self.week.0[day]
            .iter()
            .filter_map(|&(start, end)| {
                let (a, b) = (self.instant(date, start)?, self.instant(date, end)?);
                (b > a).then_some((a, b))
            })
            .collect()
    }

    /// Whether the calendar is open at `t`.
    pub fn is_open(&self, t: Timestamp) -> bool {
        self.open_intervals(self.local_date(t))
            .iter()
            .any(|&(a, b)| a <= t && t < b)
    }

    /// Whether `t` is the exact end of an open interval.
    pub fn is_closing(&self, t: Timestamp) -> bool {
        let date = self.local_date(t);
        let yesterday = date.yesterday().unwrap_or(date);
        [yesterday, date]
            .into_iter()
            .any(|d| self.open_intervals(d).iter().any(|&(_, b)| b == t))
    }

    /// The instant at which `seconds` of open time have passed since `start`. `None` when the
    /// calendar does not open within three years.
    pub fn add_seconds(&self, start: Timestamp, seconds: i64) -> Option<Timestamp> {
        if seconds <= 0 {
            return Some(start);
        }
        let mut remaining = seconds;
        let mut date = self.local_date(start).yesterday().ok()?;
        for _ in 0..MAX_DAYS {
            for (a, b) in self.open_intervals(date) {
                if b <= start {
                    continue;
                }
                let a = a.max(start);
                let len = b.duration_since(a).as_secs();
                if remaining <= len {
                    return a.checked_add(SignedDuration::from_secs(remaining)).ok();
                }
                remaining -= len;
            }
            date = date.tomorrow().ok()?;
        }
        None
    }

    pub fn add_minutes(&self, start: Timestamp, minutes: i64) -> Option<Timestamp> {
        self.add_seconds(start, minutes.saturating_mul(60))
    }

    /// Open seconds in `[from, to)`.
    pub fn seconds_between(&self, from: Timestamp, to: Timestamp) -> i64 {
        if to <= from {
            return 0;
        }
        let mut total = 0;
        let Ok(mut date) = self.local_date(from).yesterday() else {
            return 0;
        };
        let last = self.local_date(to);
        while date <= last {
            for (a, b) in self.open_intervals(date) {
                let (a, b) = (a.max(from), b.min(to));
                if b > a {
                    total += b.duration_since(a).as_secs();
                }
            }
            match date.tomorrow() {
                Ok(next) => date = next,
                Err(_) => break,
            }
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use proptest::prelude::*;

    use super::*;
    use crate::sla::holidays::{Holidays, brazil_national};

    fn sao_paulo_business() -> Calendar {
        Calendar {
            time_zone: TimeZone::get("America/Sao_Paulo").unwrap(),
            week: Week::weekdays(8 * 60, 18 * 60),
            holidays: Holidays {
                rules: brazil_national(),
                extra: Default::default(),
            },
        }
    }

    /// Open Sundays 00:00-04:00 and weekdays 09:00-17:00 in New York: crosses both DST changes.
    fn new_york_odd() -> Calendar {
        let mut week = Week::weekdays(9 * 60, 17 * 60);
        week.0[6] = vec![(0, 4 * 60)];
        week.0[5] = vec![(60, 150), (150, 1440)];
        Calendar {
            time_zone: TimeZone::get("America/New_York").unwrap(),
            week,
            holidays: Holidays::default(),
        }
    }

    fn local(cal: &Calendar, y: i16, m: i8, d: i8, h: i8, min: i8) -> Timestamp {
        date(y, m, d)
            .at(h, min, 0, 0)
            .to_zoned(cal.time_zone.clone())
            .unwrap()
            .timestamp()
    }

    #[test]
    fn friday_evening_rolls_to_monday() {
        let cal = sao_paulo_business();
        // Friday 2026-11-27 17:30 + 60 business minutes = Monday 08:30.
        let due = cal.add_minutes(local(&cal, 2026, 11, 27, 17, 30), 60).unwrap();
        assert_eq!(due, local(&cal, 2026, 11, 30, 8, 30));
    }

    #[test]
    fn holidays_are_skipped() {
        let cal = sao_paulo_business();
        // Thursday 2026-04-02 17:30 + 60: Good Friday (04-03) is closed, so Monday 08:30.
        let due = cal.add_minutes(local(&cal, 2026, 4, 2, 17, 30), 60).unwrap();
        assert_eq!(due, local(&cal, 2026, 4, 6, 8, 30));
    }

    #[test]
    fn spring_forward_day_is_an_hour_shorter() {
        let cal = Calendar {
            time_zone: TimeZone::get("America/New_York").unwrap(),
            week: Week::always(),
            holidays: Holidays::default(),
        };
        let midnight = local(&cal, 2026, 3, 8, 0, 0);
        let next = local(&cal, 2026, 3, 9, 0, 0);
        assert_eq!(cal.seconds_between(midnight, next), 23 * 3600);
    }

    #[test]
    fn a_calendar_that_never_opens_gives_none() {
        let mut cal = sao_paulo_business();
        cal.week = Week(Default::default());
        assert_eq!(cal.add_minutes(Timestamp::UNIX_EPOCH, 1), None);
    }

    fn calendars() -> impl Strategy<Value = Calendar> {
        prop_oneof![
            Just(sao_paulo_business()),
            Just(new_york_odd()),
            Just(Calendar::always())
        ]
    }

    /// Instants from 2020 to 2035, at whole seconds.
    fn instants() -> impl Strategy<Value = Timestamp> {
        (1_577_836_800i64..2_082_758_400).prop_map(|s| Timestamp::from_second(s).unwrap())
    }

    /// Instants near New York's DST changes of 2026, to make sure the odd days are covered.
    fn dst_instants() -> impl Strategy<Value = Timestamp> {
        let spring = 1_772_928_000i64; // 2026-03-08 00:00 UTC
        let fall = 1_793_491_200i64; // 2026-11-01 00:00 UTC
        prop_oneof![
            (spring - 86_400..spring + 2 * 86_400),
            (fall - 86_400..fall + 2 * 86_400)
        ]
        .prop_map(|s| Timestamp::from_second(s).unwrap())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn a_due_time_is_open_or_exactly_closing(cal in calendars(), start in prop_oneof![instants(), dst_instants()], minutes in 1i64..20_000) {
            let due = cal.add_minutes(start, minutes).unwrap();
            prop_assert!(due > start);
            prop_assert!(cal.is_open(due) || cal.is_closing(due), "{due} is in closed hours");
        }

        #[test]
        fn adding_then_measuring_gives_the_same_minutes(cal in calendars(), start in prop_oneof![instants(), dst_instants()], minutes in 0i64..20_000) {
            let due = cal.add_minutes(start, minutes).unwrap();
            prop_assert_eq!(cal.seconds_between(start, due), minutes * 60);
        }

        #[test]
        fn measuring_is_additive(cal in calendars(), a in instants(), gap1 in 0i64..2_000_000, gap2 in 0i64..2_000_000) {
            let b = a.checked_add(SignedDuration::from_secs(gap1)).unwrap();
            let c = b.checked_add(SignedDuration::from_secs(gap2)).unwrap();
            prop_assert_eq!(cal.seconds_between(a, c), cal.seconds_between(a, b) + cal.seconds_between(b, c));
            prop_assert!(cal.seconds_between(a, c) <= gap1 + gap2);
        }
    }
}
