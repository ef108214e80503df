//! One attempt at one delivery: sign the POST afresh (Mastodon rejects old Dates), send it
//! over the pooled client, and say what the answer means. Inboxes on this node are handed
//! to the inbox in-process.

use std::collections::HashMap;
use std::time::SystemTime;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method};
use tokio::sync::Mutex;
use url::Url;

use super::schedule::{self, Verdict};
use crate::app::Node;
use crate::federation::signatures::cavage;
use crate::federation::signatures::keys::SigningKey;
use crate::federation::{inbox, urls};
use crate::{AppError, db};

/// An activity ready to send: its signer (None is the instance actor) and body.
#[derive(Debug, Clone)]
pub struct Payload {
    pub signer: Option<i64>,
    pub body: Bytes,
}

/// Signing keys by co-op id (None is the instance actor), parsed once per worker.
#[derive(Default)]
pub struct Keys(Mutex<HashMap<Option<i64>, (Url, SigningKey)>>);

/// What came of an attempt.
#[derive(Debug)]
pub struct Attempt {
    pub verdict: Verdict,
    /// Why it failed, for the row and the logs.
    pub error: Option<String>,
}

impl Attempt {
    fn failed(verdict: Verdict, error: String) -> Attempt {
        Attempt {
            verdict,
            error: Some(error),
        }
    }

    /// A failure nothing will mend (bad inbox URL, a key we cannot load).
    fn hopeless(error: String) -> Attempt {
        Attempt::failed(Verdict::GiveUp { gone: false }, error)
    }
}

/// Delivers `payload` to `inbox` once.
pub async fn attempt(node: &Node, keys: &Keys, inbox: &str, payload: &Payload) -> Attempt {
    let inbox = match Url::parse(inbox) {
        Ok(url) => url,
        Err(e) => return Attempt::hopeless(format!("bad inbox URL: {e}")),
    };
    if node.is_local(&inbox) {
        return local(node, &payload.body).await;
    }
    if let Err(e) = node.fetcher.check_url(&inbox) {
        return Attempt::hopeless(e.to_string());
    }
    let (key_id, key) = match keys.get(node, payload.signer).await {
        Ok(found) => found,
        Err(e) => return Attempt::hopeless(format!("no signing key: {e}")),
    };
    // RSA signing is about 0.25 ms of CPU: done on the blocking pool, it leaves the
    // runtime's workers free to drive the connections of the other deliveries.
    let body = payload.body.clone();
    let target = inbox.clone();
    let signed = tokio::task::spawn_blocking(move || {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/activity+json"),
        );
        cavage::sign_request(
            &Method::POST,
            &target,
            &mut headers,
            Some(&body),
            key_id.as_str(),
            &key,
        )
        .map(|()| headers)
    })
    .await;
    let headers = match signed {
        Ok(Ok(headers)) => headers,
        Ok(Err(e)) => return Attempt::hopeless(format!("cannot sign: {e}")),
        Err(e) => return Attempt::hopeless(format!("signing failed: {e}")),
    };
    let sent = node
        .fetcher
        .client()
        .post(inbox)
        .headers(headers)
        .body(payload.body.clone())
        .send()
        .await;
    let response = match sent {
        Ok(response) => response,
        Err(e) => {
            let verdict = Verdict::Retry {
                retry_after: None,
                host_down: true,
            };
            return Attempt::failed(verdict, format!("POST failed: {e}"));
        }
    };
    let status = response.status();
    let retry_after = response
        .headers()
        .get(http::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| schedule::parse_retry_after(v, SystemTime::now()));
    let verdict = schedule::classify(status.as_u16(), retry_after);
    match verdict {
        Verdict::Sent => Attempt {
            verdict,
            error: None,
        },
        _ => Attempt::failed(verdict, format!("POST answered {status}")),
    }
}

/// Hands the activity to this node's inbox; only a database error is worth a retry.
async fn local(node: &Node, body: &[u8]) -> Attempt {
    let text = String::from_utf8_lossy(body);
    match inbox::receive_local(node, &text).await {
        Ok(()) => Attempt {
            verdict: Verdict::Sent,
            error: None,
        },
        Err(e) => {
            let verdict = if matches!(e, AppError::Database(_)) {
                Verdict::Retry {
                    retry_after: None,
                    host_down: false,
                }
            } else {
                Verdict::GiveUp { gone: false }
            };
            Attempt::failed(verdict, e.to_string())
        }
    }
}

impl Keys {
    /// The key id and key that sign for `signer`.
    async fn get(&self, node: &Node, signer: Option<i64>) -> Result<(Url, SigningKey), AppError> {
        let mut cache = self.0.lock().await;
        if let Some(found) = cache.get(&signer) {
            return Ok(found.clone());
        }
        let found = match signer {
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
        cache.insert(signer, found.clone());
        Ok(found)
    }
}
