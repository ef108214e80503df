//! The delivery engine that `serve` runs. It claims due rows with a lease (at most 60 s),
//! so a job whose worker died is claimed again when the lease runs out, and on PostgreSQL
//! several `serve` processes share one queue (`FOR UPDATE SKIP LOCKED`). It keeps at most
//! `delivery_concurrency` deliveries in flight (128) and `delivery_per_host` per host (8),
//! over one pooled, keep-alive client. Successes are recorded in batches. On shutdown it
//! stops claiming, lets in-flight deliveries finish for up to 10 s, and gives the rest back.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, mpsc, watch};
use tokio::task::JoinSet;

use super::record::{self, Sent, Writer};
use super::schedule::Verdict;
use super::send::{self, Attempt, Keys, Payload};
use crate::app::AppState;
use crate::config::Config;
use crate::db::deliveries::{Claim, ClaimedRow};
use crate::{AppError, db};

/// How often the queue is polled for rows written by other processes (the CLI, another
/// `serve`) and for retries coming due.
const POLL: Duration = Duration::from_millis(500);
/// How long in-flight deliveries may run on after a shutdown begins.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// How often sent rows older than [`KEEP_DONE_MS`] are deleted.
const PURGE_EVERY_MS: i64 = 3600 * 1000;
const KEEP_DONE_MS: i64 = 7 * 24 * 3600 * 1000;
/// Activity bodies kept in memory (a fan-out reads its body once).
const PAYLOAD_CACHE: usize = 256;
/// A claim chooses among this many of the oldest due rows, so its cost stays flat however
/// many thousands are due.
const CLAIM_WINDOW: i64 = 256;
/// Rows of one host a single claim takes at most. Spreading each claim over hosts keeps
/// few connections open per host; a busy host still reaches `per_host` over a few claims.
const CLAIM_PER_HOST: usize = 2;
/// When almost every slot is busy, the claimer waits up to this long for more to free up,
/// so it claims in batches rather than one row at a time.
const BATCH_WAIT: Duration = Duration::from_millis(2);

/// The engine's bounds, from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub concurrency: usize,
    pub per_host: usize,
    pub lease_ms: i64,
}

impl Limits {
    pub fn from_config(config: &Config) -> Limits {
        Limits {
            concurrency: config.delivery_concurrency.max(1),
            per_host: config.delivery_per_host.max(1),
            lease_ms: i64::try_from(config.delivery_lease_secs.clamp(1, 60) * 1000)
                .unwrap_or(60_000),
        }
    }
}

/// Claims per host: how many this engine holds, and the permits that bound sending.
struct HostSlot {
    permits: Arc<Semaphore>,
    claimed: usize,
}

struct Engine {
    node: AppState,
    writer: Arc<Writer>,
    limits: Limits,
    global: Arc<Semaphore>,
    hosts: Mutex<HashMap<String, HostSlot>>,
    /// Claimed rows not yet sent and handed to the recorder.
    in_flight: Mutex<HashSet<i64>>,
    keys: Keys,
    payloads: tokio::sync::Mutex<HashMap<String, Payload>>,
    /// Woken when a claim finishes, so a host that was busy can be claimed for again.
    freed: Notify,
    sent: mpsc::UnboundedSender<Sent>,
}

/// Runs until `stop` turns true, then shuts down cleanly.
pub async fn run(node: AppState, mut stop: watch::Receiver<bool>) {
    let limits = Limits::from_config(&node.config);
    let (sent, sent_rx) = mpsc::unbounded_channel();
    let writer = Arc::new(Writer::default());
    let recorder = tokio::spawn(record::record_sent(node.clone(), writer.clone(), sent_rx));
    let engine = Arc::new(Engine {
        node: node.clone(),
        writer,
        limits,
        global: Arc::new(Semaphore::new(limits.concurrency)),
        hosts: Mutex::new(HashMap::new()),
        in_flight: Mutex::new(HashSet::new()),
        keys: Keys::default(),
        payloads: tokio::sync::Mutex::new(HashMap::new()),
        freed: Notify::new(),
        sent,
    });
    let mut tasks = JoinSet::new();
    let mut last_purge = i64::MIN;
    loop {
        if *stop.borrow() {
            break;
        }
        while tasks.try_join_next().is_some() {}
        last_purge = purge(&engine, last_purge).await;
        let permits = tokio::select! {
            permits = engine.take_permits() => permits,
            _ = stop.changed() => break,
        };
        let rows = match engine.claim(permits.len()).await {
            Ok(rows) => rows,
            Err(e) => {
                tracing::warn!(error = %e, "cannot claim deliveries");
                Vec::new()
            }
        };
        if rows.is_empty() {
            drop(permits);
            let stopped = tokio::select! {
                _ = node.deliveries_queued.notified() => false,
                _ = engine.freed.notified() => false,
                _ = tokio::time::sleep(POLL) => false,
                changed = stop.changed() => changed.is_err(),
            };
            if stopped {
                break;
            }
            continue;
        }
        for (row, permit) in rows.into_iter().zip(permits) {
            tasks.spawn(engine.clone().deliver(row, permit));
        }
    }
    engine.shut_down(tasks).await;
    drop(engine);
    let _ = recorder.await;
}

/// Deletes old sent rows about once an hour; returns when it last did.
async fn purge(engine: &Engine, last: i64) -> i64 {
    let now = engine.node.clock.now_ms();
    if now.saturating_sub(last) < PURGE_EVERY_MS {
        return last;
    }
    let purged = async {
        let mut conn = engine.node.db.acquire().await?;
        db::deliveries::purge_done(&mut conn, now - KEEP_DONE_MS).await
    };
    match purged.await {
        Ok(n) if n > 0 => tracing::info!(deleted = n, "old sent deliveries deleted"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "cannot delete old sent deliveries"),
    }
    now
}

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding these short locks leaves plain data that is still usable.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Engine {
    /// Waits for one free slot, then (briefly, when nearly all are busy) for a batch's
    /// worth, and takes every free slot.
    async fn take_permits(&self) -> Vec<OwnedSemaphorePermit> {
        let mut permits = Vec::new();
        // The semaphore is never closed, so acquiring fails only if it were.
        if let Ok(first) = self.global.clone().acquire_owned().await {
            permits.push(first);
        }
        let batch = (self.limits.concurrency / 4).clamp(1, 32);
        if self.global.available_permits() + 1 < batch {
            let enough = async {
                while self.global.available_permits() + 1 < batch {
                    self.freed.notified().await;
                }
            };
            let _ = tokio::time::timeout(BATCH_WAIT, enough).await;
        }
        while permits.len() < self.limits.concurrency {
            match self.global.clone().try_acquire_owned() {
                Ok(p) => permits.push(p),
                Err(_) => break,
            }
        }
        permits
    }

    /// Leases up to `limit` due rows, skipping hosts that already have their share here.
    async fn claim(&self, limit: usize) -> Result<Vec<ClaimedRow>, AppError> {
        let busy: Vec<String> = locked(&self.hosts)
            .iter()
            .filter(|(_, slot)| slot.claimed >= self.limits.per_host)
            .map(|(host, _)| host.clone())
            .collect();
        let now = self.node.clock.now_ms();
        let claim = Claim {
            now,
            lease_until: now + self.limits.lease_ms,
            limit: i64::try_from(limit).unwrap_or(i64::MAX),
            per_host: i64::try_from(self.limits.per_host.min(CLAIM_PER_HOST)).unwrap_or(1),
            window: CLAIM_WINDOW,
            busy_hosts: &busy,
        };
        let rows = {
            let mut conn = self.writer.lock(&self.node).await?;
            match db::deliveries::claim(&mut conn, &claim).await {
                Ok(rows) => rows,
                Err(e) => {
                    drop(conn);
                    self.writer.reset().await;
                    return Err(e.into());
                }
            }
        };
        let mut hosts = locked(&self.hosts);
        let mut in_flight = locked(&self.in_flight);
        for row in &rows {
            in_flight.insert(row.id);
            hosts
                .entry(row.host.clone())
                .or_insert_with(|| HostSlot {
                    permits: Arc::new(Semaphore::new(self.limits.per_host)),
                    claimed: 0,
                })
                .claimed += 1;
        }
        Ok(rows)
    }

    /// Sends one claimed row within its host's bound and records the outcome.
    async fn deliver(self: Arc<Self>, row: ClaimedRow, slot: OwnedSemaphorePermit) {
        let host_permits = locked(&self.hosts)
            .get(&row.host)
            .map(|slot| slot.permits.clone());
        let _host_permit = match host_permits {
            Some(permits) => permits.acquire_owned().await.ok(),
            None => None,
        };
        let attempt = match self.payload(&row.activity_id).await {
            Ok(payload) => send::attempt(&self.node, &self.keys, &row.inbox, &payload).await,
            Err(e) => Attempt {
                verdict: Verdict::GiveUp { gone: false },
                error: Some(format!("cannot load the activity: {e}")),
            },
        };
        if let Err(e) =
            record::attempt(&self.node, &self.writer, &self.sent, &row, attempt, slot).await
        {
            tracing::warn!(error = %e, delivery = row.id, "cannot record a delivery attempt");
        }
        self.finished(&row);
    }

    /// The activity's signer and body, read once per activity.
    async fn payload(&self, activity_id: &str) -> Result<Payload, AppError> {
        let mut cache = self.payloads.lock().await;
        if let Some(found) = cache.get(activity_id) {
            return Ok(found.clone());
        }
        let mut conn = self.node.db.acquire().await?;
        let (signer, body) = db::activities::by_id(&mut conn, activity_id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("activity {activity_id} is gone")))?;
        let payload = Payload {
            signer,
            body: body.into(),
        };
        if cache.len() >= PAYLOAD_CACHE {
            cache.clear();
        }
        cache.insert(activity_id.to_string(), payload.clone());
        Ok(payload)
    }

    /// Forgets a finished claim and wakes the claimer.
    fn finished(&self, row: &ClaimedRow) {
        locked(&self.in_flight).remove(&row.id);
        let mut hosts = locked(&self.hosts);
        if let Some(slot) = hosts.get_mut(&row.host) {
            slot.claimed = slot.claimed.saturating_sub(1);
            if slot.claimed == 0 {
                hosts.remove(&row.host);
            }
        }
        drop(hosts);
        self.freed.notify_one();
    }

    /// Lets in-flight deliveries finish for up to 10 s, then gives the rest back.
    async fn shut_down(&self, mut tasks: JoinSet<()>) {
        let waiting = tasks.len();
        let grace = tokio::time::sleep(SHUTDOWN_GRACE);
        tokio::pin!(grace);
        loop {
            tokio::select! {
                joined = tasks.join_next() => if joined.is_none() { break },
                _ = &mut grace => {
                    tasks.abort_all();
                    while tasks.join_next().await.is_some() {}
                    break;
                }
            }
        }
        let left: Vec<i64> = locked(&self.in_flight).drain().collect();
        if !left.is_empty() {
            let released = async {
                let mut conn = self.node.db.acquire().await?;
                db::deliveries::release(&mut conn, &left).await
            };
            if let Err(e) = released.await {
                tracing::warn!(error = %e, "cannot give deliveries back; their leases will expire");
            }
        }
        tracing::info!(
            in_flight = waiting,
            given_back = left.len(),
            "delivery engine stopped"
        );
    }
}
