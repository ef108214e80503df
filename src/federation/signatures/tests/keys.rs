//! Key generation, PEM forms accepted, and signing throughput.

use std::time::{Duration, Instant};

use super::super::keys::{Algorithm, PublicKey};
use super::super::pem::pem_encode;
use super::super::{SignatureError, SigningKey, verify_rsa_sha256};
use super::{other_key, test_key};

/// RFC 9421 Appendix B.1.4 `test-key-ed25519`, public half.
pub(super) const ED25519_PUBLIC_PEM: &str = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=\n-----END PUBLIC KEY-----\n";

#[test]
fn generated_pems_round_trip() {
    let (pair, key) = test_key();
    assert!(
        pair.private_key_pem
            .starts_with("-----BEGIN PRIVATE KEY-----\n")
    );
    assert!(
        pair.public_key_pem
            .starts_with("-----BEGIN PUBLIC KEY-----\n")
    );
    assert!(pair.public_key_pem.lines().all(|l| l.len() <= 64));
    assert_eq!(key.public_key_pem().unwrap(), pair.public_key_pem);
    let reparsed = SigningKey::from_pem(&pair.private_key_pem).unwrap();
    let sig = reparsed.sign_sha256(b"hello").unwrap();
    assert_eq!(sig.len(), 256);
    verify_rsa_sha256(&pair.public_key_pem, b"hello", &sig).unwrap();
    let err = verify_rsa_sha256(&pair.public_key_pem, b"hellO", &sig).unwrap_err();
    assert!(matches!(err, SignatureError::Invalid));
    let err = verify_rsa_sha256(&other_key().public_key_pem, b"hello", &sig).unwrap_err();
    assert!(matches!(err, SignatureError::Invalid));
}

#[test]
fn pkcs1_crlf_and_padded_pems_are_accepted() {
    let (pair, key) = test_key();
    let sig = key.sign_sha256(b"msg").unwrap();
    let spki = pem_der(&pair.public_key_pem);
    let pkcs1 = aws_lc_rs::rsa::PublicKey::from_der(&spki).unwrap();
    let pkcs1_pem = pem_encode("RSA PUBLIC KEY", pkcs1.as_ref());
    verify_rsa_sha256(&pkcs1_pem, b"msg", &sig).unwrap();
    let crlf = format!("\r\n  {}  \r\n", pair.public_key_pem.replace('\n', "\r\n"));
    verify_rsa_sha256(&crlf, b"msg", &sig).unwrap();
    assert!(matches!(
        PublicKey::from_pem(&crlf).unwrap(),
        PublicKey::Rsa(_)
    ));
}

#[test]
fn pss_signatures_verify_with_inferred_or_named_algorithm() {
    let (pair, key) = test_key();
    let sig = key.sign_pss_sha512(b"msg").unwrap();
    let public = PublicKey::from_pem(&pair.public_key_pem).unwrap();
    public.verify(None, b"msg", &sig).unwrap();
    public
        .verify(Some(Algorithm::RsaPssSha512), b"msg", &sig)
        .unwrap();
    let err = public
        .verify(Some(Algorithm::RsaV15Sha256), b"msg", &sig)
        .unwrap_err();
    assert!(matches!(err, SignatureError::Invalid));
}

#[test]
fn ed25519_spki_is_recognised_and_mismatched_algorithms_refused() {
    let key = PublicKey::from_pem(ED25519_PUBLIC_PEM).unwrap();
    assert!(matches!(&key, PublicKey::Ed25519(raw) if raw.len() == 32));
    let err = key
        .verify(Some(Algorithm::RsaV15Sha256), b"m", &[0; 64])
        .unwrap_err();
    assert!(matches!(err, SignatureError::BadKey(_)));
    let err = key.verify(None, b"m", &[0; 64]).unwrap_err();
    assert!(matches!(err, SignatureError::Invalid));
}

#[test]
fn junk_and_private_pems_are_bad_keys() {
    for pem in [
        "",
        "not a pem",
        "-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----",
        &test_key().0.private_key_pem,
    ] {
        let err = PublicKey::from_pem(pem).unwrap_err();
        assert!(matches!(err, SignatureError::BadKey(_)), "{pem}: {err}");
    }
    let err = SigningKey::from_pem(&test_key().0.public_key_pem).unwrap_err();
    assert!(matches!(err, SignatureError::BadKey(_)));
}

/// Run with `cargo test --release -- --ignored --nocapture rsa_2048_signs_per_second`.
#[test]
#[ignore]
fn rsa_2048_signs_per_second() {
    let (_, key) = test_key();
    let msg =
        b"(request-target): post /inbox\nhost: remote.example\ndate: Sun, 15 Jun 2025 15:06:40 GMT";
    let start = Instant::now();
    let mut count = 0u32;
    while start.elapsed() < Duration::from_secs(2) {
        key.sign_sha256(msg).unwrap();
        count += 1;
    }
    let rate = f64::from(count) / start.elapsed().as_secs_f64();
    println!("aws-lc-rs RSA-2048 PKCS#1 v1.5 SHA-256: {rate:.0} signs/s on one thread");
}

fn pem_der(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    super::super::pem::b64_decode("test PEM", &body).unwrap()
}
