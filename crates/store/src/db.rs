use std::{str::FromStr, time::Duration};

use sqlx::{
    Any, AnyConnection, Connection, Executor,
    any::{AnyConnectOptions, AnyPoolOptions},
    pool::PoolConnection,
};

use crate::{Result, StoreError, migrate};

pub type Tx = sqlx::Transaction<'static, Any>;
pub type Conn = AnyConnection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// The database, with a read pool and a write pool.
///
/// SQLite allows one writer at a time; a write pool of one connection queues writers in the
/// application instead of letting them fail with SQLITE_BUSY, and readers never wait on it (WAL).
/// PostgreSQL uses one pool for both.
#[derive(Clone, Debug)]
pub struct Db {
    backend: Backend,
    read: sqlx::AnyPool,
    write: sqlx::AnyPool,
    /// SQLite: the one connection `checkpoint` uses, so that it never waits behind the reads.
    checkpoints: Option<sqlx::AnyPool>,
}

impl Db {
    /// Connects, creating the SQLite file if needed, and brings the schema up to date.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url).ok_or_else(|| {
            StoreError::Config(format!(
                "database URL must start with sqlite: or postgres://, got {:?}",
                url.split(':').next().unwrap_or_default()
            ))
        })?;
        let options = AnyConnectOptions::from_str(url)?;
        let db = match backend {
            Backend::Sqlite => {
                let options = sqlite_options(url)?;
                let read = pool(max_connections.max(1), &options, Backend::Sqlite, READ_CACHE_KIB).await?;
                let write = pool(1, &options, Backend::Sqlite, WRITE_CACHE_KIB).await?;
                let checkpoints = Some(pool(1, &options, Backend::Sqlite, READ_CACHE_KIB).await?);
                Db {
                    backend,
                    read,
                    write,
                    checkpoints,
                }
            }
            Backend::Postgres => {
                let pool = pool(max_connections.max(2), &options, Backend::Postgres, 0).await?;
                Db {
                    backend,
                    read: pool.clone(),
                    write: pool,
                    checkpoints: None,
                }
            }
        };
        migrate::run(&db).await?;
        Ok(db)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts the write transaction of one use case.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(self.write.begin().await?)
    }

    /// A connection for reads outside a transaction.
    pub async fn read(&self) -> Result<PoolConnection<Any>> {
        Ok(self.read.acquire().await?)
    }

    pub(crate) fn write_pool(&self) -> &sqlx::AnyPool {
        &self.write
    }

    /// Copies the SQLite log's committed pages into the database file and flushes it, on a
    /// connection of its own, so that the writer's commits do not (a checkpoint inside a commit
    /// held the writer while the file was flushed: BENCHMARKS.md). Passive: it waits for no one
    /// and no one waits for it. PostgreSQL checkpoints by itself: nothing to do there.
    pub async fn checkpoint(&self) -> Result<()> {
        if let Some(checkpoints) = &self.checkpoints {
            let mut conn = checkpoints.acquire().await?;
            sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .fetch_one(&mut *conn)
                .await?;
        }
        Ok(())
    }

    /// Checks that the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<()> {
        let mut conn = self.read.acquire().await?;
        conn.ping().await?;
        Ok(())
    }

    /// The settings that decide durability, as the load tool and the operator want to see them.
    pub async fn durability_settings(&self) -> Result<Vec<(String, String)>> {
        let mut conn = self.read().await?;
        let queries: &[(&str, &str)] = match self.backend {
            Backend::Sqlite => &[
                ("journal_mode", "PRAGMA journal_mode"),
                ("synchronous", "PRAGMA synchronous"),
            ],
            Backend::Postgres => &[
                ("fsync", "SHOW fsync"),
                ("synchronous_commit", "SHOW synchronous_commit"),
            ],
        };
        let mut settings = Vec::new();
        for (name, query) in queries {
            let row = sqlx::query(query).fetch_one(&mut *conn).await?;
            let value = sqlx::Row::try_get::<String, _>(&row, 0)
                .or_else(|_| sqlx::Row::try_get::<i64, _>(&row, 0).map(|v| v.to_string()))?;
            settings.push(((*name).to_owned(), value));
        }
        Ok(settings)
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
        if let Some(checkpoints) = &self.checkpoints {
            checkpoints.close().await;
        }
    }
}

/// The file of a `sqlite:` URL (empty for an in-memory database).
pub fn sqlite_path(url: &str) -> &str {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    path.split('?').next().unwrap_or_default()
}

/// Makes sure the SQLite file is created, and that its directory exists.
fn sqlite_options(url: &str) -> Result<AnyConnectOptions> {
    let path = sqlite_path(url);
    if !path.is_empty()
        && path != ":memory:"
        && let Some(dir) = std::path::Path::new(path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Config(format!("cannot create the directory {}: {e}", dir.display())))?;
    }
    let url = if url.contains('?') {
        url.to_owned()
    } else {
        format!("{url}?mode=rwc")
    };
    Ok(AnyConnectOptions::from_str(&url)?)
}

/// SQLite page cache per connection. The one writer touches the big indexes of every write, so it
/// gets a larger cache; readers keep SQLite's default, since there are many of them and the
/// operating system caches the file for all (8 MiB each took the server to 194 MB during intake).
const WRITE_CACHE_KIB: i64 = 64 * 1024;
const READ_CACHE_KIB: i64 = 2 * 1024;

/// The log size (4 KiB pages) at which a commit checkpoints by itself: a bound for when nothing
/// calls `Db::checkpoint` (a command rather than the server), well above what the server's
/// checkpointer lets the log reach.
const WRITER_CHECKPOINT_PAGES: i64 = 10_000;

async fn pool(size: u32, options: &AnyConnectOptions, backend: Backend, cache_kib: i64) -> Result<sqlx::AnyPool> {
    Ok(AnyPoolOptions::new()
        .max_connections(size)
        .acquire_timeout(Duration::from_secs(10))
        // A ping before each use guards against a server that dropped the connection; a SQLite
        // file cannot, and the ping is a round trip to the connection's thread at every use.
        .test_before_acquire(backend == Backend::Postgres)
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    // WAL lets readers run beside the writer; synchronous=NORMAL in WAL mode keeps
                    // every committed transaction through a crash of the process (kill -9); only a
                    // power loss can drop the last commits.
                    // The writer checkpoints only past WRITER_CHECKPOINT_PAGES of log: `Db::checkpoint`
                    // does it, off the writer's path, while the server runs.
                    let pragmas = format!(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
                         PRAGMA busy_timeout = 10000; PRAGMA cache_size = -{cache_kib}; \
                         PRAGMA wal_autocheckpoint = {WRITER_CHECKPOINT_PAGES};"
                    );
                    conn.execute(pragmas.as_str()).await?;
                }
                Ok(())
            })
        })
        .connect_with(options.clone())
        .await?)
}

/// Makes transactions that call this with the same `key` run one after the other, across every
/// server process, until the transaction ends. SQLite's single writer already does.
pub async fn one_at_a_time(conn: &mut Conn, key: &str) -> crate::Result<()> {
    if conn.backend_name() == "PostgreSQL" {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))::text AS locked")
            .bind(key)
            .fetch_one(&mut *conn)
            .await?;
    }
    Ok(())
}
