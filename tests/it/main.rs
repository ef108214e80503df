//! The one integration-test binary. Every test starts real nodes in-process, each at
//! `http://localhost:<its own port>`, on SQLite and (when `MUTUAL_TEST_POSTGRES_URL` is
//! set) on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

/// Generates `NAME::on_sqlite` and `NAME::on_postgres` from `async fn NAME(backend: Backend)`.
/// The PostgreSQL test is skipped, with the reason printed, when its URL is not set.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => { $(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                super::$name($crate::helpers::Backend::Sqlite).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                if $crate::helpers::postgres_url().is_none() {
                    return;
                }
                super::$name($crate::helpers::Backend::Postgres).await
            }
        }
    )* };
}

/// Like `on_both_backends!`, on a current-thread runtime: tests that pause tokio's clock.
macro_rules! on_both_backends_current_thread {
    ($($name:ident),* $(,)?) => { $(
        mod $name {
            #[tokio::test]
            async fn on_sqlite() {
                super::$name($crate::helpers::Backend::Sqlite).await
            }

            #[tokio::test]
            async fn on_postgres() {
                if $crate::helpers::postgres_url().is_none() {
                    return;
                }
                super::$name($crate::helpers::Backend::Postgres).await
            }
        }
    )* };
}

mod helpers;

mod accessibility;
mod accounts;
mod cards;
mod cli;
mod cli_errors;
mod delivery_fan_out;
mod delivery_hosts;
mod delivery_processes;
mod delivery_schedule;
mod design;
mod directory;
mod directory_cli;
mod directory_freshness;
mod directory_index;
mod directory_peers;
mod directory_subfeeds;
mod federation_between_nodes;
mod feeds;
mod fetch_client;
mod fixtures;
mod following;
mod hostile_peers;
mod inbox_rejects;
mod jsonld;
mod moderation;
mod peers;
mod secure_mode;
mod served_documents;
