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
