//! People who work the node from the browser (issue #5): accounts with argon2id passwords,
//! sessions kept in the database, one-time links (node setup, invitations) and co-op
//! membership with roles. The web pages and the CLI call these operations; they call db/.

pub mod invites;
pub mod members;
pub mod sessions;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::AppError;
use crate::db::accounts::AccountRow;

/// Passwords shorter than this are refused.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Passwords longer than this are refused (hashing cost is per byte).
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// A signed-in person.
#[derive(Debug, Clone)]
pub struct Account {
    pub row: AccountRow,
}

impl Account {
    pub fn id(&self) -> &str {
        &self.row.id
    }
    pub fn is_node_admin(&self) -> bool {
        self.row.node_admin != 0
    }
    pub fn is_organiser(&self) -> bool {
        self.row.organiser != 0
    }
}

/// argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).
fn hasher() -> Result<Argon2<'static>, AppError> {
    let params = Params::new(19 * 1024, 2, 1, None)
        .map_err(|e| AppError::Internal(format!("argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password (on the blocking pool: it takes tens of milliseconds by design).
pub async fn hash_password(password: &str) -> Result<String, AppError> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || {
        let bytes: [u8; 16] = rand::random();
        let salt =
            SaltString::encode_b64(&bytes).map_err(|e| AppError::Internal(format!("salt: {e}")))?;
        hasher()?
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(format!("argon2: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(format!("hashing task: {e}")))?
}

/// Whether `password` matches the stored hash. With no hash (an unknown username), a
/// dummy hash is checked anyway, so the answer takes as long either way.
pub async fn verify_password(password: &str, stored: Option<&str>) -> Result<bool, AppError> {
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$5JX9ywqbwbZ6d9Ti2JyHoi8Z6aXeMEqszcNYTdDyMEs";
    let known = stored.is_some();
    let (password, stored) = (password.to_string(), stored.unwrap_or(DUMMY).to_string());
    let ok = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .map_err(|e| AppError::Internal(format!("verifying task: {e}")))?;
    Ok(ok && known)
}

/// A new password, checked: a clear message for each rule it breaks.
pub fn check_password(password: &str, confirm: &str) -> Result<(), AppError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::Invalid(format!(
            "password: use at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(AppError::Invalid(format!(
            "password: use at most {MAX_PASSWORD_BYTES} bytes"
        )));
    }
    if password != confirm {
        return Err(AppError::Invalid(
            "password: the two passwords differ".into(),
        ));
    }
    Ok(())
}

/// A username, lower-cased and checked: 3–30 of a–z, 0–9 and `_`.
pub fn check_username(username: &str) -> Result<String, AppError> {
    let name = username.trim().to_ascii_lowercase();
    let ok = (3..=30).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(name)
    } else {
        Err(AppError::Invalid(
            "username: use 3 to 30 letters a-z, digits or _".into(),
        ))
    }
}

/// A fresh random secret (256 bits), URL-safe.
pub fn secret() -> String {
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored of a secret: its SHA-256, hex.
pub fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("correct horse battery").await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            verify_password("correct horse battery", Some(&hash))
                .await
                .unwrap()
        );
        assert!(
            !verify_password("wrong horse battery", Some(&hash))
                .await
                .unwrap()
        );
        assert!(
            !verify_password("correct horse battery", None)
                .await
                .unwrap()
        );
    }

    #[test]
    fn rules_for_names_and_passwords() {
        assert_eq!(check_username(" Reel_Cymru ").unwrap(), "reel_cymru");
        assert!(check_username("ab").is_err());
        assert!(check_username("a b c").is_err());
        assert!(check_password("short", "short").is_err());
        assert!(check_password("long enough pass", "long enough pasS").is_err());
        assert!(check_password("long enough pass", "long enough pass").is_ok());
        assert_ne!(secret(), secret());
        assert_eq!(digest("x").len(), 64);
    }
}
