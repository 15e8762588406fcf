//! The support profile (plans, SLA policies, calendars), cached per process and checked against
//! the database's profile version on every use, so that an admin's change in one process is seen
//! by all at their next request, and an unchanged profile costs one small query instead of several.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
};

use atende_domain::{
    Plan,
    sla::{Calendar, Policy},
};
use atende_store::{Conn, profile, sla as store};

use crate::Result;

#[derive(Debug)]
pub struct Profile {
    pub version: i64,
    pub plans: Vec<Plan>,
    pub policies: Vec<Policy>,
    pub calendars: HashMap<String, (store::CalendarRecord, Calendar)>,
}

impl Profile {
    pub fn plan(&self, code: &str) -> Option<&Plan> {
        self.plans.iter().find(|p| p.code == code)
    }
}

#[derive(Debug, Clone, Default)]
pub struct ProfileCache {
    current: Arc<RwLock<Option<Arc<Profile>>>>,
}

impl ProfileCache {
    /// The profile as of `conn`'s view of the database (inside a transaction: as of that transaction).
    pub async fn get(&self, conn: &mut Conn) -> Result<Arc<Profile>> {
        let version = profile::version(conn).await?;
        self.get_at(conn, version).await
    }

    /// The profile at `version`, read by the caller with other facts in the same view.
    pub async fn get_at(&self, conn: &mut Conn, version: i64) -> Result<Arc<Profile>> {
        if let Some(cached) = self.current.read().unwrap_or_else(|e| e.into_inner()).as_ref()
            && cached.version == version
        {
            return Ok(cached.clone());
        }
        let mut calendars = HashMap::new();
        for record in store::list_calendars(conn).await? {
            let calendar = crate::sla::calendar_of(&record)?;
            calendars.insert(record.code.clone(), (record, calendar));
        }
        let loaded = Arc::new(Profile {
            version,
            plans: profile::list_plans(conn).await?,
            policies: store::list_policies(conn).await?,
            calendars,
        });
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(loaded.clone());
        Ok(loaded)
    }
}
