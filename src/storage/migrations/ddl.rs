//! Building blocks of the migrations: column kinds and [`NewTable`], a `CREATE TABLE` with its
//! named keys and constraints, followed by its indexes.
//!
//! Migrations that already ran on a database are never run again there, but a new database
//! runs them all: what these helpers emit must not change.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{boolean, timestamp_with_time_zone};
use sea_orm_migration::sea_orm::DbBackend;

/// Default for timestamp columns filled in by the database.
///
/// PostgreSQL gets `CURRENT_TIMESTAMP`. SQLite stores timestamps as text and compares them
/// as text, so its default must produce exactly the format sqlx writes for a
/// `DateTime<Utc>` (RFC 3339, `T` separator, `+00:00` offset); SQLite's own
/// `CURRENT_TIMESTAMP` (`YYYY-MM-DD HH:MM:SS`) would sort wrongly against bound values.
fn now(backend: DbBackend) -> Expr {
    match backend {
        DbBackend::Sqlite => Expr::cust("strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')"),
        _ => Expr::current_timestamp(),
    }
}

/// A `timestamptz NOT NULL DEFAULT <now>` column.
pub(super) fn timestamp_now<T: IntoIden>(backend: DbBackend, col: T) -> ColumnDef {
    timestamp_with_time_zone(col).default(now(backend)).take()
}

/// A `boolean NOT NULL DEFAULT <value>` column.
pub(super) fn flag<T: IntoIden>(col: T, default: bool) -> ColumnDef {
    boolean(col).default(default).take()
}

/// An index over `cols` named `name`.
fn named<C: IntoIden>(name: &str, cols: impl IntoIterator<Item = C>) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name);
    for col in cols {
        index.col(col.into_iden());
    }
    index
}

/// A table to create: columns, keys and foreign keys in the order they are added, then the
/// table's plain indexes.
pub(super) struct NewTable {
    name: DynIden,
    table: TableCreateStatement,
    indexes: Vec<IndexCreateStatement>,
}

impl NewTable {
    pub(super) fn new(name: impl IntoIden) -> Self {
        let name = name.into_iden();
        let table = Table::create().table(name.clone()).take();
        Self {
            name,
            table,
            indexes: Vec::new(),
        }
    }

    pub(super) fn col(mut self, col: impl IntoColumnDef) -> Self {
        self.table.col(col);
        self
    }

    /// The primary key over `cols`, named `name`.
    pub(super) fn pk<C: IntoIden>(mut self, name: &str, cols: impl IntoIterator<Item = C>) -> Self {
        self.table.primary_key(&mut named(name, cols));
        self
    }

    /// A unique constraint over `cols`, named `name`.
    pub(super) fn unique<C: IntoIden>(
        mut self,
        name: &str,
        cols: impl IntoIterator<Item = C>,
    ) -> Self {
        self.table.index(named(name, cols).unique());
        self
    }

    /// A foreign key from `col` to `(ref_table, ref_col)`, named `fk_<table>_<col>`.
    pub(super) fn fk(
        mut self,
        col: impl IntoIden,
        (ref_table, ref_col): (impl IntoIden, impl IntoIden),
        on_delete: ForeignKeyAction,
    ) -> Self {
        let col = col.into_iden();
        self.table.foreign_key(
            ForeignKey::create()
                .name(format!("fk_{}_{col}", self.name))
                .from(self.name.clone(), col)
                .to(ref_table, ref_col)
                .on_delete(on_delete),
        );
        self
    }

    /// A plain (non-unique) index over `cols`, named `name`, created right after the table.
    pub(super) fn index<C: IntoIden>(
        mut self,
        name: &str,
        cols: impl IntoIterator<Item = C>,
    ) -> Self {
        self.indexes
            .push(named(name, cols).table(self.name.clone()).take());
        self
    }

    /// Runs `CREATE TABLE`, then `CREATE INDEX` for each index, in the order they were added.
    pub(super) async fn create(self, manager: &SchemaManager<'_>) -> Result<(), DbErr> {
        manager.create_table(self.table).await?;
        for index in self.indexes {
            manager.create_index(index).await?;
        }
        Ok(())
    }
}

/// Drops `tables`, in order (children before parents; indexes go with their tables).
pub(super) async fn drop_tables(
    manager: &SchemaManager<'_>,
    tables: impl IntoIterator<Item = DynIden>,
) -> Result<(), DbErr> {
    for table in tables {
        manager
            .drop_table(Table::drop().table(table).take())
            .await?;
    }
    Ok(())
}

/// Adds one column to an existing table (`ALTER TABLE … ADD COLUMN`: one column a statement,
/// which SQLite requires; a new column must be nullable or have a default there).
pub(super) async fn add_column(
    manager: &SchemaManager<'_>,
    table: impl IntoIden,
    column: impl IntoColumnDef,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).add_column(column).take())
        .await
}

/// Drops one column of a table.
pub(super) async fn drop_column(
    manager: &SchemaManager<'_>,
    table: impl IntoIden,
    column: impl IntoIden,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).drop_column(column).take())
        .await
}
