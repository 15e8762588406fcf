//! Holidays by rule, for any year, so that a calendar never silently runs out of them.

use std::collections::BTreeSet;

use jiff::civil::Date;

/// A holiday that recurs every year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HolidayRule {
    /// The same day every year, from `since` on (when a law created it).
    Fixed {
        month: i8,
        day: i8,
        name: String,
        since: Option<i16>,
    },
    /// Some days from Easter Sunday (Good Friday is -2).
    Easter { offset: i16, name: String },
}

impl HolidayRule {
    pub fn date_in(&self, year: i16) -> Option<Date> {
        match self {
            HolidayRule::Fixed { month, day, since, .. } => {
                if since.is_some_and(|s| year < s) {
                    return None;
                }
                Date::new(year, *month, *day).ok()
            }
            HolidayRule::Easter { offset, .. } => easter(year)?
                .checked_add(jiff::Span::new().days(i64::from(*offset)))
                .ok(),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            HolidayRule::Fixed { name, .. } | HolidayRule::Easter { name, .. } => name,
        }
    }
}

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm, Meeus/Jones/Butcher).
pub fn easter(year: i16) -> Option<Date> {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

/// Brazil's national holidays: the fixed dates and Good Friday. Optional days (Carnival, Corpus
/// Christi) are left for an admin to add.
pub fn brazil_national() -> Vec<HolidayRule> {
    let fixed = |month, day, name: &str, since| HolidayRule::Fixed {
        month,
        day,
        name: name.to_owned(),
        since,
    };
    vec![
        fixed(1, 1, "Confraternização Universal", None),
        HolidayRule::Easter {
            offset: -2,
            name: "Sexta-feira Santa".to_owned(),
        },
        fixed(4, 21, "Tiradentes", None),
        fixed(5, 1, "Dia do Trabalho", None),
        fixed(9, 7, "Independência do Brasil", None),
        fixed(10, 12, "Nossa Senhora Aparecida", None),
        fixed(11, 2, "Finados", None),
        fixed(11, 15, "Proclamação da República", None),
        // A national holiday since Law 14.759 of 2023.
        fixed(11, 20, "Dia Nacional de Zumbi e da Consciência Negra", Some(2024)),
        fixed(12, 25, "Natal", None),
    ]
}

/// The days a calendar is closed on besides its weekly hours.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holidays {
    pub rules: Vec<HolidayRule>,
    /// Dates an admin added (a local holiday, a company day off).
    pub extra: BTreeSet<Date>,
}

impl Holidays {
    pub fn contains(&self, date: Date) -> bool {
        self.extra.contains(&date) || self.rules.iter().any(|r| r.date_in(date.year()) == Some(date))
    }

    /// Every holiday from `from` to `to` inclusive, with its name, in order.
    pub fn between(&self, from: Date, to: Date) -> Vec<(Date, String)> {
        let mut out: Vec<(Date, String)> = Vec::new();
        for year in from.year()..=to.year() {
            for rule in &self.rules {
                if let Some(d) = rule.date_in(year)
                    && d >= from
                    && d <= to
                {
                    out.push((d, rule.name().to_owned()));
                }
            }
        }
        out.extend(self.extra.range(from..=to).map(|d| (*d, String::new())));
        out.sort();
        out.dedup_by(|a, b| a.0 == b.0);
        out
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn easter_of_known_years() {
        for (year, month, day) in [
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2028, 4, 16),
            (2031, 4, 13),
            (2038, 4, 25),
            (1961, 4, 2),
        ] {
            assert_eq!(easter(year), Some(date(year, month, day)), "{year}");
        }
    }

    #[test]
    fn brazil_2028_and_2031() {
        let h = Holidays {
            rules: brazil_national(),
            extra: BTreeSet::new(),
        };
        let days = |y| {
            h.between(date(y, 1, 1), date(y, 12, 31))
                .into_iter()
                .map(|(d, _)| d)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            days(2028),
            [
                date(2028, 1, 1),
                date(2028, 4, 14),
                date(2028, 4, 21),
                date(2028, 5, 1),
                date(2028, 9, 7),
                date(2028, 10, 12),
                date(2028, 11, 2),
                date(2028, 11, 15),
                date(2028, 11, 20),
                date(2028, 12, 25)
            ]
        );
        assert_eq!(days(2031)[1], date(2031, 4, 11), "Good Friday 2031");
        assert!(
            !h.contains(date(2023, 11, 20)),
            "Consciência Negra became national in 2024"
        );
        assert!(h.contains(date(2024, 11, 20)));
    }
}
