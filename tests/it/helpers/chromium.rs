//! Headless Chromium (Debian's `chromium`) driven by playwright-core from tests/peers:
//! the gate shared by every browser test.

use super::fedify::peers_dir;

/// True when a browser test is to run. Without `MUTUAL_TEST_BROWSER` the test is skipped
/// with the reason printed; with it set, a missing Chromium or playwright-core is a failure.
pub fn browser_enabled() -> bool {
    if std::env::var("MUTUAL_TEST_BROWSER").map_or(true, |v| v.is_empty()) {
        eprintln!("skipped: MUTUAL_TEST_BROWSER is not set (tests/run sets it)");
        return false;
    }
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        std::path::Path::new(&chromium).exists(),
        "MUTUAL_TEST_BROWSER is set but {chromium} is missing (apt-get install chromium)"
    );
    assert!(
        peers_dir().join("node_modules/playwright-core").is_dir(),
        "MUTUAL_TEST_BROWSER is set but playwright-core is missing: run `npm ci` in tests/peers"
    );
    true
}

/// Runs `node tests/peers/SCRIPT ARGS…` off the async runtime; fails the test (with the
/// script's output) unless it succeeds. Returns (stdout, stderr).
pub async fn node_script(script: &str, args: Vec<String>) -> (String, String) {
    let script = peers_dir().join(script);
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg(&script)
            .args(&args)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(
        out.status.success(),
        "node script failed: {stderr}\n{stdout}"
    );
    (stdout, stderr)
}
