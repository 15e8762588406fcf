//! Tests of `policy.rs`.

use super::*;

#[test]
fn the_default_table_selects_as_the_issue_says() {
    let policies = default_policies();
    let pick = |tier, t, p| select(&policies, tier, t, p).map(|p| (p.calendar.as_str(), p.targets));
    let (cal, t) = pick(SlaTier::Standard, TicketType::Incident, Priority::Urgent).unwrap();
    assert_eq!(
        (cal, t.first_response, t.next_response, t.periodic_update, t.resolution),
        ("business", Some(60), Some(240), None, Some(600))
    );
    let (cal, t) = pick(SlaTier::Premium, TicketType::Incident, Priority::Urgent).unwrap();
    assert_eq!(
        (cal, t.first_response, t.periodic_update, t.resolution),
        ("24x7", Some(45), Some(60), Some(240))
    );
    let (cal, t) = pick(SlaTier::Premium, TicketType::Incident, Priority::Low).unwrap();
    assert_eq!((cal, t.first_response, t.resolution), ("business", Some(240), None));
    let (_, t) = pick(SlaTier::Standard, TicketType::Task, Priority::Urgent).unwrap();
    assert_eq!(t.resolution, Some(3000));
    let (_, t) = pick(SlaTier::Premium, TicketType::Question, Priority::High).unwrap();
    assert_eq!(t.first_response, Some(240));
    // Every combination has a policy.
    for tier in [SlaTier::Standard, SlaTier::Premium] {
        for t in TicketType::ALL {
            for p in Priority::ALL {
                assert!(select(&policies, tier, *t, *p).is_some(), "{tier} {t} {p}");
            }
        }
    }
}

#[test]
fn urgency_and_impact_give_the_priority() {
    assert_eq!(priority_for(Urgency::High, Impact::High), Priority::Urgent);
    assert_eq!(priority_for(Urgency::Medium, Impact::High), Priority::High);
    assert_eq!(priority_for(Urgency::Low, Impact::High), Priority::Normal);
    assert_eq!(priority_for(Urgency::Low, Impact::Low), Priority::Low);
    // More urgency or more impact never lowers the priority.
    let u = [Urgency::Low, Urgency::Medium, Urgency::High];
    let i = [Impact::Low, Impact::Medium, Impact::High];
    for a in 0..3 {
        for b in 0..3 {
            if a < 2 {
                assert!(priority_for(u[a + 1], i[b]) >= priority_for(u[a], i[b]));
            }
            if b < 2 {
                assert!(priority_for(u[a], i[b + 1]) >= priority_for(u[a], i[b]));
            }
        }
    }
}
