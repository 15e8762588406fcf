//! The binary's commands as an operator runs them: migrate, demo, admin create-user and
//! create-token, a TOML configuration file, and clear errors for bad settings.

use std::process::Command;

use atende_app::{Clock, auth};

fn atende(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_atende"));
    cmd.current_dir(dir)
        .env_remove("ATENDE_DATABASE_URL")
        .env("ATENDE_LOG", "warn");
    cmd
}

fn run(cmd: &mut Command) -> (bool, String) {
    let out = cmd.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// A working directory of its own, removed when the test ends.
struct Scratch(std::path::PathBuf);

impl std::ops::Deref for Scratch {
    type Target = std::path::Path;

    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("atende-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

#[tokio::test]
async fn an_operator_sets_up_an_admin_and_a_token() {
    let dir = scratch("admin");
    let (ok, out) = run(atende(&dir).arg("migrate"));
    assert!(ok && out.contains("database is up to date"), "{out}");
    assert!(dir.join("data/atende.db").exists(), "the default ./data directory");

    let (ok, out) = run(atende(&dir)
        .args(["admin", "create-user", "--email", "Boss@Example.com", "--name", "Boss"])
        .env("ATENDE_PASSWORD", "a long admin password"));
    assert!(ok && out.contains("with role admin"), "{out}");
    let (ok, out) = run(atende(&dir)
        .args(["admin", "create-user", "--email", "short@example.com", "--name", "S"])
        .env("ATENDE_PASSWORD", "short"));
    assert!(
        !ok && out.contains("use at least 10 characters"),
        "a clear refusal: {out}"
    );
    let (ok, out) = run(atende(&dir).args(["admin", "create-token", "--email", "nobody@example.com"]));
    assert!(!ok && out.contains("create-user"), "says what to do: {out}");
    let (ok, out) = run(atende(&dir).args(["admin", "create-token", "--email", "boss@example.com"]));
    assert!(ok, "{out}");
    let token = out.trim().to_owned();
    assert!(token.starts_with("atd_"), "{token}");

    let config = atende::Config {
        data_dir: dir.join("data"),
        ..atende::Config::default()
    };
    let app = atende::open(&config, Clock::system()).await.unwrap();
    let actor = auth::authenticate(&app, &token).await.unwrap();
    assert_eq!(
        (actor.user.email.as_str(), actor.user.role),
        ("boss@example.com", atende_domain::Role::Admin)
    );
    app.db.close().await;
}

#[tokio::test]
async fn demo_prints_the_accounts_and_can_run_twice() {
    let dir = scratch("demo");
    let (ok, out) = run(atende(&dir).arg("demo"));
    assert!(
        ok && out.contains("Demo data loaded")
            && out.contains("ana@acme.example")
            && out.contains(atende::demo::PASSWORD),
        "{out}"
    );
    let (ok, out) = run(atende(&dir).arg("demo"));
    assert!(ok && out.contains("already loaded"), "{out}");
}

#[tokio::test]
async fn reports_rebuild_rolls_up_every_day_that_is_over_with_its_progress() {
    use sqlx::Connection;
    let dir = scratch("rollups");
    let (ok, out) = run(atende(&dir).arg("demo"));
    assert!(ok, "{out}");
    // The demo's tickets were opened ten days ago.
    let url = format!("sqlite://{}", dir.join("data/atende.db").display());
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
    let ten_days = 10 * 86_400_000i64;
    sqlx::query(&format!("UPDATE tickets SET created_at = created_at - {ten_days}"))
        .execute(&mut conn)
        .await
        .unwrap();
    let (ok, out) = run(atende(&dir).args(["reports", "rebuild"]));
    assert!(ok, "{out}");
    let days: i64 = out
        .lines()
        .find_map(|l| l.strip_prefix("rolled up ")?.split(' ').next()?.parse().ok())
        .unwrap_or_else(|| panic!("{out}"));
    assert!((10..=11).contains(&days), "from ten days ago to yesterday: {out}");
    assert!(out.contains(&format!("] {days}/{days} days (100%)")), "{out}");
    assert_eq!(count(&mut conn, "SELECT COUNT(*) AS n FROM report_days").await, days);
    let created = count(&mut conn, "SELECT SUM(created) AS n FROM report_days").await;
    let tickets = count(&mut conn, "SELECT COUNT(*) AS n FROM tickets").await;
    assert_eq!(created, tickets, "every demo ticket counted once");
}

#[tokio::test]
async fn a_configuration_file_is_read_and_bad_settings_are_named() {
    let dir = scratch("config");
    std::fs::write(
        dir.join("custom.toml"),
        "data_dir = \"elsewhere\"\nsupport_email = \"ayuda@example.com\"\n",
    )
    .unwrap();
    let (ok, out) = run(atende(&dir).args(["--config", "custom.toml", "migrate"]));
    assert!(ok, "{out}");
    assert!(dir.join("elsewhere/atende.db").exists());
    std::fs::write(dir.join("bad.toml"), "listen_port = 80\n").unwrap();
    let (ok, out) = run(atende(&dir).args(["--config", "bad.toml", "migrate"]));
    assert!(!ok && out.contains("bad.toml") && out.contains("listen_port"), "{out}");
    let (ok, out) = run(atende(&dir).arg("migrate").env("ATENDE_TIME_ZONE", "Mars/Olympus"));
    assert!(!ok && out.contains("time_zone"), "{out}");
    let (ok, out) = run(atende(&dir).arg("migrate").env("ATENDE_DATABASE_URL", "mysql://x"));
    assert!(!ok && out.contains("sqlite: or postgres://"), "{out}");
}

/// Runs a command of the binary without stopping the test's runtime (the server under load is in
/// this process).
async fn run_beside(mut cmd: Command) -> (bool, String) {
    tokio::task::spawn_blocking(move || run(&mut cmd)).await.unwrap()
}

async fn count(conn: &mut sqlx::AnyConnection, sql: &str) -> i64 {
    use sqlx::Row;
    sqlx::query(sql).fetch_one(conn).await.unwrap().get(0)
}

/// What a user would see of a database: every table's row count, and the tickets, messages and
/// files in full.
async fn contents(url: &str) -> Vec<String> {
    use sqlx::{Connection, Row};
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    let tables: Vec<String> = sqlx::query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .fetch_all(&mut conn)
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    let mut seen = Vec::new();
    for table in tables.iter().filter(|t| !t.starts_with("sqlite_")) {
        seen.push(format!(
            "{table}: {}",
            count(&mut conn, &format!("SELECT COUNT(*) FROM {table}")).await
        ));
    }
    for sql in [
        "SELECT id || ' ' || subject || ' ' || status || ' ' || contract_id || ' ' || description FROM tickets ORDER BY id",
        "SELECT id || ' ' || ticket_id || ' ' || body FROM messages ORDER BY id",
        "SELECT a.file_name || ' ' || hex(b.data) FROM attachments a JOIN attachment_blobs b ON b.sha256 = a.sha256 ORDER BY a.id",
    ] {
        for row in sqlx::query(sql).fetch_all(&mut conn).await.unwrap() {
            seen.push(row.get(0));
        }
    }
    conn.close().await.unwrap();
    seen
}

#[tokio::test]
async fn a_backup_taken_under_load_restores_whole() {
    use std::sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    };

    use crate::helpers::{Backend, TestApp};

    let backend = Backend::from_env();
    let app = TestApp::spawn_on(backend).await;
    let dir = scratch("backup");
    let with_db = |args: &[&str]| {
        let mut cmd = atende(&dir);
        cmd.args(args).env("ATENDE_DATABASE_URL", &app.database_url);
        cmd
    };
    if backend == Backend::Postgres {
        let (ok, out) = run_beside(with_db(&["backup", "--to", "atende.db"])).await;
        assert!(!ok && out.contains("pg_dump") && out.contains("pg_restore"), "{out}");
        return;
    }

    // A ticket with a file, which lives in the database and must come back byte for byte.
    let ana = app.client("ana@acme.example").await;
    let contract = app.contract_id("Acme Startup").await;
    let with_file = ana.open_ticket(contract).await.assert_status(201).id();
    let mut tx = app.app().db.begin().await.unwrap();
    let data = b"09:00 timeout\n\x00\xff binary tail";
    atende_store::attachments::insert(
        &mut tx,
        &atende_store::attachments::NewAttachment {
            ticket_id: with_file,
            message_id: None,
            file_name: "webhook.log",
            content_type: "application/octet-stream",
            sha256: "5f0c0a7e",
            data,
            uploaded_by: ana.user_id,
        },
        jiff::Timestamp::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    // Four customers' worth of tickets keep arriving while the backup runs.
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let mut load = Vec::new();
    for _ in 0..4 {
        let (ana, stop, acknowledged) = (ana.clone(), stop.clone(), acknowledged.clone());
        load.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                ids.push(ana.open_ticket(contract).await.assert_status(201).id());
                acknowledged.fetch_add(1, Ordering::Relaxed);
            }
            ids
        }));
    }
    while acknowledged.load(Ordering::Relaxed) < 20 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let before = acknowledged.load(Ordering::Relaxed) as i64;
    let under_load = dir.join("under-load.db");
    let (ok, out) = run_beside(with_db(&["backup", "--to", under_load.to_str().unwrap()])).await;
    assert!(ok && out.contains("backed up"), "{out}");
    let during = acknowledged.load(Ordering::Relaxed) as i64;
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    stop.store(true, Ordering::Relaxed);
    let mut acked: Vec<i64> = Vec::new();
    for task in load {
        acked.extend(task.await.unwrap());
    }
    assert!(acked.len() as i64 > during, "the load went on after the backup");

    // The backup taken under load is one consistent moment: whole tickets only.
    let (ok, again) = run_beside(with_db(&["backup", "--to", under_load.to_str().unwrap()])).await;
    assert!(!ok && again.contains("new file name"), "never overwrites: {again}");
    {
        use sqlx::Connection;
        let url = format!("sqlite://{}?mode=ro", under_load.display());
        let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
        let loaded = count(
            &mut conn,
            "SELECT COUNT(*) FROM tickets WHERE subject = 'The bot stopped answering'",
        )
        .await;
        // The ticket with the file has that subject too.
        assert!(
            loaded > before && loaded <= during + 5,
            "{loaded} tickets: at least the {before} acknowledged before, at most those acknowledged by the end"
        );
        let torn = count(
            &mut conn,
            "SELECT COUNT(*) FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id) \
             OR NOT EXISTS (SELECT 1 FROM sla_clocks c WHERE c.ticket_id = t.id)",
        )
        .await;
        assert_eq!(torn, 0, "no ticket without its events and SLA clocks");
        conn.close().await.unwrap();
    }

    // Quiet now: a backup restored into a new installation holds exactly what the server holds.
    let quiet = dir.join("quiet.db");
    let (ok, out) = run_beside(with_db(&["backup", "--to", quiet.to_str().unwrap()])).await;
    assert!(ok, "{out}");
    let (ok, out) = run_beside({
        let mut cmd = atende(&dir);
        cmd.args(["restore", "--from", quiet.to_str().unwrap()]);
        cmd
    })
    .await;
    assert!(ok && out.contains("restored"), "{out}");
    let restored_url = format!("sqlite://{}", dir.join("data/atende.db").display());
    let restored = contents(&restored_url).await;
    assert_eq!(restored, contents(&app.database_url).await);
    for id in &acked {
        assert!(
            restored.iter().any(|line| line.starts_with(&format!("{id} "))),
            "acknowledged ticket {id} is in the restored database"
        );
    }
    assert!(
        restored
            .iter()
            .any(|line| line.starts_with("webhook.log ") && line.ends_with("00FF2062696E617279207461696C")),
        "the file comes back byte for byte"
    );

    // Restoring over a database needs a clear yes; a file that is no backup is refused whole.
    let (ok, out) = run_beside({
        let mut cmd = atende(&dir);
        cmd.args(["restore", "--from", under_load.to_str().unwrap()]);
        cmd
    })
    .await;
    assert!(!ok && out.contains("--replace"), "{out}");
    std::fs::write(dir.join("notes.txt"), "not a database").unwrap();
    let (ok, out) = run_beside({
        let mut cmd = atende(&dir);
        cmd.args(["restore", "--from", "notes.txt", "--replace"]);
        cmd
    })
    .await;
    assert!(!ok && out.contains("not a usable atende backup"), "{out}");
    assert_eq!(
        contents(&restored_url).await,
        restored,
        "a refused restore leaves the database as it was"
    );
    let (ok, out) = run_beside({
        let mut cmd = atende(&dir);
        cmd.args(["restore", "--from", under_load.to_str().unwrap(), "--replace"]);
        cmd
    })
    .await;
    assert!(ok && out.contains("restored"), "{out}");
    assert!(
        contents(&restored_url).await.len() < restored.len(),
        "the older backup is in place now"
    );
}
