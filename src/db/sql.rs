//! A query assembled from static fragments: the way db/ builds the few statements whose
//! shape depends on the request (the directory's filters). Values are always bound.

use super::Conn;

/// A value bound to a placeholder.
#[derive(Debug, Clone)]
pub(super) enum Value {
    Text(String),
    Int(i64),
}

/// A query assembled from static fragments. A `?` in a fragment becomes the next `$n`
/// placeholder, bound to the next value given with it.
pub(super) struct Sql {
    pub(super) text: String,
    pub(super) values: Vec<Value>,
}

impl Sql {
    pub(super) fn new(fragment: &'static str) -> Sql {
        let mut sql = Sql {
            text: String::new(),
            values: Vec::new(),
        };
        sql.push(fragment, []);
        sql
    }

    /// Appends a fragment; its `?` markers take `values` in order.
    pub(super) fn push<const N: usize>(&mut self, fragment: &'static str, values: [Value; N]) {
        let mut values = values.into_iter();
        for c in fragment.chars() {
            if c == '?' {
                // Fragments and their values are written side by side in this file, and
                // a unit test checks the numbering.
                self.values
                    .push(values.next().unwrap_or(Value::Text(String::new())));
                self.text.push_str(&format!("${}", self.values.len()));
            } else {
                self.text.push(c);
            }
        }
    }

    pub(super) fn text_value(value: &str) -> Value {
        Value::Text(value.to_string())
    }

    /// ` IN (?, ?, …)` over `ids` (never empty: callers return early).
    pub(super) fn in_list(&mut self, ids: &[String]) {
        self.in_values(ids.iter().map(|id| Self::text_value(id)));
    }

    /// ` IN (?, ?, …)` over integer `ids` (never empty: callers return early).
    pub(super) fn in_int_list(&mut self, ids: &[i64]) {
        self.in_values(ids.iter().map(|id| Value::Int(*id)));
    }

    fn in_values(&mut self, values: impl Iterator<Item = Value>) {
        self.push(" IN (", []);
        for (i, value) in values.enumerate() {
            if i > 0 {
                self.push(", ", []);
            }
            self.push("?", [value]);
        }
        self.push(")", []);
    }

    pub(super) fn bound<'q, T>(
        self,
    ) -> sqlx::query::QueryAs<'q, sqlx::Any, T, sqlx::any::AnyArguments>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(self.text));
        for v in self.values {
            q = match v {
                Value::Text(s) => q.bind(s),
                Value::Int(n) => q.bind(n),
            };
        }
        q
    }

    pub(super) async fn fetch_all<T>(self, conn: &mut Conn) -> Result<Vec<T>, sqlx::Error>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    {
        self.bound().fetch_all(conn).await
    }

    pub(super) async fn fetch_optional<T>(self, conn: &mut Conn) -> Result<Option<T>, sqlx::Error>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    {
        self.bound().fetch_optional(conn).await
    }

    pub(super) async fn execute(self, conn: &mut Conn) -> Result<u64, sqlx::Error> {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(self.text));
        for v in self.values {
            q = match v {
                Value::Text(s) => q.bind(s),
                Value::Int(n) => q.bind(n),
            };
        }
        Ok(q.execute(conn).await?.rows_affected())
    }

    pub(super) async fn fetch_count(self, conn: &mut Conn) -> Result<i64, sqlx::Error> {
        let (n,): (i64,) = self.bound().fetch_one(conn).await?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_become_numbered_placeholders_with_their_values() {
        let mut sql2 = Sql::new("SELECT 1 FROM t WHERE 1 = 1");
        sql2.push(" AND a = ? AND b = ?", [Value::Int(1), Value::Int(2)]);
        sql2.push(" LIMIT ?", [Value::Int(3)]);
        assert_eq!(
            sql2.text,
            "SELECT 1 FROM t WHERE 1 = 1 AND a = $1 AND b = $2 LIMIT $3"
        );
        assert_eq!(sql2.values.len(), 3);
    }
}
