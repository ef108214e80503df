//! `mutual serve`: open the database, listen, run the workers, and say what to do next.

use tokio::net::TcpListener;

use crate::AppError;
use crate::app::{self, Node};
use crate::config::Config;
use crate::content::coops;

pub async fn run(config: Config) -> Result<(), AppError> {
    if config.allow_private_networks {
        tracing::warn!(
            "MUTUAL_ALLOW_PRIVATE_NETWORKS is on: http peers, explicit ports and private addresses are allowed. Use it for development and tests only."
        );
    }
    let listener = TcpListener::bind(config.bind)
        .await
        .map_err(|e| AppError::Invalid(format!("cannot listen on {}: {e}", config.bind)))?;
    let node = Node::open(config).await?;
    let count = coops::list(&node).await?.len();
    tracing::info!(
        "mutual is listening on http://{} (public URL {}, database {})",
        node.config.bind,
        node.base,
        node.config.database_url
    );
    if count == 0 {
        tracing::info!(
            "no co-ops yet. Create one: mutual coop create HANDLE --name \"NAME\" --nation england --sector film; \
             then publish: mutual story publish --coop HANDLE --title \"TITLE\" --body \"TEXT\""
        );
    } else {
        tracing::info!(
            "hosting {count} co-op(s); they can be followed as @HANDLE@{}",
            node.domain()
        );
    }
    if crate::accounts::invites::needs_setup(&node).await? {
        let link = crate::accounts::invites::setup_link(&node).await?;
        // On stdout, on its own line, so the person starting the node can open it.
        println!("Set up this node's admin account (one use, 7 days): {link}");
    }
    app::serve(node, listener, shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
    tracing::info!("shutting down");
}
