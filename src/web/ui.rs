//! What every page's frame needs: the language of the request and its messages, the
//! node's name, whether it runs a directory, and the switcher's link.

use std::borrow::Borrow;
use std::fmt::Display;

use crate::app::Node;
use crate::web::i18n::{self, Lang};

/// The frame of a page, given to every template as `ui`.
#[derive(Debug, Clone)]
pub struct Ui {
    pub lang: Lang,
    /// The node's domain, shown in the header.
    pub domain: String,
    /// Whether the header links to the directory.
    pub directory: bool,
    /// The page's own path and query, for the language switcher to come back to.
    here: String,
}

impl Ui {
    /// The frame of the request being handled.
    pub fn new(node: &Node) -> Ui {
        Ui {
            lang: i18n::current(),
            domain: node.domain(),
            directory: node.config.directory.enabled(),
            here: i18n::current_path(),
        }
    }

    /// The frame of the request being handled, from what the request's middleware saw
    /// (for pages built without the node at hand, such as error pages).
    pub fn current() -> Ui {
        let (domain, directory) = i18n::current_node();
        Ui {
            lang: i18n::current(),
            domain,
            directory,
            here: i18n::current_path(),
        }
    }

    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    pub fn f1(&self, key: &str, a: impl Display) -> String {
        self.lang.format(key, &[&a])
    }

    pub fn f2(&self, key: &str, a: impl Display, b: impl Display) -> String {
        self.lang.format(key, &[&a, &b])
    }

    pub fn f3(&self, key: &str, a: impl Display, b: impl Display, c: impl Display) -> String {
        self.lang.format(key, &[&a, &b, &c])
    }

    /// "1 co-op", "3 co-ops": `key.one` / `key.other`.
    pub fn count(&self, key: &str, n: impl Borrow<i64>) -> String {
        self.lang.count(key, *n.borrow())
    }

    /// The message `{prefix}.{value}`: a role, a follower's state, …
    pub fn sub(&self, prefix: &str, value: &str) -> &'static str {
        self.lang.t(&format!("{prefix}.{value}"))
    }

    pub fn vocab(&self, value: &str) -> &'static str {
        self.lang.vocab(value)
    }

    pub fn date(&self, rfc3339: &str) -> String {
        self.lang.date(rfc3339)
    }

    /// The other languages, each with the switcher's link back to this page.
    pub fn switches(&self) -> Vec<(Lang, String)> {
        Lang::ALL
            .into_iter()
            .filter(|l| *l != self.lang)
            .map(|l| {
                let back: String =
                    url::form_urlencoded::byte_serialize(self.here.as_bytes()).collect();
                (l, format!("/language?to={}&back={back}", l.code()))
            })
            .collect()
    }
}
