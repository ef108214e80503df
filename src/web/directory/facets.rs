//! The browse page's links: its query strings without defaults, and the facet lists whose
//! every value links to the same browse narrowed to it.

use super::Choice;
use crate::directory::index::{self, BrowseQuery, Sort};
use crate::web::i18n::Lang;

/// One facet: its heading, an "any" link and its values.
pub(super) struct FacetGroup {
    pub(super) title: &'static str,
    /// The query parameter it sets, e.g. `nation`.
    pub(super) param: &'static str,
    pub(super) any: Choice,
    pub(super) options: Vec<Choice>,
}

/// The query string of a browse, without defaults.
pub(super) fn browse_href(q: &BrowseQuery) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    let mut pair = |k: &str, v: &Option<String>| {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            s.append_pair(k, v);
        }
    };
    pair("q", &q.q);
    pair("nation", &q.nation);
    pair("region", &q.region);
    pair("sector", &q.sector);
    pair("membership_type", &q.membership_type);
    pair("legal_form", &q.legal_form);
    if q.sort != Sort::Name {
        s.append_pair("sort", q.sort.as_str());
    }
    if q.page > 1 {
        s.append_pair("page", &q.page.to_string());
    }
    if q.per_page > 0 && q.per_page != index::DEFAULT_PER_PAGE {
        s.append_pair("per_page", &q.per_page.to_string());
    }
    let query = s.finish();
    if query.is_empty() {
        "/directory/browse".to_string()
    } else {
        format!("/directory/browse?{query}")
    }
}

/// Reads or replaces one facet field of a query.
type Field = fn(&mut BrowseQuery) -> &mut Option<String>;

pub(super) fn facet_group(
    lang: Lang,
    (title_key, param): (&str, &'static str),
    q: &BrowseQuery,
    field: Field,
    counts: &[(String, i64)],
) -> FacetGroup {
    let mut base = q.clone();
    base.page = 1;
    let selected = field(&mut base.clone())
        .as_deref()
        .map(|v| v.trim().to_ascii_lowercase());
    let with = |value: Option<String>| {
        let mut next = base.clone();
        *field(&mut next) = value;
        browse_href(&next)
    };
    let mut options: Vec<Choice> = counts
        .iter()
        .map(|(value, n)| Choice {
            label: lang.vocab(value).to_string(),
            count: Some(*n),
            href: with(Some(value.clone())),
            current: selected.as_deref() == Some(value.as_str()),
        })
        .collect();
    // The selected value stays visible even when nothing matches it any more.
    if let Some(sel) = &selected
        && !options.iter().any(|o| o.current)
    {
        options.push(Choice {
            label: lang.vocab(sel).to_string(),
            count: Some(0),
            href: with(Some(sel.clone())),
            current: true,
        });
    }
    FacetGroup {
        title: lang.t(title_key),
        param,
        any: Choice {
            label: lang.t("browse.any").into(),
            count: None,
            href: with(None),
            current: selected.is_none(),
        },
        options,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browse_links_keep_filters_and_drop_defaults() {
        let q = BrowseQuery {
            q: Some("film & music".into()),
            nation: Some("wales".into()),
            page: 1,
            ..Default::default()
        };
        assert_eq!(
            browse_href(&q),
            "/directory/browse?q=film+%26+music&nation=wales"
        );
        assert_eq!(browse_href(&BrowseQuery::default()), "/directory/browse");
    }
}
