//! Service levels: business-hours calendars, policies chosen by plan tier, type and priority,
//! and the clocks of a ticket computed from its history.

pub mod calendar;
pub mod clocks;
pub mod holidays;
pub mod policy;

pub use calendar::{Calendar, Week, format_day_hours, parse_day_hours};
pub use clocks::{Clock, ClockState, Happening, Measurement, TicketTimeline, compute, current};
pub use holidays::{HolidayRule, Holidays, brazil_national, easter};
pub use policy::{Impact, Policy, Target, Targets, Urgency, default_policies, priority_for, select};
