//! OrderedCollections: outbox and following (paged), followers and featured.

use serde_json::{Value, json};
use url::Url;

use crate::error::AppError;
use crate::federation::context;

/// How many items a page of a collection holds.
pub const PAGE_SIZE: i64 = 20;

/// A collection summary with its total and, when `paged`, links to its first and last pages.
pub fn summary(id: &Url, total: i64, paged: bool) -> Value {
    let mut doc = json!({
        "@context": context::activitystreams(),
        "id": id,
        "type": "OrderedCollection",
        "totalItems": total,
    });
    if paged && let Value::Object(map) = &mut doc {
        map.insert("first".into(), json!(format!("{id}?page=1")));
        map.insert(
            "last".into(),
            json!(format!("{id}?page={}", last_page(total))),
        );
    }
    doc
}

/// A collection with all its items inline (used for empty or small collections).
pub fn inline(id: &Url, items: Vec<Value>) -> Value {
    json!({
        "@context": context::activitystreams(),
        "id": id,
        "type": "OrderedCollection",
        "totalItems": items.len(),
        "orderedItems": items,
    })
}

/// One page of a paged collection (pages count from 1).
pub fn page(id: &Url, page: i64, total: i64, items: Vec<Value>) -> Value {
    let mut doc = json!({
        "@context": context::full(),
        "id": format!("{id}?page={page}"),
        "type": "OrderedCollectionPage",
        "partOf": id,
        "totalItems": total,
        "orderedItems": items,
    });
    if let Value::Object(map) = &mut doc {
        if page > 1 {
            map.insert("prev".into(), json!(format!("{id}?page={}", page - 1)));
        }
        if page < last_page(total) {
            map.insert("next".into(), json!(format!("{id}?page={}", page + 1)));
        }
    }
    doc
}

/// How many items come before page `page` (pages count from 1).
pub fn offset(page: i64) -> Result<i64, AppError> {
    if page < 1 {
        return Err(AppError::BadRequest("page: must be 1 or more".into()));
    }
    Ok((page - 1).saturating_mul(PAGE_SIZE))
}

fn last_page(total: i64) -> i64 {
    ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1)
}
