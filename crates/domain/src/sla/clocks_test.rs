//! Tests of `clocks.rs`.

use jiff::{SignedDuration, civil::date, tz::TimeZone};
use proptest::prelude::*;

use super::*;
use crate::{
    Priority, SlaTier, TicketType,
    sla::{Week, brazil_national, calendar::Calendar, default_policies, holidays::Holidays, select},
};

fn business() -> Calendar {
    Calendar {
        time_zone: TimeZone::get("America/Sao_Paulo").unwrap(),
        week: Week::weekdays(480, 1080),
        holidays: Holidays {
            rules: brazil_national(),
            extra: Default::default(),
        },
    }
}

fn sp(y: i16, m: i8, d: i8, h: i8, min: i8) -> Timestamp {
    date(y, m, d)
        .at(h, min, 0, 0)
        .to_zoned(TimeZone::get("America/Sao_Paulo").unwrap())
        .unwrap()
        .timestamp()
}

fn policy(tier: SlaTier, t: TicketType, p: Priority) -> Policy {
    select(&default_policies(), tier, t, p).unwrap().clone()
}

fn find(ms: &[Measurement], target: Target) -> &Measurement {
    ms.iter().rev().find(|m| m.target == target).unwrap()
}

#[test]
fn standard_urgent_incident_opened_friday_evening() {
    let p = policy(SlaTier::Standard, TicketType::Incident, Priority::Urgent);
    let timeline = TicketTimeline {
        created_at: sp(2026, 11, 27, 17, 30),
        happenings: vec![],
    };
    let ms = compute(&timeline, &p, &business(), sp(2026, 11, 27, 17, 40));
    let first = find(&ms, Target::FirstResponse);
    assert_eq!(first.due_at, Some(sp(2026, 11, 30, 8, 30)));
    assert_eq!(first.state, ClockState::Running);
    assert_eq!(first.elapsed_secs, 600);
    // 80 % of 60 minutes is 48: 30 on Friday, 18 on Monday.
    assert_eq!(first.warn_at, Some(sp(2026, 11, 30, 8, 18)));
}

#[test]
fn premium_urgent_incident_on_sunday_night_runs_around_the_clock() {
    let p = policy(SlaTier::Premium, TicketType::Incident, Priority::Urgent);
    let created = sp(2026, 11, 29, 3, 0);
    let ms = compute(
        &TicketTimeline {
            created_at: created,
            happenings: vec![],
        },
        &p,
        &Calendar::always(),
        created,
    );
    assert_eq!(find(&ms, Target::FirstResponse).due_at, Some(sp(2026, 11, 29, 3, 45)));
    assert_eq!(find(&ms, Target::Resolution).due_at, Some(sp(2026, 11, 29, 7, 0)));
    assert_eq!(find(&ms, Target::PeriodicUpdate).due_at, Some(sp(2026, 11, 29, 4, 0)));
}

#[test]
fn a_reply_in_time_achieves_and_a_late_one_breaches() {
    let p = policy(SlaTier::Standard, TicketType::Incident, Priority::Urgent);
    let created = sp(2026, 11, 24, 9, 0);
    let in_time = TicketTimeline {
        created_at: created,
        happenings: vec![Happening::Reply {
            at: sp(2026, 11, 24, 9, 50),
            by_staff: true,
        }],
    };
    let m = compute(&in_time, &p, &business(), sp(2026, 11, 24, 12, 0));
    assert_eq!(find(&m, Target::FirstResponse).state, ClockState::Achieved);
    assert_eq!(find(&m, Target::FirstResponse).elapsed_secs, 50 * 60);
    let late = TicketTimeline {
        created_at: created,
        happenings: vec![Happening::Reply {
            at: sp(2026, 11, 24, 10, 5),
            by_staff: true,
        }],
    };
    let m = compute(&late, &p, &business(), sp(2026, 11, 24, 12, 0));
    assert_eq!(find(&m, Target::FirstResponse).state, ClockState::Breached);
    let silent = TicketTimeline {
        created_at: created,
        happenings: vec![],
    };
    let m = compute(&silent, &p, &business(), sp(2026, 11, 24, 10, 1));
    assert_eq!(find(&m, Target::FirstResponse).state, ClockState::Breached);
}

#[test]
fn pending_pauses_and_moves_the_due_time() {
    let p = policy(SlaTier::Standard, TicketType::Task, Priority::Normal);
    let created = sp(2026, 11, 24, 9, 0);
    let timeline = TicketTimeline {
        created_at: created,
        happenings: vec![
            Happening::Reply {
                at: sp(2026, 11, 24, 9, 10),
                by_staff: true,
            },
            Happening::Status {
                at: sp(2026, 11, 24, 9, 10),
                to: TicketStatus::Pending,
            },
            Happening::Status {
                at: sp(2026, 11, 24, 11, 10),
                to: TicketStatus::Open,
            },
        ],
    };
    let ms = compute(&timeline, &p, &business(), sp(2026, 11, 24, 12, 0));
    let resolution = find(&ms, Target::Resolution);
    // 3000 business minutes = 5 business days; the 2 paused hours push it 2 hours later.
    assert_eq!(resolution.paused_secs, 2 * 3600);
    assert_eq!(resolution.due_at, Some(sp(2026, 12, 1, 11, 0)));
    // While pending, no due time: the clock does not run.
    let while_pending = compute(&timeline, &p, &business(), sp(2026, 11, 24, 10, 0));
    assert_eq!(find(&while_pending, Target::Resolution).state, ClockState::Paused);
    assert_eq!(find(&while_pending, Target::Resolution).due_at, None);
}

#[test]
fn solving_stops_resolution_and_reopening_resumes_it() {
    let p = policy(SlaTier::Standard, TicketType::Incident, Priority::Urgent);
    let created = sp(2026, 11, 24, 9, 0);
    let mut timeline = TicketTimeline {
        created_at: created,
        happenings: vec![
            Happening::Reply {
                at: sp(2026, 11, 24, 9, 20),
                by_staff: true,
            },
            Happening::Status {
                at: sp(2026, 11, 24, 10, 0),
                to: TicketStatus::Solved,
            },
        ],
    };
    let solved = compute(&timeline, &p, &business(), sp(2026, 11, 26, 9, 0));
    assert_eq!(find(&solved, Target::Resolution).state, ClockState::Achieved);
    assert_eq!(find(&solved, Target::Resolution).elapsed_secs, 3600);
    timeline.happenings.push(Happening::Reply {
        at: sp(2026, 11, 25, 9, 0),
        by_staff: false,
    });
    timeline.happenings.push(Happening::Status {
        at: sp(2026, 11, 25, 9, 0),
        to: TicketStatus::Open,
    });
    let reopened = compute(&timeline, &p, &business(), sp(2026, 11, 25, 10, 0));
    let r = find(&reopened, Target::Resolution);
    assert_eq!((r.state, r.elapsed_secs), (ClockState::Running, 2 * 3600));
    assert_eq!(
        r.due_at,
        Some(sp(2026, 11, 25, 18, 0)),
        "600 minutes: 60 before the solve, 60 since reopening, 480 to go"
    );
    let next = find(&reopened, Target::NextResponse);
    assert_eq!(
        (next.cycle, next.started_at, next.state),
        (1, sp(2026, 11, 25, 9, 0), ClockState::Running)
    );
}

#[test]
fn next_response_measures_each_unanswered_customer_reply() {
    let p = policy(SlaTier::Standard, TicketType::Question, Priority::Normal);
    let created = sp(2026, 11, 24, 9, 0);
    let r = |h, m, staff| Happening::Reply {
        at: sp(2026, 11, 24, h, m),
        by_staff: staff,
    };
    let timeline = TicketTimeline {
        created_at: created,
        happenings: vec![
            r(9, 5, true),
            r(9, 30, false),
            r(9, 40, false),
            r(10, 0, true),
            r(11, 0, false),
        ],
    };
    let ms = compute(&timeline, &p, &business(), sp(2026, 11, 24, 12, 0));
    let next: Vec<_> = ms.iter().filter(|m| m.target == Target::NextResponse).collect();
    assert_eq!(next.len(), 2);
    assert_eq!((next[0].elapsed_secs, next[0].state), (30 * 60, ClockState::Achieved));
    assert_eq!(
        (next[1].started_at, next[1].state),
        (sp(2026, 11, 24, 11, 0), ClockState::Running)
    );
}

#[test]
fn a_reply_exactly_at_the_due_time_meets_the_target() {
    let p = policy(SlaTier::Standard, TicketType::Incident, Priority::Urgent);
    let created = sp(2026, 11, 24, 9, 0);
    let timeline = TicketTimeline {
        created_at: created,
        happenings: vec![Happening::Reply {
            at: sp(2026, 11, 24, 10, 0),
            by_staff: true,
        }],
    };
    let ms = compute(&timeline, &p, &business(), sp(2026, 11, 24, 11, 0));
    assert_eq!(find(&ms, Target::FirstResponse).state, ClockState::Achieved);
}

#[test]
fn solving_closes_the_wait_and_a_later_reply_starts_a_new_cycle() {
    let p = policy(SlaTier::Standard, TicketType::Question, Priority::Normal);
    let r = |d, h, staff| Happening::Reply {
        at: sp(2026, 11, d, h, 0),
        by_staff: staff,
    };
    let status = |d, h, to| Happening::Status {
        at: sp(2026, 11, d, h, 0),
        to,
    };
    let timeline = TicketTimeline {
        created_at: sp(2026, 11, 23, 8, 0),
        happenings: vec![
            r(23, 9, true),
            r(23, 10, false),
            status(23, 11, TicketStatus::Solved),
            r(25, 9, false),
            status(25, 9, TicketStatus::Open),
        ],
    };
    let ms = compute(&timeline, &p, &business(), sp(2026, 11, 25, 10, 0));
    let next: Vec<_> = ms.iter().filter(|m| m.target == Target::NextResponse).collect();
    assert_eq!(next.len(), 2);
    assert_eq!(
        (next[0].state, next[0].stopped_at, next[0].elapsed_secs),
        (ClockState::Achieved, Some(sp(2026, 11, 23, 11, 0)), 3600)
    );
    assert_eq!(
        (next[1].started_at, next[1].state, next[1].elapsed_secs),
        (sp(2026, 11, 25, 9, 0), ClockState::Running, 3600)
    );
}

fn arbitrary_timeline() -> impl Strategy<Value = (TicketTimeline, Vec<Happening>)> {
    let created = sp(2026, 3, 2, 9, 0);
    let step = (1i64..20_000, 0u8..6);
    proptest::collection::vec(step, 0..12).prop_map(move |steps| {
        let mut at = created;
        let mut happenings = Vec::new();
        for (gap_secs, kind) in steps {
            at = at.checked_add(SignedDuration::from_secs(gap_secs * 7)).unwrap();
            happenings.push(match kind {
                0 => Happening::Reply { at, by_staff: true },
                1 => Happening::Reply { at, by_staff: false },
                2 => Happening::Status {
                    at,
                    to: TicketStatus::Pending,
                },
                3 => Happening::Status {
                    at,
                    to: TicketStatus::Open,
                },
                4 => Happening::Status {
                    at,
                    to: TicketStatus::OnHold,
                },
                _ => Happening::Status {
                    at,
                    to: TicketStatus::Solved,
                },
            });
        }
        (
            TicketTimeline {
                created_at: created,
                happenings: happenings.clone(),
            },
            happenings,
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Inserting a pause never brings a due time earlier, nor shortens the time remaining.
    #[test]
    fn pausing_never_shortens_the_remaining_time((timeline, _) in arbitrary_timeline(), pause_at in 0i64..100_000, pause_len in 1i64..100_000) {
        let p = policy(SlaTier::Standard, TicketType::Task, Priority::Normal);
        let cal = business();
        let now = timeline.created_at.checked_add(SignedDuration::from_hours(24 * 30)).unwrap();
        let base = compute(&timeline, &p, &cal, now);
        let from = timeline.created_at.checked_add(SignedDuration::from_secs(pause_at)).unwrap();
        let to = from.checked_add(SignedDuration::from_secs(pause_len)).unwrap();
        // The pause wraps whatever status held at `from` and restores it at `to`.
        let steps = status_steps(&timeline);
        let mut paused = timeline.clone();
        paused.happenings.retain(|h| !(matches!(h, Happening::Status { .. }) && h.at() >= from && h.at() < to));
        paused.happenings.push(Happening::Status { at: from, to: TicketStatus::Pending });
        paused.happenings.push(Happening::Status { at: to, to: status_at(&steps, to) });
        paused.happenings.sort_by_key(Happening::at);
        let with_pause = compute(&paused, &p, &cal, now);
        let resolution = |ms: &[Measurement]| ms.iter().find(|m| m.target == Target::Resolution).cloned().unwrap();
        let (a, b) = (resolution(&base), resolution(&with_pause));
        prop_assert!(b.elapsed_secs <= a.elapsed_secs, "a pause never adds counted time");
        if let (Some(due_a), Some(due_b)) = (a.due_at, b.due_at) {
            prop_assert!(due_b >= due_a, "due {due_b} is earlier than without the pause {due_a}");
        }
    }

    /// A running clock's due time is open or closing time, and consistent with what has elapsed.
    #[test]
    fn due_times_respect_the_calendar((timeline, _) in arbitrary_timeline(), later in 0i64..2_000_000) {
        let p = policy(SlaTier::Standard, TicketType::Incident, Priority::Urgent);
        let cal = business();
        let now = timeline.created_at.checked_add(SignedDuration::from_secs(later)).unwrap();
        for m in compute(&timeline, &p, &cal, now) {
            if let Some(due) = m.due_at {
                prop_assert!(cal.is_open(due) || cal.is_closing(due), "{m:?}");
            }
            if m.state == ClockState::Achieved {
                prop_assert!(m.elapsed_secs <= m.target_minutes * 60, "achieved within the target: {m:?}");
            }
            if m.state == ClockState::Running {
                prop_assert!(m.due_at.is_some_and(|d| d > now), "{m:?}");
            }
        }
    }
}
