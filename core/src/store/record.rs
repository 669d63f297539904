//! Turns entity structs into table rows and back, by column name. A struct's
//! serde field names are its table's column names; the column's declared
//! type says how a value is kept (JSON, BOOLEAN or a plain SQLite value).
//! This is what lets one write path, and the sync engine, handle every kind
//! of entity the same way, field by field.

use crate::error::{Error, Result};
use parking_lot::Mutex;
use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{Connection, params_from_iter};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Storage {
    Json,
    Boolean,
    Plain,
}

/// The columns of one table, read once from SQLite itself.
#[derive(Debug)]
pub struct TableInfo {
    pub table: &'static str,
    columns: Vec<(String, Storage)>,
    upsert_sql: OnceLock<String>,
}

impl TableInfo {
    fn storage(&self, column: &str) -> Option<Storage> {
        self.columns
            .iter()
            .find(|(name, _)| name == column)
            .map(|(_, s)| *s)
    }

    /// The entity's own columns (not the sync bookkeeping ones).
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.columns
            .iter()
            .map(|(n, _)| n.as_str())
            .filter(|n| !n.starts_with('_'))
    }
}

/// Table layouts, shared by all connections to databases of this schema.
static TABLES: OnceLock<Mutex<HashMap<&'static str, Arc<TableInfo>>>> = OnceLock::new();

pub fn table_info(conn: &Connection, table: &'static str) -> Result<Arc<TableInfo>> {
    let cache = TABLES.get_or_init(Default::default);
    if let Some(info) = cache.lock().get(table) {
        return Ok(info.clone());
    }
    let mut stmt = conn.prepare(&format!("PRAGMA table_info({table})"))?;
    let columns: Vec<(String, Storage)> = stmt
        .query_map([], |row| {
            let name: String = row.get(1)?;
            let decl: String = row.get(2)?;
            Ok((name, decl))
        })?
        .map(|r| {
            r.map(|(name, decl)| {
                let storage = match decl.to_ascii_uppercase().as_str() {
                    "JSON" => Storage::Json,
                    "BOOLEAN" => Storage::Boolean,
                    _ => Storage::Plain,
                };
                (name, storage)
            })
        })
        .collect::<rusqlite::Result<_>>()?;
    if columns.is_empty() {
        return Err(Error::Storage {
            detail: format!("no table {table}"),
        });
    }
    let info = Arc::new(TableInfo {
        table,
        columns,
        upsert_sql: OnceLock::new(),
    });
    cache.lock().insert(table, info.clone());
    Ok(info)
}

fn to_sql(storage: Storage, value: &Value) -> Result<SqlValue> {
    Ok(match (storage, value) {
        (_, Value::Null) => SqlValue::Null,
        (Storage::Json, v) => SqlValue::Text(serde_json::to_string(v)?),
        (_, Value::Bool(b)) => SqlValue::Integer(*b as i64),
        (_, Value::Number(n)) => match n.as_i64() {
            Some(i) => SqlValue::Integer(i),
            None => SqlValue::Real(n.as_f64().unwrap_or_default()),
        },
        (_, Value::String(s)) => SqlValue::Text(s.clone()),
        (_, v) => SqlValue::Text(serde_json::to_string(v)?),
    })
}

fn from_sql(storage: Storage, value: ValueRef<'_>) -> Result<Value> {
    Ok(match (storage, value) {
        (_, ValueRef::Null) => Value::Null,
        (Storage::Json, ValueRef::Text(t)) => serde_json::from_slice(t)?,
        (Storage::Boolean, ValueRef::Integer(i)) => Value::Bool(i != 0),
        (_, ValueRef::Integer(i)) => Value::from(i),
        (_, ValueRef::Real(f)) => Value::from(f),
        (_, ValueRef::Text(t)) => Value::String(String::from_utf8_lossy(t).into_owned()),
        (_, ValueRef::Blob(_)) => {
            return Err(Error::Storage {
                detail: "unexpected binary column".into(),
            });
        }
    })
}

/// The entity fields of a row, as a JSON object.
pub fn row_to_fields(info: &TableInfo, row: &rusqlite::Row<'_>) -> Result<Map<String, Value>> {
    let mut map = Map::new();
    for (i, (name, storage)) in info.columns.iter().enumerate() {
        if name.starts_with('_') {
            continue;
        }
        map.insert(name.clone(), from_sql(*storage, row.get_ref(i)?)?);
    }
    Ok(map)
}

/// One stored row's fields by id, or `None`.
pub fn load_fields(
    conn: &Connection,
    info: &TableInfo,
    id: &str,
) -> Result<Option<Map<String, Value>>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT * FROM {} WHERE id = ?1", info.table))?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(row) => Ok(Some(row_to_fields(info, row)?)),
        None => Ok(None),
    }
}

/// Rows matching a `WHERE` clause (written by this crate, never by a
/// caller), decoded with `decode`.
pub fn select<T>(
    conn: &Connection,
    info: &TableInfo,
    clause: &str,
    params: impl rusqlite::Params,
    mut decode: impl FnMut(Map<String, Value>) -> Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT * FROM {} {clause}", info.table))?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(decode(row_to_fields(info, row)?)?);
    }
    Ok(out)
}

/// Writes a whole row: every entity field, with the clock columns. The
/// fields must be exactly the table's entity columns.
pub fn upsert(
    conn: &Connection,
    info: &TableInfo,
    fields: &Map<String, Value>,
    hlc: &str,
    clocks: &Map<String, Value>,
) -> Result<()> {
    let sql = info.upsert_sql.get_or_init(|| {
        let names: Vec<&str> = info.fields().collect();
        let placeholders: Vec<String> = (1..=names.len() + 2).map(|i| format!("?{i}")).collect();
        let updates: Vec<String> = names
            .iter()
            .chain(["_hlc", "_clocks"].iter())
            .filter(|n| **n != "id")
            .map(|n| format!("{n} = excluded.{n}"))
            .collect();
        format!(
            "INSERT INTO {} ({}, _hlc, _clocks) VALUES ({}) ON CONFLICT(id) DO UPDATE SET {}",
            info.table,
            names.join(", "),
            placeholders.join(", "),
            updates.join(", ")
        )
    });
    let mut values: Vec<SqlValue> = Vec::with_capacity(fields.len() + 2);
    for (name, storage) in info.columns.iter().filter(|(n, _)| !n.starts_with('_')) {
        values.push(to_sql(*storage, fields.get(name).unwrap_or(&Value::Null))?);
    }
    if let Some(extra) = fields.keys().find(|k| info.storage(k).is_none()) {
        return Err(Error::Storage {
            detail: format!("{} has no column {extra}", info.table),
        });
    }
    values.push(SqlValue::Text(hlc.to_string()));
    values.push(SqlValue::Text(serde_json::to_string(clocks)?));
    conn.prepare_cached(sql)?
        .execute(params_from_iter(values))?;
    Ok(())
}

/// The clock columns of a stored row: its creation stamp and field stamps.
pub fn load_clocks(
    conn: &Connection,
    info: &TableInfo,
    id: &str,
) -> Result<Option<(String, Map<String, Value>)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT _hlc, _clocks FROM {} WHERE id = ?1",
        info.table
    ))?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(row) => {
            let hlc: String = row.get(0)?;
            let clocks: String = row.get(1)?;
            let clocks: Value = serde_json::from_str(&clocks)?;
            Ok(Some((hlc, clocks.as_object().cloned().unwrap_or_default())))
        }
        None => Ok(None),
    }
}

pub fn delete(conn: &Connection, info: &TableInfo, id: &str) -> Result<()> {
    conn.prepare_cached(&format!("DELETE FROM {} WHERE id = ?1", info.table))?
        .execute([id])?;
    Ok(())
}
