//! Tests of `calendar.rs`.

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

#[test]
fn opening_hours_are_read_as_people_write_them() {
    assert_eq!(
        parse_day_hours("09:00-12:00, 13:00-18:00"),
        Ok(vec![(540, 720), (780, 1080)])
    );
    assert_eq!(parse_day_hours("  "), Ok(vec![]));
    assert_eq!(parse_day_hours("00:00-24:00"), Ok(vec![(0, 1440)]));
    for bad in [
        "9-18",
        "18:00-09:00",
        "09:00-12:00, 11:00-13:00",
        "25:00-26:00",
        "09:60-10:00",
        "09:00",
    ] {
        assert!(parse_day_hours(bad).is_err(), "{bad:?} was accepted");
    }
    let text = "08:30-12:00, 13:00-17:45";
    assert_eq!(format_day_hours(&parse_day_hours(text).unwrap()), text);
}

proptest! {
    /// Whatever a valid day is, writing it and reading it back gives the same hours.
    #[test]
    fn formatted_hours_read_back_the_same(cuts in prop::collection::btree_set(0u16..=1440, 0..8)) {
        let cuts: Vec<u16> = cuts.into_iter().collect();
        let ranges: Vec<(u16, u16)> = cuts.chunks_exact(2).map(|p| (p[0], p[1])).collect();
        prop_assert_eq!(parse_day_hours(&format_day_hours(&ranges)), Ok(ranges));
    }
}
