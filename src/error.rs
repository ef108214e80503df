//! The one error type. Each variant documents the HTTP status it becomes; 500s are logged
//! and never shown to clients.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Everything that can go wrong, for the web, the inbox and the CLI alike.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 422: input breaks a rule (the message names the field and the allowed values).
    #[error("{0}")]
    Invalid(String),
    /// 400: the request cannot be parsed.
    #[error("{0}")]
    BadRequest(String),
    /// 401: the request is not signed, or its signature does not verify.
    #[error("{0}")]
    Unauthorized(String),
    /// 403: signed, but the signer may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such thing here.
    #[error("{0}")]
    NotFound(String),
    /// 409: it already exists.
    #[error("{0}")]
    Conflict(String),
    /// 410: it was here and is gone for good (a retired sub-feed).
    #[error("{0}")]
    Gone(String),
    /// 429: too many attempts (log-in rate limit).
    #[error("{0}")]
    TooManyRequests(String),
    /// 413: the body is over the 1 MiB cap.
    #[error("request body is larger than 1 MiB")]
    TooLarge,
    /// 502: a remote server answered badly, or a fetch was refused by policy.
    #[error("{0}")]
    Remote(String),
    /// 502: a remote document is gone: its server answered `status` (404 or 410).
    #[error("GET {url}: status {status}")]
    RemoteGone { url: String, status: u16 },
    /// 500: a database failure (logged, not shown).
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// 500: anything else unexpected (logged, not shown).
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// The HTTP status this error becomes.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Gone(_) => StatusCode::GONE,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Remote(_) | AppError::RemoteGone { .. } => StatusCode::BAD_GATEWAY,
            AppError::Database(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<sqlx::migrate::MigrateError> for AppError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        AppError::Internal(format!("migration failed: {e}"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = if status.is_server_error() && status != StatusCode::BAD_GATEWAY {
            tracing::error!(error = %self, "request failed");
            "internal server error".to_string()
        } else {
            self.to_string()
        };
        (status, message).into_response()
    }
}
