//! Markdown rendering and HTML sanitising. Everything shown or federated passes through
//! `sanitize`, which keeps only what Mastodon's own sanitiser keeps.

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{Options, Parser, html::push_html};

/// Mastodon's allow-list (app/lib/sanitize_config.rb, "MASTODON_STRICT" plus headings and lists).
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let tags: HashSet<&str> = [
        "p",
        "br",
        "span",
        "a",
        "abbr",
        "del",
        "s",
        "pre",
        "blockquote",
        "code",
        "b",
        "strong",
        "u",
        "sub",
        "sup",
        "i",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
    ]
    .into_iter()
    .collect();
    let mut builder = ammonia::Builder::default();
    builder
        .tags(tags)
        .clean_content_tags(["script", "style"].into_iter().collect())
        .generic_attributes(HashSet::new())
        .tag_attributes(
            [
                ("a", ["href", "class", "translate"].into_iter().collect()),
                ("span", ["class", "translate"].into_iter().collect()),
                ("ol", ["start", "reversed"].into_iter().collect()),
                ("li", ["value"].into_iter().collect()),
                ("abbr", ["title"].into_iter().collect()),
            ]
            .into_iter()
            .collect(),
        )
        .url_schemes(
            [
                "http", "https", "mailto", "dat", "dweb", "ipfs", "ipns", "ssb", "gopher", "xmpp",
                "magnet", "gemini",
            ]
            .into_iter()
            .collect(),
        )
        .link_rel(Some("nofollow noopener noreferrer"))
        .url_relative(ammonia::UrlRelative::Deny);
    builder
});

/// Sanitises HTML from anywhere (remote posts, rendered Markdown) to Mastodon's allow-list.
pub fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

/// Renders Markdown to sanitised HTML. Raw HTML inside the Markdown is sanitised too.
pub fn markdown(text: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut out = String::with_capacity(text.len() * 2);
    push_html(&mut out, Parser::new_ext(text, options));
    sanitize(&out)
}

/// Escapes text for use inside HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The visible text of an HTML fragment, for checks such as `#nobot` in a bio.
pub fn plain_text(html: &str) -> String {
    let stripped = ammonia::Builder::empty().clean(html).to_string();
    stripped
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_unknown_attributes_are_removed() {
        let out = sanitize(r#"<p onclick="x()">hi<script>alert(1)</script><img src="x"></p>"#);
        assert_eq!(out, "<p>hi</p>");
    }

    #[test]
    fn markdown_keeps_links_and_emphasis() {
        let out = markdown("Hello *world* [site](https://example.org)");
        assert!(out.contains("<em>world</em>"), "{out}");
        assert!(
            out.contains(
                r#"<a href="https://example.org" rel="nofollow noopener noreferrer">site</a>"#
            ),
            "{out}"
        );
    }

    #[test]
    fn javascript_links_are_dropped() {
        let out = markdown("[x](javascript:alert(1))");
        assert!(!out.contains("javascript"), "{out}");
    }
}
