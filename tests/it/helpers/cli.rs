//! Running the `mutual` binary against a test database.

use std::process::Output;

use serde_json::Value;

/// Runs `mutual ARGS` on `db_url` with the public URL `public_url`, private networks
/// allowed, `MUTUAL_LOG` unset, and `env` on top.
pub fn mutual(db_url: &str, public_url: &str, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_mutual"));
    command
        .args(args)
        .env("MUTUAL_DATABASE_URL", db_url)
        .env("MUTUAL_PUBLIC_URL", public_url)
        .env("MUTUAL_ALLOW_PRIVATE_NETWORKS", "true")
        .env_remove("MUTUAL_LOG");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().unwrap()
}

/// Runs `mutual ARGS` against a test node's database and public URL, off the async runtime,
/// with `MUTUAL_DIRECTORY` set as `directory` says.
pub async fn mutual_on(node: &super::TestNode, directory: bool, args: &[&str]) -> Output {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let (url, base) = (node.db.url.clone(), node.base.clone());
    let flag = if directory { "true" } else { "false" };
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        mutual(&url, base.as_str(), &[("MUTUAL_DIRECTORY", flag)], &args)
    })
    .await
    .unwrap()
}

/// The one JSON object a successful command printed.
pub fn json_of(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON object ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}
