//! The first, simple delivery worker: claims due rows with a 60 s lease, signs each POST
//! afresh (draft-cavage, as Mastodon verifies), retries a few times, then gives up.
//! Inboxes on this node are delivered in-process. #4 replaces this with the full engine
//! behind the same `enqueue` interface.

use std::collections::HashMap;
use std::time::Duration;

use futures::StreamExt;
use http::{HeaderMap, HeaderValue, Method};
use tokio::sync::{Mutex, watch};
use url::Url;

use crate::app::{AppState, Node};
use crate::db::deliveries::DeliveryRow;
use crate::federation::signatures::cavage;
use crate::federation::signatures::keys::SigningKey;
use crate::federation::{inbox, urls};
use crate::{AppError, db, now_ms};

/// How long a claimed row is reserved for its worker.
const LEASE_MS: i64 = 60_000;
/// How many rows one pass claims.
const BATCH: i64 = 64;
/// How many deliveries are in flight at once.
const CONCURRENCY: usize = 16;
/// Waits before the 2nd, 3rd, 4th and 5th attempts; after the 5th the row is given up.
const BACKOFF_SECS: [i64; 4] = [10, 60, 300, 1800];
/// How often the queue is polled for rows written by other processes (the CLI).
const POLL: Duration = Duration::from_millis(500);

/// Signing keys by co-op id (None is the instance actor), parsed once.
type KeyCache = Mutex<HashMap<Option<i64>, (Url, SigningKey)>>;

/// Runs until `stop` turns true: claims due deliveries and sends them.
pub async fn run(node: AppState, mut stop: watch::Receiver<bool>) {
    let keys: KeyCache = Mutex::new(HashMap::new());
    loop {
        if *stop.borrow() {
            break;
        }
        let sent = match run_once(&node, &keys).await {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error = %e, "delivery pass failed");
                0
            }
        };
        if sent > 0 {
            continue;
        }
        tokio::select! {
            _ = node.deliveries_queued.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
            _ = stop.changed() => {}
        }
    }
}

/// Claims one batch of due deliveries and sends them; returns how many were claimed.
pub async fn run_once(node: &Node, keys: &KeyCache) -> Result<usize, AppError> {
    let rows = {
        let mut conn = node.db.acquire().await?;
        db::deliveries::claim_due(&mut conn, now_ms(), LEASE_MS, BATCH).await?
    };
    let count = rows.len();
    futures::stream::iter(rows)
        .for_each_concurrent(CONCURRENCY, |row| async move {
            let outcome = send(node, keys, &row).await;
            if let Err(e) = record(node, &row, outcome).await {
                tracing::warn!(error = %e, delivery = row.id, "cannot record a delivery outcome");
            }
        })
        .await;
    Ok(count)
}

/// Why a delivery failed, and whether trying again could help.
struct Failure {
    message: String,
    retry: bool,
}

async fn record(
    node: &Node,
    row: &DeliveryRow,
    outcome: Result<(), Failure>,
) -> Result<(), AppError> {
    let mut conn = node.db.acquire().await?;
    match outcome {
        Ok(()) => db::deliveries::mark_done(&mut conn, row.id).await?,
        Err(f) => {
            let next = usize::try_from(row.attempts)
                .ok()
                .and_then(|a| BACKOFF_SECS.get(a))
                .filter(|_| f.retry)
                .map(|secs| now_ms() + secs * 1000);
            tracing::info!(inbox = %row.inbox, activity = %row.activity_id, error = %f.message, retry = next.is_some(), "delivery failed");
            db::deliveries::mark_failed(&mut conn, row.id, &f.message, next).await?
        }
    }
    Ok(())
}

async fn signing_key(
    node: &Node,
    keys: &KeyCache,
    coop_id: Option<i64>,
) -> Result<(Url, SigningKey), AppError> {
    let mut cache = keys.lock().await;
    if let Some(found) = cache.get(&coop_id) {
        return Ok(found.clone());
    }
    let found = match coop_id {
        None => {
            let signer = node.instance.signer();
            (signer.key_id, signer.key)
        }
        Some(id) => {
            let mut conn = node.db.acquire().await?;
            let coop = db::coops::by_id(&mut conn, id)
                .await?
                .ok_or_else(|| AppError::NotFound(format!("signing co-op {id} is gone")))?;
            let key = SigningKey::from_pem(&coop.private_key_pem)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            (urls::coop_key(&node.base, &coop.handle), key)
        }
    };
    cache.insert(coop_id, found.clone());
    Ok(found)
}

async fn send(node: &Node, keys: &KeyCache, row: &DeliveryRow) -> Result<(), Failure> {
    let fail = |message: String, retry: bool| Failure { message, retry };
    let inbox = Url::parse(&row.inbox).map_err(|e| fail(format!("bad inbox URL: {e}"), false))?;
    if node.is_local(&inbox) {
        return inbox::receive_local(node, &row.body).await.map_err(|e| {
            let retry = matches!(e, AppError::Database(_));
            fail(e.to_string(), retry)
        });
    }
    node.fetcher
        .check_url(&inbox)
        .map_err(|e| fail(e.to_string(), false))?;
    let (key_id, key) = signing_key(node, keys, row.coop_id)
        .await
        .map_err(|e| fail(e.to_string(), false))?;
    let mut headers = HeaderMap::new();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/activity+json"),
    );
    cavage::sign_request(
        &Method::POST,
        &inbox,
        &mut headers,
        Some(row.body.as_bytes()),
        key_id.as_str(),
        &key,
    )
    .map_err(|e| fail(format!("cannot sign: {e}"), false))?;
    let response = node
        .fetcher
        .client()
        .post(inbox.clone())
        .headers(headers)
        .body(row.body.clone())
        .send()
        .await
        .map_err(|e| fail(format!("POST failed: {e}"), true))?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let retry = status.is_server_error() || matches!(status.as_u16(), 401 | 408 | 429);
    Err(fail(format!("POST answered {status}"), retry))
}
