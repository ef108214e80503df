//! Spawning real nodes and a scriptable fake remote server for tests.

pub mod browser;
pub mod chromium;
pub mod cli;
pub mod directory;
pub mod fedify;
pub mod peer;
pub mod sink;

use std::future::Future;
use std::time::Duration;

use mutual::app::{self, AppState, Node};
use mutual::config::Config;
use mutual::content::coops::{self, Coop};
use mutual::content::profile::ProfileInput;
use tokio::net::TcpListener;
use url::Url;

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL URL for tests, or None (with the reason printed) under a bare `cargo test`.
pub fn postgres_url() -> Option<String> {
    match std::env::var("MUTUAL_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!("skipped: MUTUAL_TEST_POSTGRES_URL is not set (tests/run sets it)");
            None
        }
    }
}

/// A database of its own for one node: a SQLite file in a temp dir, or a fresh PostgreSQL database.
pub struct TestDatabase {
    pub url: String,
    /// The SQLite file's folder; on PostgreSQL, a folder for the node's data (images).
    dir: tempfile::TempDir,
}

impl TestDatabase {
    /// Where a node on this database keeps its data (`MUTUAL_DATA_DIR`).
    pub fn data_dir(&self) -> std::path::PathBuf {
        self.dir.path().to_path_buf()
    }
}

pub async fn fresh_database(backend: Backend) -> TestDatabase {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("sqlite://{}/node.db", dir.path().display());
            TestDatabase { url, dir }
        }
        Backend::Postgres => {
            let base =
                std::env::var("MUTUAL_TEST_POSTGRES_URL").expect("MUTUAL_TEST_POSTGRES_URL is set");
            let name = format!("mutual_t_{}", uuid::Uuid::new_v4().simple());
            sqlx::any::install_default_drivers();
            use sqlx::Connection;
            let mut conn = sqlx::AnyConnection::connect(&base)
                .await
                .unwrap_or_else(|e| {
                    panic!("MUTUAL_TEST_POSTGRES_URL is set but PostgreSQL is not reachable: {e}")
                });
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut conn)
                .await
                .unwrap();
            let mut url = Url::parse(&base).unwrap();
            url.set_path(&format!("/{name}"));
            TestDatabase {
                url: url.to_string(),
                dir: tempfile::tempdir().unwrap(),
            }
        }
    }
}

/// A running node.
pub struct TestNode {
    pub node: AppState,
    pub base: Url,
    pub db: TestDatabase,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl TestNode {
    /// Starts a node on its own port, with its own database.
    pub async fn spawn(backend: Backend) -> TestNode {
        Self::spawn_with(backend, false).await
    }

    /// Starts a node whose delivery engine runs on tokio's clock, so a test can pause and
    /// advance time through a retry schedule.
    pub async fn spawn_on_tokio_clock(backend: Backend) -> TestNode {
        Self::spawn_custom(backend, false, mutual::clock::Clock::tokio()).await
    }

    /// Starts a node that also runs the directory (`MUTUAL_DIRECTORY=true`).
    pub async fn spawn_directory(backend: Backend) -> TestNode {
        Self::spawn_with(backend, true).await
    }

    async fn spawn_with(backend: Backend, directory: bool) -> TestNode {
        Self::spawn_custom(backend, directory, mutual::clock::Clock::System).await
    }

    /// Starts a node in secure mode (`MUTUAL_REQUIRE_SIGNED_FETCH=true`).
    pub async fn spawn_secure(backend: Backend) -> TestNode {
        Self::spawn_configured(backend, mutual::clock::Clock::System, |c| {
            c.require_signed_fetch = true
        })
        .await
    }

    /// Starts a node behind a reverse proxy on 127.0.0.1 (`MUTUAL_TRUSTED_PROXIES`).
    pub async fn spawn_behind_proxy(backend: Backend) -> TestNode {
        Self::spawn_configured(backend, mutual::clock::Clock::System, |c| {
            c.trusted_proxies = "127.0.0.1".into()
        })
        .await
    }

    async fn spawn_custom(
        backend: Backend,
        directory: bool,
        clock: mutual::clock::Clock,
    ) -> TestNode {
        Self::spawn_configured(backend, clock, |c| {
            c.directory = mutual::config::DirectorySetting::Flag(directory)
        })
        .await
    }

    async fn spawn_configured(
        backend: Backend,
        clock: mutual::clock::Clock,
        configure: impl FnOnce(&mut Config),
    ) -> TestNode {
        let db = fresh_database(backend).await;
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let mut config = Config {
            database_url: db.url.clone(),
            bind: listener.local_addr().unwrap(),
            public_url: Some(Url::parse(&format!("http://localhost:{port}")).unwrap()),
            allow_private_networks: true,
            data_dir: Some(db.data_dir()),
            ..Config::default()
        };
        configure(&mut config);
        let node = Node::open_with_clock(config, clock).await.unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = node.clone();
        let task = tokio::spawn(async move {
            let _ = app::serve(serving, listener, async {
                let _ = stopped.await;
            })
            .await;
        });
        TestNode {
            base: node.base.clone(),
            node,
            db,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// `host:port`
    pub fn domain(&self) -> String {
        self.node.domain()
    }

    /// Creates a co-op with a minimal valid profile.
    pub async fn coop(&self, handle: &str) -> Coop {
        let input = ProfileInput {
            name: Some(format!("{handle} co-op")),
            nation: Some("england".into()),
            region: Some("london".into()),
            sectors: vec!["film".into()],
            ..Default::default()
        };
        coops::create(&self.node, handle, &input).await.unwrap()
    }

    /// The actor URL of a co-op here.
    pub fn actor(&self, handle: &str) -> Url {
        self.base.join(&format!("/coops/{handle}")).unwrap()
    }

    /// Stops serving (and the workers) and waits for them.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = tokio::time::timeout(Duration::from_secs(15), task).await;
        }
    }
}

/// Polls `check` until it returns Some, or panics with `what` after `secs` seconds.
pub async fn eventually<T, F, Fut>(secs: u64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        if tokio::time::Instant::now() > deadline {
            panic!("timed out after {secs}s waiting for: {what}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A port that was free a moment ago on 127.0.0.1.
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A plain HTTP client for tests.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

/// GETs a page (as a browser would, no Accept header) and returns its text.
pub async fn get_text(url: impl reqwest::IntoUrl) -> String {
    http().get(url).send().await.unwrap().text().await.unwrap()
}

/// GETs an ActivityPub document (`Accept: application/activity+json`) as JSON.
pub async fn get_activity_json(url: impl reqwest::IntoUrl) -> serde_json::Value {
    http()
        .get(url)
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Runs a scalar COUNT query against a node's database.
pub async fn count(node: &TestNode, sql: &'static str) -> i64 {
    let mut conn = node.node.db.acquire().await.unwrap();
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

/// Waits until `reader`'s co-op `handle` has an accepted follow, and returns it.
pub async fn accepted_follow(reader: &TestNode, handle: &str) -> mutual::db::follows::FollowRow {
    let (node, handle) = (reader.node.clone(), handle.to_string());
    eventually(15, "the Follow to be accepted", move || {
        let (node, handle) = (node.clone(), handle.clone());
        async move {
            let follows = mutual::content::follows::list(&node, &handle)
                .await
                .unwrap();
            follows.into_iter().find(|f| f.state == "accepted")
        }
    })
    .await
}

/// Waits until the newest post `reader` keeps from `author` satisfies `wanted`
/// (None: until there is no post at all), and returns it.
pub async fn post_from(
    reader: &TestNode,
    author: &Url,
    what: &str,
    wanted: impl Fn(Option<&mutual::db::remote_posts::RemotePostRow>) -> bool + Send + Sync + 'static,
) -> Option<mutual::db::remote_posts::RemotePostRow> {
    let (node, author) = (reader.node.clone(), author.to_string());
    let wanted = std::sync::Arc::new(wanted);
    eventually(15, what, move || {
        let (node, author, wanted) = (node.clone(), author.clone(), wanted.clone());
        async move {
            let newest = mutual::content::follows::posts_of(&node, &author, 1)
                .await
                .unwrap()
                .into_iter()
                .next();
            wanted(newest.as_ref()).then_some(newest)
        }
    })
    .await
}
