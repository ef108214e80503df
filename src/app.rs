//! The shared state of a node, its router, and `serve`.

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use url::Url;

use crate::clock::Clock;
use crate::config::Config;
use crate::db::{self, Db};
use crate::federation::fetch::Fetcher;
use crate::federation::instance::InstanceActor;
use crate::{AppError, delivery, federation, web};

/// Bodies larger than this are refused with 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Everything a request handler, a CLI command or a worker needs.
pub struct Node {
    pub db: Db,
    pub config: Config,
    /// The public base URL (no trailing slash).
    pub base: Url,
    /// The one client for every remote fetch and delivery.
    pub fetcher: Fetcher,
    /// The node-wide actor that signs outgoing GETs.
    pub instance: InstanceActor,
    /// Woken when deliveries are queued in this process.
    pub deliveries_queued: Notify,
    /// The time the delivery engine schedules by.
    pub clock: Clock,
    /// When each host was last checked for delivery failures after an activity from it
    /// arrived (`delivery::hosts::heard_from`), so that is at most once a minute per host.
    pub hosts_heard: std::sync::Mutex<std::collections::HashMap<String, i64>>,
    /// The directory's listed co-ops in memory, for browsing (`directory::index`).
    pub catalogue: crate::directory::index::Catalogue,
}

/// Cheap-to-clone handle on the node.
pub type AppState = Arc<Node>;

impl Node {
    /// Opens the database (applying migrations), loads the instance actor and builds the client.
    pub async fn open(config: Config) -> Result<AppState, AppError> {
        Self::open_with_clock(config, Clock::System).await
    }

    /// [`Node::open`] with the delivery engine on another clock (tests use tokio's).
    pub async fn open_with_clock(config: Config, clock: Clock) -> Result<AppState, AppError> {
        let db = db::open_with(&config.database_url, config.directory.enabled()).await?;
        let base = config.base_url();
        let instance = InstanceActor::load_or_create(&db, &base).await?;
        let fetcher = Fetcher::new(config.allow_private_networks, instance.signer())?;
        let node = Arc::new(Node {
            db,
            config,
            base,
            fetcher,
            instance,
            deliveries_queued: Notify::new(),
            clock,
            hosts_heard: Default::default(),
            catalogue: Default::default(),
        });
        if node.config.directory.enabled() {
            crate::directory::actor::ensure(&node).await?;
        }
        Ok(node)
    }

    /// The handle domain, `host[:port]`.
    pub fn domain(&self) -> String {
        crate::config::authority(&self.base)
    }

    /// Whether a URL points at this node (same scheme, host and port).
    pub fn is_local(&self, url: &Url) -> bool {
        federation::origin::same_origin(url, &self.base)
    }
}

/// Every route of the node: federation endpoints and HTML pages.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(federation::routes::router())
        .merge(web::router())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            web::i18n::with_language,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// Serves HTTP on `listener` and runs the delivery engine, the remote-actor refresh (and,
/// on a directory, the listings' refresh) until `shutdown` resolves. Then the workers stop claiming work at once (the
/// engine lets in-flight deliveries finish for up to 10 s) while HTTP drains.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), AppError> {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let engine = tokio::spawn(delivery::engine::run(state.clone(), stop_rx.clone()));
    let actors = tokio::spawn(federation::actor_refresh::run(
        state.clone(),
        stop_rx.clone(),
    ));
    let images = tokio::spawn(crate::content::media::run_collection(
        state.clone(),
        stop_rx.clone(),
    ));
    let refresher = state
        .config
        .directory
        .enabled()
        .then(|| tokio::spawn(crate::directory::refresh::run(state.clone(), stop_rx)));
    if state.config.directory.enabled() {
        // Load the browse catalogue now rather than on the first visitor's browse.
        let node = state.clone();
        tokio::spawn(async move {
            if let Err(e) = node.catalogue.refresh(&node.db).await {
                tracing::warn!("could not load the directory catalogue: {e}");
            }
        });
    }
    let app = router(state);
    let signal = async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    };
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(signal)
        .await
        .map_err(|e| AppError::Internal(format!("server failed: {e}")));
    let _ = engine.await;
    let _ = actors.await;
    let _ = images.await;
    if let Some(refresher) = refresher {
        let _ = refresher.await;
    }
    result
}
