//! Shared by the `harness = false` benchmarks: argument handling (so `cargo nextest run
//! --all-targets` and `cargo test` list and run nothing), scale, databases, RSS and
//! percentiles.

#![allow(dead_code)]

use std::time::Duration;

use url::Url;

/// Whether the benchmark should do its real work. `cargo bench` passes `--bench`; nextest
/// lists tests with `--list --format terse` (this binary lists none), and a bare
/// `cargo test --all-targets` passes neither, so both return at once.
pub fn should_run() -> bool {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        return false;
    }
    args.iter().any(|a| a == "--bench")
}

/// Logs to stderr when `RUST_LOG` is set (e.g. `RUST_LOG=warn` shows refresh failures).
pub fn init_logs() {
    if std::env::var("RUST_LOG").is_ok_and(|v| !v.is_empty()) {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_writer(std::io::stderr)
            .try_init();
    }
}

/// A multi-threaded tokio runtime with one worker per CPU, as `mutual serve` runs.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// `MUTUAL_BENCH_SCALE` (default 1.0, clamped to 0.0001..=1.0): shrinks the data for a quick run.
pub fn scale() -> f64 {
    std::env::var("MUTUAL_BENCH_SCALE")
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v > 0.0)
        .map_or(1.0, |v| v.clamp(0.0001, 1.0))
}

/// `full` scaled by [`scale`], at least `min`.
pub fn scaled(full: usize, min: usize) -> usize {
    ((full as f64 * scale()).round() as usize).max(min)
}

/// An integer environment variable, or `default`.
pub fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// Which database a run uses.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// The backends to run: SQLite always, PostgreSQL when `MUTUAL_TEST_POSTGRES_URL` is set.
/// `MUTUAL_BENCH_BACKENDS=sqlite` or `=postgres` picks one.
pub fn backends() -> Vec<Backend> {
    let wanted = std::env::var("MUTUAL_BENCH_BACKENDS")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let pg = std::env::var("MUTUAL_TEST_POSTGRES_URL").is_ok_and(|u| !u.is_empty());
    let mut out = Vec::new();
    if wanted.is_empty() || wanted.contains("sqlite") {
        out.push(Backend::Sqlite);
    }
    if wanted.is_empty() || wanted.contains("postgres") {
        if pg {
            out.push(Backend::Postgres);
        } else {
            println!("PostgreSQL: skipped (MUTUAL_TEST_POSTGRES_URL is not set)");
        }
    }
    out
}

/// A database of its own: a SQLite file in a temp dir, or a fresh PostgreSQL database
/// (dropped again by [`BenchDatabase::drop_now`]).
pub struct BenchDatabase {
    pub url: String,
    pg: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
    /// Given by the caller (`MUTUAL_BENCH_DATABASE_URL`): never dropped.
    pub existing: bool,
}

impl BenchDatabase {
    /// A database loaded by an earlier run (kept with `MUTUAL_BENCH_KEEP=1`).
    pub fn existing(url: &str) -> BenchDatabase {
        BenchDatabase {
            url: url.to_string(),
            pg: None,
            _dir: None,
            existing: true,
        }
    }

    pub async fn fresh(backend: Backend) -> BenchDatabase {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("a temp dir");
                let url = format!("sqlite://{}/bench.db", dir.path().display());
                BenchDatabase {
                    url,
                    pg: None,
                    _dir: Some(dir),
                    existing: false,
                }
            }
            Backend::Postgres => {
                let base =
                    std::env::var("MUTUAL_TEST_POSTGRES_URL").expect("MUTUAL_TEST_POSTGRES_URL");
                let name = format!("mutual_t_bench_{}", uuid::Uuid::new_v4().simple());
                sqlx::any::install_default_drivers();
                use sqlx::Connection;
                let mut conn = sqlx::AnyConnection::connect(&base)
                    .await
                    .expect("PostgreSQL at MUTUAL_TEST_POSTGRES_URL is reachable");
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut conn)
                    .await
                    .expect("CREATE DATABASE");
                let mut url = Url::parse(&base).expect("a URL");
                url.set_path(&format!("/{name}"));
                BenchDatabase {
                    url: url.to_string(),
                    pg: Some((base, name)),
                    _dir: None,
                    existing: false,
                }
            }
        }
    }

    /// Drops a PostgreSQL database (after its pool is closed); a SQLite dir goes with `self`.
    /// With `MUTUAL_BENCH_KEEP=1` both are kept, and their URL printed, for EXPLAIN.
    pub async fn drop_now(mut self) {
        if self.existing {
            return;
        }
        if std::env::var("MUTUAL_BENCH_KEEP").is_ok_and(|v| v == "1") {
            if let Some(dir) = self._dir.take() {
                let _ = dir.keep();
            }
            println!("kept the database: {}", self.url);
            return;
        }
        if let Some((base, name)) = &self.pg {
            use sqlx::Connection;
            if let Ok(mut conn) = sqlx::AnyConnection::connect(base).await {
                let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut conn)
                .await;
            }
        }
    }
}

/// The resident set size of this process in KiB (`VmRSS` in /proc/self/status).
pub fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

/// The `p`-th percentile (0..=100, nearest rank) of sorted durations.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Milliseconds with two decimals.
pub fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

/// A small deterministic generator (SplitMix64), so every run builds the same data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0..n
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Fisher–Yates.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}
