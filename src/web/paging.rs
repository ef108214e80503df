//! Paged HTML lists (`?page=N`, with `templates/pager.html`): which page is shown, where it
//! starts, and whether there is a next one, found by asking for one row more than a page.

use serde::Deserialize;

/// The `?page=N` of a paged page.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    pub page: Option<i64>,
}

/// Page `number` (1 to 10,000) of a list shown `per_page` at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub number: i64,
    per_page: i64,
}

impl Window {
    /// The page asked for (the first when none; out-of-range numbers are brought in range).
    pub fn new(page: Option<i64>, per_page: i64) -> Window {
        Window {
            number: page.unwrap_or(1).clamp(1, 10_000),
            per_page,
        }
    }

    /// How many rows to ask for: one more than a page, to learn whether there is more.
    pub fn limit(self) -> i64 {
        self.per_page + 1
    }

    /// How many rows come before this page.
    pub fn offset(self) -> i64 {
        (self.number - 1) * self.per_page
    }

    /// Cuts `rows` (fetched with `limit`) to the page; whether there is a next page.
    pub fn more<T>(self, rows: &mut Vec<T>) -> bool {
        let more = rows.len() as i64 > self.per_page;
        rows.truncate(self.per_page as usize);
        more
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_asks_for_one_row_more_and_cuts_it_off() {
        let w = Window::new(Some(3), 20);
        assert_eq!((w.number, w.limit(), w.offset()), (3, 21, 40));
        let mut rows: Vec<i64> = (0..21).collect();
        assert!(w.more(&mut rows));
        assert_eq!(rows.len(), 20);
        let mut rows: Vec<i64> = (0..20).collect();
        assert!(!w.more(&mut rows));
        assert_eq!(rows.len(), 20);
        assert_eq!(Window::new(None, 20).number, 1);
        assert_eq!(Window::new(Some(-4), 20).number, 1);
        assert_eq!(Window::new(Some(i64::MAX), 20).number, 10_000);
    }
}
