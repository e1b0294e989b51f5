//! Bot administrators: `admins` (who redeemed an access code, and which) and `adminattempts`
//! (every `/admin <code>` attempt, for the limit on wrong codes).

use ForeignKeyAction::{Cascade, SetNull};
use sea_orm_migration::{prelude::*, schema::*};

use super::ddl::{NewTable, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The keys that foreign keys reference, as `(table, column)`.
const USER: (Users, Users) = (Users::Table, Users::TelegramId);
const ADMINACCESSCODE: (Adminaccesscodes, Adminaccesscodes) =
    (Adminaccesscodes::Table, Adminaccesscodes::Id);

pub const PK_ADMINS: &str = "pk_admins";
pub const PK_ADMINATTEMPTS: &str = "pk_adminattempts";
/// The limit's count: one user's attempts in a time window.
const IX_ADMINATTEMPTS_USER_AT: &str = "ix_adminattempts_user_id_attempted_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        NewTable::new(Admins::Table)
            .col(big_integer(Admins::UserId))
            .col(uuid_null(Admins::CodeId))
            .col(timestamp_with_time_zone(Admins::CreatedAt))
            .pk(PK_ADMINS, [Admins::UserId])
            .fk(Admins::UserId, USER, Cascade)
            .fk(Admins::CodeId, ADMINACCESSCODE, SetNull)
            .create(manager)
            .await?;
        NewTable::new(Adminattempts::Table)
            .col(uuid(Adminattempts::Id))
            .col(big_integer(Adminattempts::UserId))
            .col(timestamp_with_time_zone(Adminattempts::AttemptedAt))
            .col(boolean(Adminattempts::Succeeded))
            .pk(PK_ADMINATTEMPTS, [Adminattempts::Id])
            .fk(Adminattempts::UserId, USER, Cascade)
            .index(
                IX_ADMINATTEMPTS_USER_AT,
                [Adminattempts::UserId, Adminattempts::AttemptedAt],
            )
            .create(manager)
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = [Adminattempts::Table.into_iden(), Admins::Table.into_iden()];
        drop_tables(manager, tables).await
    }
}

#[derive(DeriveIden)]
enum Admins {
    Table,
    UserId,
    CodeId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Adminattempts {
    Table,
    Id,
    UserId,
    AttemptedAt,
    Succeeded,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    TelegramId,
}

#[derive(DeriveIden)]
enum Adminaccesscodes {
    Table,
    Id,
}
