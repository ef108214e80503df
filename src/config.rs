//! Settings: an optional TOML file, overridden by `MUTUAL_*` environment variables.

use std::net::{IpAddr, SocketAddr};
use std::path::Path;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::AppError;

/// Everything a node needs to know about its surroundings.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Config {
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// The address `serve` listens on.
    pub bind: SocketAddr,
    /// The URL the world reaches this node at; its host[:port] is the handle domain.
    pub public_url: Option<Url>,
    /// Permit http peers, explicit ports and loopback/private addresses (development and tests).
    pub allow_private_networks: bool,
    /// Whether this node runs the directory: `MUTUAL_DIRECTORY=true`, or
    /// `[directory] enabled = true` in the file.
    pub directory: DirectorySetting,
    /// Deliveries in flight at once, over all hosts (`MUTUAL_DELIVERY_CONCURRENCY`).
    #[serde(default = "default_delivery_concurrency")]
    pub delivery_concurrency: usize,
    /// Deliveries in flight at once to one host (`MUTUAL_DELIVERY_PER_HOST`).
    #[serde(default = "default_delivery_per_host")]
    pub delivery_per_host: usize,
    /// How long a worker holds a claimed delivery before another may take it, in seconds,
    /// 1 to 60 (`MUTUAL_DELIVERY_LEASE_SECS`).
    #[serde(default = "default_delivery_lease_secs")]
    pub delivery_lease_secs: u64,
    /// Where uploaded images are kept (`MUTUAL_DATA_DIR`); by default the SQLite file's
    /// directory, or `mutual-data` in the working directory.
    #[serde(default)]
    pub data_dir: Option<std::path::PathBuf>,
    /// Secure mode, as Mastodon's "authorized fetch": GETs of ActivityPub documents must be
    /// signed (`MUTUAL_REQUIRE_SIGNED_FETCH`, or `require_signed_fetch` in the file).
    #[serde(default)]
    pub require_signed_fetch: bool,
    /// The reverse proxies in front of this node, as IP addresses separated by commas
    /// (`MUTUAL_TRUSTED_PROXIES=127.0.0.1,::1`). A request from one of them is taken to
    /// come from the address its `X-Forwarded-For` gives (the log-in limits count per
    /// visitor, not per proxy); from anyone else that header is ignored.
    #[serde(default)]
    pub trusted_proxies: String,
}

fn default_delivery_concurrency() -> usize {
    128
}

fn default_delivery_per_host() -> usize {
    8
}

fn default_delivery_lease_secs() -> u64 {
    60
}

/// The directory switch, accepted as a plain flag or as a `[directory]` table.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DirectorySetting {
    Flag(bool),
    Table { enabled: bool },
}

impl DirectorySetting {
    /// Whether the directory is on.
    pub fn enabled(self) -> bool {
        match self {
            DirectorySetting::Flag(on) | DirectorySetting::Table { enabled: on } => on,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: "sqlite://mutual.db".into(),
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
            allow_private_networks: false,
            directory: DirectorySetting::Flag(false),
            delivery_concurrency: default_delivery_concurrency(),
            delivery_per_host: default_delivery_per_host(),
            delivery_lease_secs: default_delivery_lease_secs(),
            data_dir: None,
            require_signed_fetch: false,
            trusted_proxies: String::new(),
        }
    }
}

impl Config {
    /// Reads the defaults, then `file` if given, then `MUTUAL_*` variables.
    pub fn load(file: Option<&Path>) -> Result<Config, AppError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(file) = file {
            if !file.exists() {
                return Err(AppError::Invalid(format!(
                    "config file {} does not exist",
                    file.display()
                )));
            }
            figment = figment.merge(Toml::file(file));
        }
        let config: Config = figment
            .merge(Env::prefixed("MUTUAL_"))
            .extract()
            .map_err(|e| AppError::Invalid(format!("configuration: {e}")))?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), AppError> {
        if let Some(url) = &self.public_url
            && (!matches!(url.scheme(), "http" | "https") || url.host_str().is_none())
        {
            return Err(AppError::Invalid(
                "MUTUAL_PUBLIC_URL must be an http(s) URL with a host".into(),
            ));
        }
        if self.delivery_concurrency == 0 || self.delivery_per_host == 0 {
            return Err(AppError::Invalid(
                "MUTUAL_DELIVERY_CONCURRENCY and MUTUAL_DELIVERY_PER_HOST must be at least 1"
                    .into(),
            ));
        }
        if !(1..=60).contains(&self.delivery_lease_secs) {
            return Err(AppError::Invalid(
                "MUTUAL_DELIVERY_LEASE_SECS must be between 1 and 60".into(),
            ));
        }
        self.trusted_proxy_ips()?;
        Ok(())
    }

    /// The trusted proxies' addresses; a malformed entry is an error naming it.
    pub fn trusted_proxy_ips(&self) -> Result<Vec<IpAddr>, AppError> {
        self.trusted_proxies
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpAddr>().map_err(|_| {
                    AppError::Invalid(format!(
                        "MUTUAL_TRUSTED_PROXIES: '{s}' is not an IP address"
                    ))
                })
            })
            .collect()
    }

    /// The folder of stored images: `DATA_DIR/media`.
    pub fn media_dir(&self) -> std::path::PathBuf {
        let data = self.data_dir.clone().unwrap_or_else(|| {
            let file = self
                .database_url
                .strip_prefix("sqlite://")
                .or_else(|| self.database_url.strip_prefix("sqlite:"))
                .map(|rest| rest.split('?').next().unwrap_or(rest))
                .filter(|path| !path.is_empty() && !path.contains(":memory:"));
            match file.map(Path::new).and_then(Path::parent) {
                Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
                Some(_) => std::path::PathBuf::from("."),
                None => std::path::PathBuf::from("mutual-data"),
            }
        });
        data.join("media")
    }

    /// The public base URL, without a trailing slash in its path.
    pub fn base_url(&self) -> Url {
        match &self.public_url {
            Some(url) => {
                let mut url = url.clone();
                url.set_path("");
                url.set_query(None);
                url.set_fragment(None);
                url
            }
            None => {
                let text = format!("http://localhost:{}", self.bind.port());
                // A literal host and a u16 port always form a valid URL.
                #[allow(clippy::expect_used)]
                Url::parse(&text).expect("localhost URL is valid")
            }
        }
    }

    /// The handle domain: host, plus the port when the URL names one.
    pub fn domain(&self) -> String {
        authority(&self.base_url())
    }
}

/// `host[:port]` of a URL, the port only when it is not the scheme's default.
pub fn authority(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}
