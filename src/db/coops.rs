//! The `coops` and `coop_sectors` tables.

use super::Conn;
use sqlx::FromRow;

/// A stored co-op row (sectors are loaded separately).
#[derive(Debug, Clone, FromRow)]
pub struct CoopRow {
    pub id: i64,
    pub handle: String,
    pub name: String,
    pub summary: String,
    pub website: Option<String>,
    pub legal_form: Option<String>,
    pub registrar: Option<String>,
    pub registered_number: Option<String>,
    pub membership_type: Option<String>,
    pub nation: String,
    pub region: Option<String>,
    pub locality: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub founded: Option<i64>,
    pub members: Option<i64>,
    pub discoverable: i64,
    pub indexable: i64,
    pub manual_approval: i64,
    pub private_key_pem: String,
    pub public_key_pem: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// `coop`; `directory` for the directory's Service actor, `subfeed` for its sector
    /// and nation sub-actors.
    pub kind: String,
    pub directory_boost: i64,
    /// Whether the `following` collection shows only its size.
    pub hide_following: i64,
    /// Whether the network timeline is a public page.
    pub public_network: i64,
    /// The avatar (`media`), the actor's `icon`.
    pub avatar_hash: Option<String>,
    /// The header (`media`), the actor's `image`.
    pub header_hash: Option<String>,
}

/// The editable columns, written on create and on every edit.
#[derive(Debug, Clone)]
pub struct ProfileColumns<'a> {
    pub name: &'a str,
    pub summary: &'a str,
    pub website: Option<&'a str>,
    pub legal_form: Option<&'a str>,
    pub registrar: Option<&'a str>,
    pub registered_number: Option<&'a str>,
    pub membership_type: Option<&'a str>,
    pub nation: &'a str,
    pub region: Option<&'a str>,
    pub locality: Option<&'a str>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub founded: Option<i64>,
    pub members: Option<i64>,
    pub discoverable: bool,
    pub indexable: bool,
    pub manual_approval: bool,
    pub directory_boost: bool,
    pub hide_following: bool,
    pub public_network: bool,
}

const COLUMNS: &str = "id, handle, name, summary, website, legal_form, registrar, registered_number, \
    membership_type, nation, region, locality, latitude, longitude, founded, members, discoverable, \
    indexable, manual_approval, private_key_pem, public_key_pem, created_at, updated_at, kind, directory_boost, hide_following, public_network, avatar_hash, header_hash";

/// Sets the avatar (`avatar`) or the header image of a co-op, and stamps `updated_at`.
pub async fn set_picture(
    conn: &mut Conn,
    id: i64,
    avatar: bool,
    hash: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let sql = if avatar {
        "UPDATE coops SET avatar_hash = $2, updated_at = $3 WHERE id = $1"
    } else {
        "UPDATE coops SET header_hash = $2, updated_at = $3 WHERE id = $1"
    };
    sqlx::query(sql)
        .bind(id)
        .bind(hash)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Inserts a local actor (`kind` is `coop`, `directory` or `subfeed`) and returns its id. A taken
/// handle is a unique violation.
pub async fn insert(
    conn: &mut Conn,
    kind: &str,
    handle: &str,
    p: &ProfileColumns<'_>,
    private_key_pem: &str,
    public_key_pem: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO coops (handle, name, summary, website, legal_form, registrar, registered_number, \
         membership_type, nation, region, locality, latitude, longitude, founded, members, discoverable, \
         indexable, manual_approval, private_key_pem, public_key_pem, created_at, updated_at, kind, directory_boost, hide_following, public_network) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $21, $22, $23, $24, $25) \
         RETURNING id",
    )
    .bind(handle)
    .bind(p.name)
    .bind(p.summary)
    .bind(p.website)
    .bind(p.legal_form)
    .bind(p.registrar)
    .bind(p.registered_number)
    .bind(p.membership_type)
    .bind(p.nation)
    .bind(p.region)
    .bind(p.locality)
    .bind(p.latitude)
    .bind(p.longitude)
    .bind(p.founded)
    .bind(p.members)
    .bind(i64::from(p.discoverable))
    .bind(i64::from(p.indexable))
    .bind(i64::from(p.manual_approval))
    .bind(private_key_pem)
    .bind(public_key_pem)
    .bind(now)
    .bind(kind)
    .bind(i64::from(p.directory_boost))
    .bind(i64::from(p.hide_following))
    .bind(i64::from(p.public_network))
    .fetch_one(conn)
    .await
}

/// Overwrites the editable columns of a co-op.
pub async fn update(
    conn: &mut Conn,
    id: i64,
    p: &ProfileColumns<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE coops SET name = $2, summary = $3, website = $4, legal_form = $5, registrar = $6, \
         registered_number = $7, membership_type = $8, nation = $9, region = $10, locality = $11, \
         latitude = $12, longitude = $13, founded = $14, members = $15, discoverable = $16, \
         indexable = $17, manual_approval = $18, updated_at = $19, directory_boost = $20, \
         hide_following = $21, public_network = $22 WHERE id = $1",
    )
    .bind(id)
    .bind(p.name)
    .bind(p.summary)
    .bind(p.website)
    .bind(p.legal_form)
    .bind(p.registrar)
    .bind(p.registered_number)
    .bind(p.membership_type)
    .bind(p.nation)
    .bind(p.region)
    .bind(p.locality)
    .bind(p.latitude)
    .bind(p.longitude)
    .bind(p.founded)
    .bind(p.members)
    .bind(i64::from(p.discoverable))
    .bind(i64::from(p.indexable))
    .bind(i64::from(p.manual_approval))
    .bind(now)
    .bind(i64::from(p.directory_boost))
    .bind(i64::from(p.hide_following))
    .bind(i64::from(p.public_network))
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces a co-op's sectors.
pub async fn set_sectors(
    conn: &mut Conn,
    coop_id: i64,
    sectors: &[&str],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM coop_sectors WHERE coop_id = $1")
        .bind(coop_id)
        .execute(&mut *conn)
        .await?;
    for sector in sectors {
        sqlx::query("INSERT INTO coop_sectors (coop_id, sector) VALUES ($1, $2)")
            .bind(coop_id)
            .bind(*sector)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A co-op's sectors, in alphabetical order.
pub async fn sectors(conn: &mut Conn, coop_id: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT sector FROM coop_sectors WHERE coop_id = $1 ORDER BY sector")
        .bind(coop_id)
        .fetch_all(conn)
        .await
}

/// Finds a co-op by handle.
pub async fn by_handle(conn: &mut Conn, handle: &str) -> Result<Option<CoopRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM coops WHERE handle = $1"
    )))
    .bind(handle)
    .fetch_optional(conn)
    .await
}

/// Finds a co-op by id.
pub async fn by_id(conn: &mut Conn, id: i64) -> Result<Option<CoopRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM coops WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Every co-op on this node (not the directory's actors), by handle.
pub async fn all(conn: &mut Conn) -> Result<Vec<CoopRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM coops WHERE kind = 'coop' ORDER BY handle"
    )))
    .fetch_all(conn)
    .await
}

/// How many co-ops this node hosts (not the directory's own actors or its sub-feeds).
pub async fn count(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM coops WHERE kind = 'coop'")
        .fetch_one(conn)
        .await
}

/// How many co-ops here have published a live story at or after `since` (ms).
pub async fn count_publishing_since(conn: &mut Conn, since: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(DISTINCT s.coop_id) FROM stories s JOIN coops c ON c.id = s.coop_id
         WHERE c.kind = 'coop' AND s.deleted_at IS NULL AND s.published_at >= $1",
    )
    .bind(since)
    .fetch_one(conn)
    .await
}

/// Changes what kind of actor row `id` is: a sub-feed retired, or brought back.
pub async fn set_kind(conn: &mut Conn, id: i64, kind: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE coops SET kind = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(kind)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Gives row `id` a new key pair (an actor brought back is not signed for by its old key).
pub async fn set_keys(
    conn: &mut Conn,
    id: i64,
    private_key_pem: &str,
    public_key_pem: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE coops SET private_key_pem = $2, public_key_pem = $3 WHERE id = $1")
        .bind(id)
        .bind(private_key_pem)
        .bind(public_key_pem)
        .execute(conn)
        .await?;
    Ok(())
}
