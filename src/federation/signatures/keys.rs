//! RSA and Ed25519 keys: generation, PEM encoding, signing and verification (aws-lc-rs).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der, PublicKeyX509Der};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeySize, PublicKey as RsaPublicKey};
use aws_lc_rs::signature::{self, KeyPair as _, UnparsedPublicKey};

use super::SignatureError;
use super::pem::{pem_decode, pem_encode};

/// DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow it.
const ED25519_SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];

/// A freshly generated key pair, both halves PEM-encoded.
#[derive(Clone, Debug)]
pub struct KeyPair {
    /// PKCS#8 private key (`-----BEGIN PRIVATE KEY-----`).
    pub private_key_pem: String,
    /// SubjectPublicKeyInfo public key (`-----BEGIN PUBLIC KEY-----`), as put in an actor's `publicKeyPem`.
    pub public_key_pem: String,
}

/// Generates an RSA-2048 key pair with aws-lc-rs.
pub fn generate_rsa_keypair() -> Result<KeyPair, SignatureError> {
    let crypto = |what: &str| SignatureError::Crypto(format!("RSA key generation failed: {what}"));
    let pair =
        aws_lc_rs::rsa::KeyPair::generate(KeySize::Rsa2048).map_err(|_| crypto("generate"))?;
    let private: Pkcs8V1Der<'static> = pair.as_der().map_err(|_| crypto("PKCS#8"))?;
    let public: PublicKeyX509Der<'static> =
        pair.public_key().as_der().map_err(|_| crypto("SPKI"))?;
    Ok(KeyPair {
        private_key_pem: pem_encode("PRIVATE KEY", private.as_ref()),
        public_key_pem: pem_encode("PUBLIC KEY", public.as_ref()),
    })
}

/// Signatures made by [`SigningKey::sign_sha256`] in this process.
static SIGNATURES_MADE: AtomicU64 = AtomicU64::new(0);

/// How many RSA-SHA256 signatures this process has made (every signed request makes one).
/// The fan-out benchmark compares it with the inboxes reached: one signature per delivery.
pub fn signatures_made() -> u64 {
    SIGNATURES_MADE.load(Ordering::Relaxed)
}

/// A parsed RSA private key, ready to sign. Cloning is cheap (the key is behind an `Arc`).
#[derive(Clone)]
pub struct SigningKey {
    inner: Arc<aws_lc_rs::rsa::KeyPair>,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(RSA, redacted)")
    }
}

impl SigningKey {
    /// Parses a PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY` PEM holding an RSA key.
    pub fn from_pem(pem: &str) -> Result<Self, SignatureError> {
        let (label, der) = pem_decode(pem)?;
        let parsed = match label.as_str() {
            "PRIVATE KEY" => aws_lc_rs::rsa::KeyPair::from_pkcs8(&der),
            "RSA PRIVATE KEY" => aws_lc_rs::rsa::KeyPair::from_der(&der),
            other => {
                return Err(SignatureError::BadKey(format!(
                    "unexpected PEM label {other:?}"
                )));
            }
        };
        let pair = parsed.map_err(|e| SignatureError::BadKey(format!("RSA private key: {e}")))?;
        Ok(Self {
            inner: Arc::new(pair),
        })
    }

    /// Signs `msg` with RSASSA-PKCS1-v1_5 over SHA-256 (`rsa-sha256` / `rsa-v1_5-sha256`).
    pub fn sign_sha256(&self, msg: &[u8]) -> Result<Vec<u8>, SignatureError> {
        let signature = self.sign_with(&signature::RSA_PKCS1_SHA256, msg)?;
        SIGNATURES_MADE.fetch_add(1, Ordering::Relaxed);
        Ok(signature)
    }

    /// Signs `msg` with RSASSA-PSS over SHA-512 (RFC 9421 `rsa-pss-sha512`).
    pub fn sign_pss_sha512(&self, msg: &[u8]) -> Result<Vec<u8>, SignatureError> {
        self.sign_with(&signature::RSA_PSS_SHA512, msg)
    }

    /// The matching SubjectPublicKeyInfo PEM.
    pub fn public_key_pem(&self) -> Result<String, SignatureError> {
        let der: PublicKeyX509Der<'static> = self
            .inner
            .public_key()
            .as_der()
            .map_err(|_| SignatureError::Crypto("cannot encode public key".into()))?;
        Ok(pem_encode("PUBLIC KEY", der.as_ref()))
    }

    fn sign_with(
        &self,
        alg: &'static dyn signature::RsaEncoding,
        msg: &[u8],
    ) -> Result<Vec<u8>, SignatureError> {
        let mut sig = vec![0; self.inner.public_modulus_len()];
        self.inner
            .sign(alg, &SystemRandom::new(), msg, &mut sig)
            .map_err(|_| SignatureError::Crypto("RSA signing failed".into()))?;
        Ok(sig)
    }
}

/// A signature algorithm this module can verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (cavage `rsa-sha256`, RFC 9421 `rsa-v1_5-sha256`).
    RsaV15Sha256,
    /// RSASSA-PSS with SHA-512 (RFC 9421 `rsa-pss-sha512`).
    RsaPssSha512,
    /// Ed25519 (RFC 9421 `ed25519`).
    Ed25519,
}

/// A parsed public key: RSA (from SPKI or PKCS#1) or Ed25519 (from SPKI).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublicKey {
    /// RSA key; DER as given (PKCS#1 `RSAPublicKey` or SPKI).
    Rsa(Vec<u8>),
    /// Ed25519 key; the 32 raw bytes.
    Ed25519(Vec<u8>),
}

impl PublicKey {
    /// Parses a `PUBLIC KEY` (SPKI, RSA or Ed25519) or `RSA PUBLIC KEY` (PKCS#1) PEM.
    /// Surrounding whitespace and `\r\n` line endings are accepted.
    pub fn from_pem(pem: &str) -> Result<Self, SignatureError> {
        let (label, der) = pem_decode(pem)?;
        match label.as_str() {
            "PUBLIC KEY" | "RSA PUBLIC KEY" => {}
            other => {
                return Err(SignatureError::BadKey(format!(
                    "unexpected PEM label {other:?}"
                )));
            }
        }
        if label == "PUBLIC KEY" && der.len() == 44 && der.starts_with(&ED25519_SPKI_PREFIX) {
            return Ok(Self::Ed25519(der[ED25519_SPKI_PREFIX.len()..].to_vec()));
        }
        RsaPublicKey::from_der(&der).map_err(|e| {
            SignatureError::BadKey(format!("not an RSA or Ed25519 public key: {e}"))
        })?;
        Ok(Self::Rsa(der))
    }

    /// Verifies `sig` over `msg`. With `alg` absent the algorithm is inferred from the key:
    /// Ed25519, or for RSA first PKCS#1 v1.5 SHA-256 and then PSS SHA-512.
    pub fn verify(
        &self,
        alg: Option<Algorithm>,
        msg: &[u8],
        sig: &[u8],
    ) -> Result<(), SignatureError> {
        let check = |params: &'static dyn signature::VerificationAlgorithm, key: &[u8]| {
            UnparsedPublicKey::new(params, key).verify(msg, sig).is_ok()
        };
        let ok = match (self, alg) {
            (Self::Rsa(der), Some(Algorithm::RsaV15Sha256)) => {
                check(&signature::RSA_PKCS1_2048_8192_SHA256, der)
            }
            (Self::Rsa(der), Some(Algorithm::RsaPssSha512)) => {
                check(&signature::RSA_PSS_2048_8192_SHA512, der)
            }
            (Self::Rsa(der), None) => {
                check(&signature::RSA_PKCS1_2048_8192_SHA256, der)
                    || check(&signature::RSA_PSS_2048_8192_SHA512, der)
            }
            (Self::Ed25519(raw), None | Some(Algorithm::Ed25519)) => {
                check(&signature::ED25519, raw)
            }
            (key, Some(alg)) => {
                let kind = if matches!(key, Self::Rsa(_)) {
                    "RSA"
                } else {
                    "Ed25519"
                };
                return Err(SignatureError::BadKey(format!(
                    "{kind} key cannot verify {alg:?}"
                )));
            }
        };
        if ok {
            Ok(())
        } else {
            Err(SignatureError::Invalid)
        }
    }
}

/// Verifies an RSASSA-PKCS1-v1_5 SHA-256 signature against a `PUBLIC KEY` or `RSA PUBLIC KEY` PEM.
/// An Ed25519 `PUBLIC KEY` is also accepted and verified as Ed25519.
pub fn verify_rsa_sha256(
    public_key_pem: &str,
    msg: &[u8],
    sig: &[u8],
) -> Result<(), SignatureError> {
    let key = PublicKey::from_pem(public_key_pem)?;
    let alg = match key {
        PublicKey::Rsa(_) => Algorithm::RsaV15Sha256,
        PublicKey::Ed25519(_) => Algorithm::Ed25519,
    };
    key.verify(Some(alg), msg, sig)
}
