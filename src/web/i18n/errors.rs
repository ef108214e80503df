//! Error details in the visitor's language. The domain code writes its error messages in
//! English (the CLI, the JSON API and peers get exactly that text); the catalogue's `err.*`
//! keys are those messages as patterns, with `{0}`, `{1}` where the code puts a value
//! (`handle: '{0}' is reserved`). A browser's error page matches the English detail against
//! the patterns and fills what the placeholders caught into the message of its language.

use std::sync::LazyLock;

use regex::{Regex, RegexSet};

use super::{CATALOGUES, Lang};

/// The prefix of the catalogue's error patterns.
pub const PREFIX: &str = "err.";

/// One English message pattern: its key, its anchored regex (one group per placeholder,
/// each catching non-empty text), which placeholder each group is, and how many literal
/// characters it has (the most specific of several matches wins).
struct Pattern {
    key: &'static str,
    regex: Regex,
    slots: Vec<usize>,
    literal_chars: usize,
}

/// Every pattern, with a set that finds all those matching a message in one pass.
struct Matcher {
    set: RegexSet,
    patterns: Vec<Pattern>,
}

/// A piece of a pattern: literal text or the placeholder `{n}`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    Text(&'a str),
    Slot(usize),
}

/// A catalogue message cut at its placeholders `{0}` … `{9}`.
pub(crate) fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut start = 0;
    while let Some(at) = rest[start..].find('{').map(|i| start + i) {
        let digit = rest[at + 1..].chars().next().and_then(|c| c.to_digit(10));
        match digit {
            Some(n) if rest[at + 2..].starts_with('}') => {
                if at > 0 {
                    out.push(Piece::Text(&rest[..at]));
                }
                // A digit is one byte: the slot is `{n}`, three bytes.
                out.push(Piece::Slot(n as usize));
                rest = &rest[at + 3..];
                start = 0;
            }
            _ => start = at + 1,
        }
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

fn pattern(key: &'static str, english: &str) -> Result<Pattern, regex::Error> {
    let mut source = String::from("(?s)^");
    let mut slots = Vec::new();
    let mut literal_chars = 0;
    for piece in pieces(english) {
        match piece {
            Piece::Text(t) => {
                source.push_str(&regex::escape(t));
                literal_chars += t.chars().count();
            }
            Piece::Slot(n) => {
                source.push_str("(.+?)");
                slots.push(n);
            }
        }
    }
    source.push('$');
    Ok(Pattern {
        key,
        regex: Regex::new(&source)?,
        slots,
        literal_chars,
    })
}

impl Matcher {
    /// The matcher of `(key, English pattern)` pairs.
    fn new<'a>(
        entries: impl IntoIterator<Item = (&'static str, &'a str)>,
    ) -> Result<Matcher, regex::Error> {
        let mut patterns = entries
            .into_iter()
            .map(|(key, english)| pattern(key, english))
            .collect::<Result<Vec<_>, _>>()?;
        patterns.sort_by_key(|p| p.key);
        let set = RegexSet::new(patterns.iter().map(|p| p.regex.as_str()))?;
        Ok(Matcher { set, patterns })
    }

    /// The key of the most specific pattern that `english` matches, with what its
    /// placeholders caught (by placeholder number).
    fn find<'m>(&self, english: &'m str) -> Option<(&'static str, Vec<&'m str>)> {
        let best = self
            .set
            .matches(english)
            .into_iter()
            .map(|i| &self.patterns[i])
            .max_by_key(|p| p.literal_chars)?;
        let caught = best.regex.captures(english)?;
        let mut values = vec![""; best.slots.len()];
        for (group, slot) in best.slots.iter().enumerate() {
            if let (Some(v), Some(m)) = (values.get_mut(*slot), caught.get(group + 1)) {
                *v = m.as_str();
            }
        }
        Some((best.key, values))
    }
}

/// The catalogue's patterns, built once.
static MATCHER: LazyLock<Option<Matcher>> = LazyLock::new(|| {
    let english = CATALOGUES.get("en").into_iter().flatten();
    Matcher::new(
        english
            .filter(|(key, _)| key.starts_with(PREFIX))
            .map(|(k, v)| (*k, *v)),
    )
    .inspect_err(|e| tracing::error!("error patterns: {e}"))
    .ok()
});

/// The key of the catalogue's most specific pattern that `english` matches, with what its
/// placeholders caught.
pub(crate) fn matching(english: &str) -> Option<(&'static str, Vec<&str>)> {
    MATCHER.as_ref()?.find(english)
}

/// `text` with each `{n}` replaced by `values[n]`, in one pass (a value that itself holds
/// `{1}` stays as it is).
pub(super) fn fill(text: &str, values: &[&str]) -> String {
    pieces(text)
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(t) => t,
            Piece::Slot(n) => values.get(n).copied().unwrap_or(""),
        })
        .collect()
}

/// The English error message `english` in `lang`: None for English, and for a message no
/// pattern matches (the page then shows it in English, marked as such).
pub fn translate_detail(lang: Lang, english: &str) -> Option<String> {
    if lang == Lang::En {
        return None;
    }
    let (key, values) = matching(english)?;
    let text = CATALOGUES.get(lang.code())?.get(key)?;
    Some(fill(text, &values))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn custom(entries: &[(&'static str, &'static str)]) -> Matcher {
        Matcher::new(entries.iter().copied()).unwrap()
    }

    #[test]
    fn a_placeholder_catches_the_value_between_the_literal_pieces() {
        let m = custom(&[("a", "handle: '{0}' is reserved")]);
        assert_eq!(
            m.find("handle: 'admin' is reserved"),
            Some(("a", vec!["admin"]))
        );
        // Literal pieces match exactly, the whole message, and a value is never empty.
        assert_eq!(m.find("handle: 'admin' is reserved!"), None);
        assert_eq!(m.find("Handle: 'admin' is reserved"), None);
        assert_eq!(m.find("handle: '' is reserved"), None);
    }

    #[test]
    fn of_several_matching_patterns_the_one_with_most_literal_text_wins() {
        let m = custom(&[
            ("any", "{0}: '{1}' is reserved"),
            ("handle", "handle: '{0}' is reserved"),
            ("taken", "handle: '{0}' is already taken"),
            ("taken_by", "handle: '{0}' is already taken by a co-op"),
        ]);
        assert_eq!(m.find("handle: 'x' is reserved").unwrap().0, "handle");
        assert_eq!(
            m.find("sector: 'x' is reserved"),
            Some(("any", vec!["sector", "x"]))
        );
        assert_eq!(m.find("handle: 'x' is already taken").unwrap().0, "taken");
        assert_eq!(
            m.find("handle: 'x' is already taken by a co-op").unwrap().0,
            "taken_by"
        );
    }

    #[test]
    fn placeholders_fill_in_any_order_and_values_are_kept_as_typed() {
        let m = custom(&[("a", "no draft {0} of '{1}'")]);
        let typed = "<b>{1}</b>\nCaerdydd & Môn";
        let message = format!("no draft 7 of '{typed}'");
        let (_, values) = m.find(&message).unwrap();
        assert_eq!(values, vec!["7", typed]);
        assert_eq!(
            fill("Dim drafft gan '{1}' (rhif {0})", &values),
            format!("Dim drafft gan '{typed}' (rhif 7)")
        );
    }

    #[test]
    fn the_catalogue_translates_known_messages_only_and_only_into_welsh() {
        assert_eq!(
            translate_detail(Lang::Cy, "handle: 'x{0}y' is reserved").as_deref(),
            Some("Enw defnyddiwr: mae 'x{0}y' wedi'i neilltuo")
        );
        assert_eq!(
            translate_detail(Lang::Cy, "title: must be 1 to 200 characters").as_deref(),
            Some("Teitl: rhaid iddo fod rhwng 1 a 200 nod")
        );
        assert_eq!(translate_detail(Lang::En, "handle: 'x' is reserved"), None);
        assert_eq!(translate_detail(Lang::Cy, "something nobody wrote"), None);
        assert_eq!(translate_detail(Lang::Cy, ""), None);
    }

    #[test]
    fn pieces_are_the_text_between_numbered_placeholders() {
        assert_eq!(
            pieces("{0} × {1}!"),
            vec![
                Piece::Slot(0),
                Piece::Text(" × "),
                Piece::Slot(1),
                Piece::Text("!")
            ]
        );
        assert_eq!(pieces("{x} {12}"), vec![Piece::Text("{x} {12}")]);
        assert_eq!(pieces("a{"), vec![Piece::Text("a{")]);
    }
}
