//! The one client for every remote request: actors, keys, WebFinger, objects and
//! deliveries. It enforces the fetch budget, timeouts, the 1 MiB cap, ActivityPub content
//! types, the origin rule for documents' ids, and the private-address policy.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use http::{HeaderMap, HeaderValue, Method};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use serde_json::Value;
use url::Url;

use super::origin::{origin_of, same_origin};
use super::signatures::cavage;
use super::signatures::keys::SigningKey;
use crate::AppError;
use crate::app::MAX_BODY_BYTES;

/// How many remote fetches handling one incoming activity may cause.
pub const FETCH_BUDGET: u32 = 20;

/// What `Accept` header asks for ActivityPub documents.
pub const ACCEPT_ACTIVITY: &str = r#"application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams""#;

/// A countdown of remote fetches, shared by everything one incoming activity causes.
#[derive(Clone, Debug)]
pub struct FetchBudget(Arc<AtomicU32>);

impl FetchBudget {
    /// A fresh budget of `FETCH_BUDGET` fetches.
    pub fn new() -> Self {
        FetchBudget(Arc::new(AtomicU32::new(FETCH_BUDGET)))
    }

    fn take(&self) -> Result<(), AppError> {
        self.0
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .map(|_| ())
            .map_err(|_| {
                AppError::Remote(format!("fetch budget of {FETCH_BUDGET} requests exhausted"))
            })
    }
}

impl Default for FetchBudget {
    fn default() -> Self {
        Self::new()
    }
}

/// A local actor's key, used to sign outgoing requests.
#[derive(Clone)]
pub struct Signer {
    pub key_id: Url,
    pub key: SigningKey,
}

/// The client. Cheap to clone.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    allow_private: bool,
    signer: Signer,
}

/// Refuses names that resolve to loopback, private or otherwise non-public addresses.
struct PublicOnlyResolver;

impl Resolve for PublicOnlyResolver {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            if let Some(bad) = addrs.iter().find(|a| !is_public(a.ip())) {
                return Err(format!(
                    "{} resolves to non-public address {}",
                    name.as_str(),
                    bad.ip()
                )
                .into());
            }
            let addrs: Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

/// Whether an address is on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_unspecified()
                || o[0] == 0
                || (o[0] == 100 && (o[1] & 0xc0) == 64)
                || o[0] >= 224)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || v6.is_multicast())
        }
    }
}

impl Fetcher {
    /// Builds the client. `allow_private` permits http, explicit ports and private addresses.
    pub fn new(allow_private: bool, signer: Signer) -> Result<Fetcher, AppError> {
        let mut builder = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            // Few idle connections per host, dropped after 30 s: a fan-out to 1,000 hosts
            // otherwise keeps thousands of sockets (about 22 KiB each) open.
            .pool_max_idle_per_host(2)
            .pool_idle_timeout(Duration::from_secs(30))
            .user_agent(concat!("mutual/", env!("CARGO_PKG_VERSION")));
        if !allow_private {
            builder = builder.dns_resolver(Arc::new(PublicOnlyResolver));
        }
        let client = builder
            .build()
            .map_err(|e| AppError::Internal(format!("cannot build HTTP client: {e}")))?;
        Ok(Fetcher {
            client,
            allow_private,
            signer,
        })
    }

    /// The underlying pooled client, for deliveries.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// Checks a URL against the policy before any request is made.
    pub fn check_url(&self, url: &Url) -> Result<(), AppError> {
        let refuse = |why: &str| {
            Err(AppError::Remote(format!(
                "refusing to contact {url}: {why}"
            )))
        };
        match url.scheme() {
            "https" => {}
            "http" if self.allow_private => {}
            _ => return refuse("only https is allowed"),
        }
        let Some(host) = url.host() else {
            return refuse("no host");
        };
        if self.allow_private {
            return Ok(());
        }
        if url.port().is_some() {
            return refuse("explicit ports are not allowed");
        }
        match host {
            url::Host::Domain(d) if d == "localhost" || d.ends_with(".localhost") => {
                refuse("loopback host")
            }
            url::Host::Domain(_) => Ok(()),
            url::Host::Ipv4(_) | url::Host::Ipv6(_) => {
                refuse("hosts written as IP addresses are not allowed")
            }
        }
    }

    /// A signed GET; returns the response headers and at most 1 MiB of body.
    async fn get(
        &self,
        url: &Url,
        accept: &str,
        budget: &FetchBudget,
    ) -> Result<(HeaderMap, Vec<u8>), AppError> {
        self.check_url(url)?;
        budget.take()?;
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::ACCEPT,
            HeaderValue::from_str(accept).map_err(|e| AppError::Internal(e.to_string()))?,
        );
        cavage::sign_request(
            &Method::GET,
            url,
            &mut headers,
            None,
            self.signer.key_id.as_str(),
            &self.signer.key,
        )
        .map_err(|e| AppError::Internal(format!("cannot sign GET: {e}")))?;
        let mut response = self
            .client
            .get(url.clone())
            .headers(headers)
            .send()
            .await
            .map_err(|e| AppError::Remote(format!("GET {url} failed: {e}")))?;
        let status = response.status();
        if status == reqwest::StatusCode::GONE || status == reqwest::StatusCode::NOT_FOUND {
            return Err(AppError::RemoteGone {
                url: url.to_string(),
                status: status.as_u16(),
            });
        }
        if !status.is_success() {
            return Err(AppError::Remote(format!("GET {url}: status {status}")));
        }
        if response
            .content_length()
            .is_some_and(|n| n > MAX_BODY_BYTES as u64)
        {
            return Err(AppError::Remote(format!(
                "GET {url}: body is larger than 1 MiB"
            )));
        }
        let headers = response.headers().clone();
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| AppError::Remote(format!("GET {url}: {e}")))?
        {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(AppError::Remote(format!(
                    "GET {url}: body is larger than 1 MiB"
                )));
            }
            body.extend_from_slice(&chunk);
        }
        Ok((headers, body))
    }

    /// Fetches an ActivityPub document. Its `id` must share the URL's origin; when the id
    /// differs from the URL, the id itself is fetched and must match exactly.
    pub async fn fetch_object(&self, url: &Url, budget: &FetchBudget) -> Result<Value, AppError> {
        let mut url = url.clone();
        url.set_fragment(None);
        let doc = self.fetch_activity_json(&url, budget).await?;
        let id = document_id(&doc, &url)?;
        if !same_origin(&id, &url) {
            return Err(AppError::Remote(format!(
                "document at {url} claims id {id} on another origin ({})",
                origin_of(&id)
            )));
        }
        if id == url {
            return Ok(doc);
        }
        let again = self.fetch_activity_json(&id, budget).await?;
        if document_id(&again, &id)? != id {
            return Err(AppError::Remote(format!(
                "document at {id} does not have id {id}"
            )));
        }
        Ok(again)
    }

    async fn fetch_activity_json(
        &self,
        url: &Url,
        budget: &FetchBudget,
    ) -> Result<Value, AppError> {
        let (headers, body) = self.get(url, ACCEPT_ACTIVITY, budget).await?;
        let content_type = headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let mime = content_type.split(';').next().unwrap_or("").trim();
        if mime != "application/activity+json" && mime != "application/ld+json" {
            return Err(AppError::Remote(format!(
                "GET {url}: content type '{content_type}' is not ActivityPub"
            )));
        }
        serde_json::from_slice(&body)
            .map_err(|e| AppError::Remote(format!("GET {url}: not JSON: {e}")))
    }

    /// Fetches a JSON document that is not ActivityPub (WebFinger, NodeInfo).
    pub async fn fetch_plain_json(
        &self,
        url: &Url,
        budget: &FetchBudget,
    ) -> Result<Value, AppError> {
        let (_, body) = self
            .get(url, "application/jrd+json, application/json", budget)
            .await?;
        serde_json::from_slice(&body)
            .map_err(|e| AppError::Remote(format!("GET {url}: not JSON: {e}")))
    }

    /// Whether WebFinger look-ups should use http (development and tests only).
    pub fn allows_private(&self) -> bool {
        self.allow_private
    }
}

fn document_id(doc: &Value, url: &Url) -> Result<Url, AppError> {
    let id = doc
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| AppError::Remote(format!("document at {url} has no id")))?;
    Url::parse(id).map_err(|_| AppError::Remote(format!("document at {url} has an invalid id")))
}
