//! Backups of the SQLite database and their restore. Attachments are stored in the database, so
//! one file holds everything. PostgreSQL has pg_dump and pg_restore, made for the job:
//! [`POSTGRES_GUIDANCE`] says how.

use std::path::{Path, PathBuf};

use sqlx::{AnyConnection, Connection, Row};

use crate::{Backend, Result, StoreError, db::sqlite_path, migrate};

/// What to do instead on PostgreSQL.
pub const POSTGRES_GUIDANCE: &str = "atende backup and restore copy SQLite databases; on PostgreSQL \
use its own tools, which copy a live database consistently: \
`pg_dump --format=custom --file=atende.dump \"$ATENDE_DATABASE_URL\"` to back up and \
`pg_restore --clean --if-exists --no-owner --dbname=\"$ATENDE_DATABASE_URL\" atende.dump` to restore \
(attachments are in the database, so the dump holds them)";

/// What a backup file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupInfo {
    pub schema_version: i64,
    pub tickets: i64,
    pub bytes: u64,
}

/// Copies the database of `database_url`, as one consistent snapshot, into a new file while the
/// server keeps serving: `VACUUM INTO` reads in one read transaction, so writers go on. It opens
/// the database read-only, and never migrates it.
pub async fn sqlite_into(database_url: &str, target: &Path) -> Result<BackupInfo> {
    if Backend::from_url(database_url) != Some(Backend::Sqlite) {
        return Err(StoreError::Config(POSTGRES_GUIDANCE.to_owned()));
    }
    if target.exists() {
        return Err(StoreError::Config(format!(
            "{} already exists; choose a new file name (a backup never overwrites another)",
            target.display()
        )));
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Config(format!("cannot create the directory {}: {e}", dir.display())))?;
    }
    let name = target
        .to_str()
        .ok_or_else(|| StoreError::Config(format!("{} is not a UTF-8 path; choose another", target.display())))?;
    let source = Path::new(sqlite_path(database_url));
    if !source.is_file() {
        return Err(StoreError::Config(format!(
            "there is no database at {}; check the data directory or ATENDE_DATABASE_URL",
            source.display()
        )));
    }
    let mut conn = open_read_only(source).await?;
    sqlx::query("VACUUM INTO $1").bind(name).execute(&mut conn).await?;
    conn.close().await.ok();
    inspect(target).await
}

async fn open_read_only(file: &Path) -> Result<AnyConnection> {
    sqlx::any::install_default_drivers();
    let url = format!("sqlite://{}?mode=ro", file.display());
    Ok(AnyConnection::connect(&url).await?)
}

/// Checks that a file is a whole atende database and says what it holds.
pub async fn inspect(file: &Path) -> Result<BackupInfo> {
    let unreadable =
        |why: String| StoreError::Config(format!("{} is not a usable atende backup: {why}", file.display()));
    let bytes = std::fs::metadata(file).map_err(|e| unreadable(e.to_string()))?.len();
    let mut conn = open_read_only(file).await.map_err(|e| unreadable(e.to_string()))?;
    let check: String = sqlx::query("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .and_then(|row| row.try_get(0))
        .map_err(|e| unreadable(e.to_string()))?;
    if check != "ok" {
        return Err(unreadable(format!("the integrity check failed ({check})")));
    }
    let schema_version: i64 = sqlx::query("SELECT MAX(version) FROM _sqlx_migrations")
        .fetch_one(&mut conn)
        .await
        .and_then(|row| row.try_get(0))
        .map_err(|_| unreadable("it holds no atende schema".to_owned()))?;
    let tickets: i64 = sqlx::query("SELECT COUNT(*) FROM tickets")
        .fetch_one(&mut conn)
        .await
        .and_then(|row| row.try_get(0))
        .map_err(|e| unreadable(e.to_string()))?;
    conn.close().await.ok();
    Ok(BackupInfo {
        schema_version,
        tickets,
        bytes,
    })
}

/// Puts a backup in place of the database of `database_url` (the server must be stopped). The
/// file is copied beside the database and renamed over it, so a failure half-way leaves the old
/// database whole. The caller then opens it, which brings an older schema up to date.
pub async fn restore(file: &Path, database_url: &str, replace: bool) -> Result<BackupInfo> {
    if Backend::from_url(database_url) != Some(Backend::Sqlite) {
        return Err(StoreError::Config(POSTGRES_GUIDANCE.to_owned()));
    }
    let info = inspect(file).await?;
    let latest = migrate::latest_version();
    if info.schema_version > latest {
        return Err(StoreError::Config(format!(
            "{} comes from a newer atende (schema {}, this one knows up to {latest}); restore it with that version or a newer one",
            file.display(),
            info.schema_version
        )));
    }
    let target = PathBuf::from(sqlite_path(database_url));
    if target.as_os_str().is_empty() || target.as_os_str() == ":memory:" {
        return Err(StoreError::Config(
            "the database is in memory; set a database file to restore into".to_owned(),
        ));
    }
    if target.exists() && !replace {
        return Err(StoreError::Config(format!(
            "{} already holds a database; stop the server and pass --replace to overwrite it",
            target.display()
        )));
    }
    put_in_place(file, &target)
        .map_err(|e| StoreError::Config(format!("cannot restore into {}: {e}", target.display())))?;
    Ok(info)
}

fn put_in_place(file: &Path, target: &Path) -> std::io::Result<()> {
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut staging = target.as_os_str().to_owned();
    staging.push(".restoring");
    let staging = PathBuf::from(staging);
    std::fs::copy(file, &staging)?;
    std::fs::File::open(&staging)?.sync_all()?;
    // The old database's write-ahead log belongs to it, not to the backup.
    for suffix in ["-wal", "-shm"] {
        let mut side = target.as_os_str().to_owned();
        side.push(suffix);
        match std::fs::remove_file(PathBuf::from(side)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    std::fs::rename(&staging, target)?;
    std::fs::File::open(dir)?.sync_all()
}
