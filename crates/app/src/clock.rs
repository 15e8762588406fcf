use std::sync::{Arc, Mutex};

use jiff::{SignedDuration, Timestamp};

/// The time source of the use cases: the system clock, or a manual one that tests move.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    manual: Option<Arc<Mutex<Timestamp>>>,
}

impl Clock {
    pub fn system() -> Self {
        Clock { manual: None }
    }

    pub fn manual(start: Timestamp) -> Self {
        Clock {
            manual: Some(Arc::new(Mutex::new(start))),
        }
    }

    pub fn now(&self) -> Timestamp {
        match &self.manual {
            // A poisoned lock still holds a valid time; keep using it.
            Some(t) => *t.lock().unwrap_or_else(|e| e.into_inner()),
            None => Timestamp::now(),
        }
    }

    /// Moves a manual clock forward; does nothing to the system clock.
    pub fn advance(&self, by: SignedDuration) {
        if let Some(t) = &self.manual {
            let mut guard = t.lock().unwrap_or_else(|e| e.into_inner());
            *guard = guard.checked_add(by).unwrap_or(*guard);
        }
    }
}
