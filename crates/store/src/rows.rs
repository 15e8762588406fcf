//! Reading typed values out of rows, with errors that name the column.

use std::str::FromStr;

use jiff::{Timestamp, civil::Date};
use sqlx::{Row, any::AnyRow};

use crate::{Result, StoreError};

pub(crate) fn ms(t: Timestamp) -> i64 {
    t.as_millisecond()
}

pub(crate) fn get_i64(row: &AnyRow, col: &str) -> Result<i64> {
    Ok(row.try_get::<i64, _>(col)?)
}

pub(crate) fn get_opt_i64(row: &AnyRow, col: &str) -> Result<Option<i64>> {
    Ok(row.try_get::<Option<i64>, _>(col)?)
}

pub(crate) fn get_str(row: &AnyRow, col: &str) -> Result<String> {
    Ok(row.try_get::<String, _>(col)?)
}

pub(crate) fn get_opt_str(row: &AnyRow, col: &str) -> Result<Option<String>> {
    Ok(row.try_get::<Option<String>, _>(col)?)
}

/// Flags are BOOLEAN on PostgreSQL and INTEGER 0/1 on SQLite.
pub(crate) fn get_bool(row: &AnyRow, col: &str) -> Result<bool> {
    match row.try_get::<bool, _>(col) {
        Ok(v) => Ok(v),
        Err(_) => Ok(row.try_get::<i64, _>(col)? != 0),
    }
}

pub(crate) fn get_ts(row: &AnyRow, col: &str) -> Result<Timestamp> {
    to_ts(col, get_i64(row, col)?)
}

pub(crate) fn get_opt_ts(row: &AnyRow, col: &str) -> Result<Option<Timestamp>> {
    get_opt_i64(row, col)?.map(|v| to_ts(col, v)).transpose()
}

pub(crate) fn get_parsed<T: FromStr>(row: &AnyRow, col: &str) -> Result<T> {
    parse(col, &get_str(row, col)?)
}

pub(crate) fn get_opt_parsed<T: FromStr>(row: &AnyRow, col: &str) -> Result<Option<T>> {
    get_opt_str(row, col)?.map(|v| parse(col, &v)).transpose()
}

pub(crate) fn get_date(row: &AnyRow, col: &str) -> Result<Date> {
    get_parsed(row, col)
}

pub(crate) fn get_opt_date(row: &AnyRow, col: &str) -> Result<Option<Date>> {
    get_opt_parsed(row, col)
}

fn to_ts(col: &str, value: i64) -> Result<Timestamp> {
    Timestamp::from_millisecond(value).map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}

fn parse<T: FromStr>(col: &str, value: &str) -> Result<T> {
    value
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("{col} holds {value:?}")))
}
