//! What a link shared on Mastodon (or elsewhere) shows: OpenGraph tags, and
//! `fediverse:creator` so Mastodon attributes the card to the co-op's account.

pub struct Card {
    /// `article` or `profile`.
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub url: String,
    pub image: Option<String>,
    pub image_alt: String,
    /// `@handle@domain`.
    pub creator: String,
}
