//! Signing benchmark (issue #4, "Signing"): RSA-2048 PKCS#1 v1.5 SHA-256 signatures made by
//! our code (`SigningKey::sign_sha256`, aws-lc-rs) on one thread, against `openssl speed
//! rsa2048` run on the same machine in the same run. Target: at least 90 % of OpenSSL's
//! signs per second.
//!
//! `openssl speed` divides by its user CPU time (unless given `-elapsed`), so ours is timed
//! by this thread's CPU time too (`/proc/thread-self/schedstat`: user plus system, and the
//! system part is next to nothing), and the target is judged on that: other jobs on this
//! shared machine then do not count against either. Both are also given by the wall clock
//! (OpenSSL's from its count over the seconds it ran). Ours is timed before and after
//! OpenSSL and the ratio uses the mean of the two. It also times, for context:
//! - one whole draft-cavage request signing (`cavage::sign_request`: Digest of a 2 KB body,
//!   Host and Date headers, the signing string and the `Signature` header) against the raw
//!   sign, to show what the request around the RSA operation costs;
//! - verification, as the inbox does it (`verify_rsa_sha256`: PEM parse plus verify) and
//!   with an already parsed key, against OpenSSL's `verify/s`.
//!
//! Run: `cargo bench --bench signing`. Environment: `MUTUAL_BENCH_SECONDS` (default 5) is
//! how long each of our timed loops and `openssl speed` run; `MUTUAL_BENCH_OPENSSL` names
//! the openssl binary (default `/usr/bin/openssl`, else `openssl` on the PATH).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use http::{HeaderMap, HeaderValue, Method};
use mutual::federation::signatures::cavage;
use mutual::federation::signatures::keys::{self, PublicKey, SigningKey};
use url::Url;

/// A signing string as an inbox POST carries it (about 190 bytes).
const MESSAGE: &[u8] = b"(request-target): post /inbox\nhost: mastodon.example\n\
date: Sun, 15 Jun 2025 15:06:40 GMT\n\
digest: SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=";

/// This thread's time on a CPU so far, user and system (`/proc/thread-self/schedstat`, in
/// nanoseconds).
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(Duration::from_nanos(
        stat.split_whitespace().next()?.parse().ok()?,
    ))
}

/// Calls per second of one timed loop: by the wall clock, and by this thread's CPU time,
/// which other jobs on the machine do not inflate (`openssl speed` divides by its user CPU
/// time unless given `-elapsed`; our system time is next to nothing).
#[derive(Clone, Copy, Default)]
struct Rate {
    calls: u64,
    cpu_time: Duration,
    elapsed: Duration,
}

impl Rate {
    fn cpu(&self) -> f64 {
        self.calls as f64 / self.cpu_time.as_secs_f64().max(1e-9)
    }

    fn wall(&self) -> f64 {
        self.calls as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    fn add(self, other: Rate) -> Rate {
        Rate {
            calls: self.calls + other.calls,
            cpu_time: self.cpu_time + other.cpu_time,
            elapsed: self.elapsed + other.elapsed,
        }
    }

    fn line(&self) -> String {
        format!(
            "{:.0}/s by CPU time ({:.1} µs each), {:.0}/s by the wall clock ({:.2} s on a CPU in {:.2} s)",
            self.cpu(),
            1e6 / self.cpu(),
            self.wall(),
            self.cpu_time.as_secs_f64(),
            self.elapsed.as_secs_f64()
        )
    }
}

/// Calls `op` until `secs` have passed (checking the clock every call: an RSA sign takes
/// about 250 µs, `Instant::now` about 25 ns).
fn rate(secs: Duration, mut op: impl FnMut()) -> Rate {
    let cpu_before = thread_cpu();
    let started = Instant::now();
    let mut calls = 0u64;
    while started.elapsed() < secs {
        op();
        calls += 1;
    }
    let elapsed = started.elapsed();
    let cpu_time = match (cpu_before, thread_cpu()) {
        (Some(before), Some(after)) => after.saturating_sub(before),
        _ => elapsed,
    };
    Rate {
        calls,
        cpu_time,
        elapsed,
    }
}

/// What `openssl speed rsa2048` printed: signs and verifies per second of user CPU time
/// (its table), signs per second by the wall clock (its count over the seconds it ran), and
/// the command used.
struct OpenSsl {
    sign: f64,
    verify: f64,
    sign_wall: Option<f64>,
    command: String,
    version: String,
}

fn openssl_binary() -> String {
    if let Ok(bin) = std::env::var("MUTUAL_BENCH_OPENSSL")
        && !bin.is_empty()
    {
        return bin;
    }
    if std::path::Path::new("/usr/bin/openssl").exists() {
        "/usr/bin/openssl".into()
    } else {
        "openssl".into()
    }
}

/// Reads the `sign/s` and `verify/s` columns of the `rsa 2048 bits` row. The header row
/// names the columns (OpenSSL 3.0: `sign verify sign/s verify/s`; 3.2+ adds encrypt and
/// decrypt columns), and the row's values follow the label in the same order.
fn parse_speed(stdout: &str) -> Option<(f64, f64)> {
    let header: Vec<&str> = stdout
        .lines()
        .find(|l| l.split_whitespace().any(|w| w == "sign/s"))?
        .split_whitespace()
        .collect();
    let row = stdout
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("rsa 2048 bits"))?;
    let values: Vec<&str> = row.split_whitespace().collect();
    let column = |name: &str| -> Option<f64> {
        let i = header.iter().position(|w| *w == name)?;
        values.get(i)?.trim_end_matches('s').parse().ok()
    };
    Some((column("sign/s")?, column("verify/s")?))
}

/// Signs per second by the wall clock, from the progress line on stderr:
/// `Doing 2048 bits private rsa's for 5s: 16201 2048 bits private RSA's in 4.01s`
/// (the count over the 5 s its alarm ran; "in 4.01s" is the user CPU time).
fn parse_wall(stderr: &str) -> Option<f64> {
    let line = stderr.lines().find(|l| l.contains("private rsa's for"))?;
    let (head, tail) = line.split_once(": ")?;
    let secs: f64 = head
        .rsplit(' ')
        .next()?
        .trim_end_matches('s')
        .parse()
        .ok()?;
    let count: f64 = tail.split_whitespace().next()?.parse().ok()?;
    (secs > 0.0).then(|| count / secs)
}

/// Runs `openssl speed -seconds N rsa2048`, or plain `openssl speed rsa2048` (10 s per
/// operation) if this openssl has no `-seconds`.
fn openssl_speed(secs: u64) -> Result<OpenSsl, String> {
    let bin = openssl_binary();
    let version = Command::new(&bin)
        .arg("version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .map_err(|e| format!("cannot run {bin}: {e}"))?;
    let seconds = secs.to_string();
    let attempts: [Vec<&str>; 2] = [
        vec!["speed", "-seconds", &seconds, "rsa2048"],
        vec!["speed", "rsa2048"],
    ];
    let mut last_error = String::new();
    for args in attempts {
        let command = format!("{bin} {}", args.join(" "));
        let output = Command::new(&bin)
            .args(&args)
            .output()
            .map_err(|e| format!("cannot run {command}: {e}"))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        match parse_speed(&stdout) {
            Some((sign, verify)) if output.status.success() => {
                return Ok(OpenSsl {
                    sign,
                    verify,
                    sign_wall: parse_wall(&stderr),
                    command,
                    version,
                });
            }
            _ => {
                last_error = format!(
                    "{command} exited with {} and printed no `rsa 2048 bits` row: {}{}",
                    output.status,
                    stdout.trim(),
                    stderr.trim()
                );
            }
        }
    }
    Err(last_error)
}

/// The CPU model (first `model name` of /proc/cpuinfo) and the load average.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!(
        "{cpu}, {} CPUs, load average {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load_average()
    )
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "?".into())
}

fn main() {
    if !support::should_run() {
        return;
    }
    let secs = support::env_u64("MUTUAL_BENCH_SECONDS", 5).clamp(1, 120);
    let timed = Duration::from_secs(secs);
    println!("signing: RSA-2048 PKCS#1 v1.5 SHA-256, one thread, {secs} s per timed loop");
    println!("machine: {}", machine());

    let pair = keys::generate_rsa_keypair().expect("an RSA-2048 key");
    let key = SigningKey::from_pem(&pair.private_key_pem).expect("the key parses");
    let public = PublicKey::from_pem(&pair.public_key_pem).expect("the public key parses");
    let signature = key.sign_sha256(MESSAGE).expect("a signature");
    keys::verify_rsa_sha256(&pair.public_key_pem, MESSAGE, &signature)
        .expect("our signature verifies");

    let sign_one = || {
        black_box(key.sign_sha256(black_box(MESSAGE)).expect("sign"));
    };
    // Warm up (CPU frequency, caches, aws-lc's lazily built tables).
    rate(Duration::from_millis(500), sign_one);

    let before = rate(timed, sign_one);
    println!("ours (aws-lc-rs), before openssl: {}", before.line());

    let openssl = openssl_speed(secs);
    match &openssl {
        Ok(o) => println!(
            "openssl ({}): {:.0} signs/s by user CPU time ({:.1} µs each), {} by the wall clock; \
             {:.0} verifies/s  [{}]",
            o.version,
            o.sign,
            1e6 / o.sign,
            o.sign_wall
                .map_or_else(|| "?".to_string(), |w| format!("{w:.0}/s")),
            o.verify,
            o.command
        ),
        Err(e) => println!("openssl: FAILED: {e}"),
    }

    let after = rate(timed, sign_one);
    println!("ours (aws-lc-rs), after openssl: {}", after.line());
    let ours_cpu = (before.cpu() + after.cpu()) / 2.0;
    let ours_wall = (before.wall() + after.wall()) / 2.0;

    // One whole draft-cavage request signing: a Create of about 2 KB to a shared inbox.
    let url = Url::parse("https://mastodon.example/inbox").expect("url");
    let key_id = "https://coops.example/coops/riverside#main-key";
    let body = format!(
        r#"{{"@context":"https://www.w3.org/ns/activitystreams","type":"Create","content":"{}"}}"#,
        "<p>A story from the co-op.</p>".repeat(64)
    );
    let mut template = HeaderMap::new();
    template.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/activity+json"),
    );
    // Raw signs and whole requests alternate in half-second slices, so that a change in
    // the machine's load hits both alike; the difference is a few µs against ~250.
    let sign_request = || {
        let mut headers = template.clone();
        cavage::sign_request(
            &Method::POST,
            &url,
            &mut headers,
            Some(body.as_bytes()),
            key_id,
            &key,
        )
        .expect("sign_request");
        black_box(headers);
    };
    let (mut raw, mut whole) = (Rate::default(), Rate::default());
    for _ in 0..secs.clamp(2, 10) {
        raw = raw.add(rate(Duration::from_millis(500), sign_one));
        whole = whole.add(rate(Duration::from_millis(500), sign_request));
    }
    let per_sign_us = 1e6 / raw.cpu();
    let per_request_us = 1e6 / whole.cpu();
    println!("raw sign, interleaved with the next: {}", raw.line());
    println!(
        "cavage::sign_request ({} byte body), interleaved: {}; {:.1} µs ({:.1} %) over the raw sign",
        body.len(),
        whole.line(),
        per_request_us - per_sign_us,
        (per_request_us - per_sign_us) / per_sign_us * 100.0,
    );

    // Verification, for context (the inbox verifies; it does not sign).
    let verify_secs = timed.min(Duration::from_secs(2));
    let verify_parsed = rate(verify_secs, || {
        public
            .verify(
                Some(keys::Algorithm::RsaV15Sha256),
                black_box(MESSAGE),
                &signature,
            )
            .expect("verify");
    });
    let verify_pem = rate(verify_secs, || {
        keys::verify_rsa_sha256(&pair.public_key_pem, black_box(MESSAGE), &signature)
            .expect("verify");
    });
    println!("verify with a parsed key: {}", verify_parsed.line());
    println!(
        "verify from the PEM (as the inbox does): {}",
        verify_pem.line()
    );

    println!("load average after: {}", load_average());
    match openssl {
        Ok(o) => {
            let ratio = ours_cpu / o.sign;
            let wall = o.sign_wall.map_or_else(String::new, |w| {
                format!(
                    "; by the wall clock {ours_wall:.0} vs {w:.0} signs/s = {:.1} %",
                    ours_wall / w * 100.0
                )
            });
            println!(
                "summary: ours {ours_cpu:.0} signs/s by CPU time (mean of {:.0} and {:.0}) vs \
                 openssl {:.0} = {:.1} % of OpenSSL (target >= 90 %): {}{wall}; \
                 verify {:.0} % of OpenSSL ({:.0} vs {:.0}/s)",
                before.cpu(),
                after.cpu(),
                o.sign,
                ratio * 100.0,
                if ratio >= 0.9 { "MET" } else { "MISSED" },
                verify_parsed.cpu() / o.verify * 100.0,
                verify_parsed.cpu(),
                o.verify,
            );
        }
        Err(_) => {
            println!("summary: ours {ours_cpu:.0} signs/s; no OpenSSL figure to compare with");
            std::process::exit(1);
        }
    }
}
