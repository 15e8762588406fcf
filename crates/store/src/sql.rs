//! A small builder for queries whose WHERE clause depends on the request, numbering `$n`
//! parameters so that one query text serves both backends.

use sqlx::{Any, any::AnyArguments, query::Query};

#[derive(Debug, Clone)]
enum Arg {
    Int(i64),
    Text(String),
}

/// Accumulates `AND`-joined conditions and their bound values.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    conditions: Vec<String>,
    args: Vec<Arg>,
}

impl Filter {
    pub fn new() -> Self {
        Self::default()
    }

    /// The placeholder the next bound value will take.
    fn next(&self) -> String {
        format!("${}", self.args.len() + 1)
    }

    /// Adds `condition`, where each `?` stands for the next of `values`, in order.
    pub fn int(mut self, condition: &str, values: &[i64]) -> Self {
        let mut text = String::new();
        let mut rest = condition;
        let mut values = values.iter();
        while let Some(at) = rest.find('?') {
            text.push_str(&rest[..at]);
            if let Some(v) = values.next() {
                text.push_str(&self.next());
                self.args.push(Arg::Int(*v));
            }
            rest = &rest[at + 1..];
        }
        text.push_str(rest);
        self.conditions.push(text);
        self
    }

    /// Adds `column IN (...)` for integer values (callers pass at least one).
    pub fn int_in(self, column: &str, values: &[i64]) -> Self {
        let marks = vec!["?"; values.len()].join(", ");
        self.int(&format!("{column} IN ({marks})"), values)
    }

    /// Adds `condition`, whose one `?` stands for a text value.
    pub fn text(mut self, condition: &str, value: &str) -> Self {
        let placeholder = self.next();
        self.conditions.push(condition.replacen('?', &placeholder, 1));
        self.args.push(Arg::Text(value.to_owned()));
        self
    }

    /// Adds `column = value` for a text value.
    pub fn text_eq(mut self, column: &str, value: &str) -> Self {
        let placeholder = self.next();
        self.conditions.push(format!("{column} = {placeholder}"));
        self.args.push(Arg::Text(value.to_owned()));
        self
    }

    /// Adds `column = value` for an integer value.
    pub fn int_eq(self, column: &str, value: i64) -> Self {
        self.int(&format!("{column} = ?"), &[value])
    }

    /// `WHERE ...` or nothing.
    pub fn where_clause(&self) -> String {
        if self.conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.conditions.join(" AND "))
        }
    }

    /// Placeholder for a value bound after the filter's own (for LIMIT and the like).
    pub fn placeholder_after(&self, offset: usize) -> String {
        format!("${}", self.args.len() + offset)
    }

    pub(crate) fn bind<'q>(&self, mut query: Query<'q, Any, AnyArguments<'q>>) -> Query<'q, Any, AnyArguments<'q>> {
        for arg in &self.args {
            query = match arg {
                Arg::Int(v) => query.bind(*v),
                Arg::Text(v) => query.bind(v.clone()),
            };
        }
        query
    }
}

/// Rows per multi-row INSERT: binding cost per statement grows faster than its row count in the
/// driver, so moderate statements beat huge ones (measured with the SLA sweep benchmark).
pub(crate) const ROWS_PER_INSERT: usize = 50;

/// `($1, $2), ($3, $4)` for `rows` rows of `cols` values, for multi-row inserts.
pub(crate) fn values(rows: usize, cols: usize) -> String {
    (0..rows)
        .map(|r| {
            let cells: Vec<String> = (1..=cols).map(|c| format!("${}", r * cols + c)).collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The ids a multi-row `INSERT ... RETURNING id` gave, in the order of its VALUES list.
///
/// RETURNING promises no order, but the rows of one VALUES list are inserted in the list's order
/// and take increasing ids (SQLite's rowid, PostgreSQL's sequence), so the sorted ids are the
/// list's.
pub(crate) fn ids_in_order(rows: &[sqlx::any::AnyRow], inserted: usize) -> crate::Result<Vec<i64>> {
    let mut ids = rows
        .iter()
        .map(|row| crate::rows::get_i64(row, "id"))
        .collect::<crate::Result<Vec<_>>>()?;
    if ids.len() != inserted {
        return Err(crate::StoreError::Corrupt(format!(
            "{inserted} rows inserted, {} ids returned",
            ids.len()
        )));
    }
    ids.sort_unstable();
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_placeholders_in_order() {
        let f = Filter::new()
            .text_eq("status", "open")
            .int("(a = ? OR b IN (SELECT x FROM y WHERE z = ?))", &[7, 8]);
        assert_eq!(
            f.where_clause(),
            "WHERE status = $1 AND (a = $2 OR b IN (SELECT x FROM y WHERE z = $3))"
        );
        assert_eq!(f.placeholder_after(1), "$4");
    }

    #[test]
    fn numbers_multi_row_values() {
        assert_eq!(values(2, 3), "($1, $2, $3), ($4, $5, $6)");
    }
}
