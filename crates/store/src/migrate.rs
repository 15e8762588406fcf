//! Migrations embedded in the binary, one tree per backend: they differ only where the dialects
//! force it (identity columns), and a test compares the schemas they produce.

use std::borrow::Cow;

use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};

use crate::{Backend, Db, Result};

/// `(version, name, SQL)` of each migration, oldest first.
type Migrations = &'static [(i64, &'static str, &'static str)];

const SQLITE: Migrations = &[
    (1, "core", include_str!("../migrations/sqlite/0001_core.sql")),
    (2, "sla", include_str!("../migrations/sqlite/0002_sla.sql")),
    (
        3,
        "profile",
        include_str!("../migrations/sqlite/0003_profile_version.sql"),
    ),
    (4, "groups", include_str!("../migrations/sqlite/0004_groups.sql")),
    (5, "web", include_str!("../migrations/sqlite/0005_web.sql")),
    (
        6,
        "help_center",
        include_str!("../migrations/sqlite/0006_help_center.sql"),
    ),
    (
        7,
        "search_plan",
        include_str!("../migrations/sqlite/0007_search_plan.sql"),
    ),
    (8, "mail", include_str!("../migrations/sqlite/0008_mail.sql")),
    (
        9,
        "mailbox_reader",
        include_str!("../migrations/sqlite/0009_mailbox_reader.sql"),
    ),
    (
        10,
        "status_page",
        include_str!("../migrations/sqlite/0010_status_page.sql"),
    ),
    (
        11,
        "incident_deflections",
        include_str!("../migrations/sqlite/0011_incident_deflections.sql"),
    ),
    (
        12,
        "subscriber_token",
        include_str!("../migrations/sqlite/0012_subscriber_token.sql"),
    ),
    (
        13,
        "maintenance_segment",
        include_str!("../migrations/sqlite/0013_maintenance_segment.sql"),
    ),
    (14, "changelog", include_str!("../migrations/sqlite/0014_changelog.sql")),
    (15, "community", include_str!("../migrations/sqlite/0015_community.sql")),
    (16, "forum", include_str!("../migrations/sqlite/0016_forum.sql")),
    (
        17,
        "conversations",
        include_str!("../migrations/sqlite/0017_conversations.sql"),
    ),
    (18, "reports", include_str!("../migrations/sqlite/0018_reports.sql")),
    (
        19,
        "report_rollups",
        include_str!("../migrations/sqlite/0019_report_rollups.sql"),
    ),
];
const POSTGRES: Migrations = &[
    (1, "core", include_str!("../migrations/postgres/0001_core.sql")),
    (2, "sla", include_str!("../migrations/postgres/0002_sla.sql")),
    (
        3,
        "profile",
        include_str!("../migrations/postgres/0003_profile_version.sql"),
    ),
    (4, "groups", include_str!("../migrations/postgres/0004_groups.sql")),
    (5, "web", include_str!("../migrations/postgres/0005_web.sql")),
    (
        6,
        "help_center",
        include_str!("../migrations/postgres/0006_help_center.sql"),
    ),
    (
        7,
        "search_plan",
        include_str!("../migrations/postgres/0007_search_plan.sql"),
    ),
    (8, "mail", include_str!("../migrations/postgres/0008_mail.sql")),
    (
        9,
        "mailbox_reader",
        include_str!("../migrations/postgres/0009_mailbox_reader.sql"),
    ),
    (
        10,
        "status_page",
        include_str!("../migrations/postgres/0010_status_page.sql"),
    ),
    (
        11,
        "incident_deflections",
        include_str!("../migrations/postgres/0011_incident_deflections.sql"),
    ),
    (
        12,
        "subscriber_token",
        include_str!("../migrations/postgres/0012_subscriber_token.sql"),
    ),
    (
        13,
        "maintenance_segment",
        include_str!("../migrations/postgres/0013_maintenance_segment.sql"),
    ),
    (
        14,
        "changelog",
        include_str!("../migrations/postgres/0014_changelog.sql"),
    ),
    (
        15,
        "community",
        include_str!("../migrations/postgres/0015_community.sql"),
    ),
    (16, "forum", include_str!("../migrations/postgres/0016_forum.sql")),
    (
        17,
        "conversations",
        include_str!("../migrations/postgres/0017_conversations.sql"),
    ),
    (18, "reports", include_str!("../migrations/postgres/0018_reports.sql")),
    (
        19,
        "report_rollups",
        include_str!("../migrations/postgres/0019_report_rollups.sql"),
    ),
];

/// The newest schema this build knows.
pub fn latest_version() -> i64 {
    SQLITE.last().map(|(version, _, _)| *version).unwrap_or_default()
}

#[derive(Debug)]
struct Embedded(Migrations);

impl<'s> MigrationSource<'s> for Embedded {
    fn resolve(self) -> futures_core::future::BoxFuture<'s, Result<Vec<Migration>, sqlx::error::BoxDynError>> {
        Box::pin(async move {
            Ok(self
                .0
                .iter()
                .map(|(version, name, sql)| {
                    Migration::new(
                        *version,
                        Cow::Borrowed(name),
                        MigrationType::Simple,
                        Cow::Borrowed(sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

pub(crate) async fn run(db: &Db) -> Result<()> {
    let source = match db.backend() {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    };
    let migrator = Migrator::new(Embedded(source)).await?;
    migrator.run(db.write_pool()).await?;
    Ok(())
}
