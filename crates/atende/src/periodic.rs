//! Work the server repeats at an interval (the SLA sweep, the mail rounds, checkpoints): one task
//! each, a round at every tick, stopped between rounds so that none is cut in half.

use std::{future::Future, time::Duration};

use tokio::{sync::watch, task::JoinHandle};

pub struct Periodic {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Periodic {
    /// Runs a round made by `round` every `every`; a round that runs late delays the next one
    /// rather than bringing several at once.
    pub fn start<F, Fut>(every: Duration, mut round: F) -> Periodic
    where
        F: FnMut() -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let (stop, mut stopped) = watch::channel(false);
        let task = tokio::spawn(async move {
            let mut ticker = tokio::time::interval(every);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = ticker.tick() => {}
                    _ = stopped.changed() => return,
                }
                round().await;
            }
        });
        Periodic { stop, task }
    }

    /// Stops after the round in progress, if any.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}
