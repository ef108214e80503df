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
