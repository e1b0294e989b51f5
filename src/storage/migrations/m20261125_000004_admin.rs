//! Bot administrators: `admins` (who redeemed an access code, and which) and `adminattempts`
//! (every `/admin <code>` attempt, for the limit on wrong codes).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

pub const PK_ADMINS: &str = "pk_admins";
pub const PK_ADMINATTEMPTS: &str = "pk_adminattempts";
/// The limit's count: one user's attempts in a time window.
const IX_ADMINATTEMPTS_USER_AT: &str = "ix_adminattempts_user_id_attempted_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Admins::Table)
                    .col(big_integer(Admins::UserId))
                    .col(uuid_null(Admins::CodeId))
                    .col(timestamp_with_time_zone(Admins::CreatedAt))
                    .primary_key(Index::create().name(PK_ADMINS).col(Admins::UserId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_admins_user_id")
                            .from(Admins::Table, Admins::UserId)
                            .to(Users::Table, Users::TelegramId)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_admins_code_id")
                            .from(Admins::Table, Admins::CodeId)
                            .to(Adminaccesscodes::Table, Adminaccesscodes::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Adminattempts::Table)
                    .col(uuid(Adminattempts::Id))
                    .col(big_integer(Adminattempts::UserId))
                    .col(timestamp_with_time_zone(Adminattempts::AttemptedAt))
                    .col(boolean(Adminattempts::Succeeded))
                    .primary_key(
                        Index::create()
                            .name(PK_ADMINATTEMPTS)
                            .col(Adminattempts::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_adminattempts_user_id")
                            .from(Adminattempts::Table, Adminattempts::UserId)
                            .to(Users::Table, Users::TelegramId)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(IX_ADMINATTEMPTS_USER_AT)
                    .table(Adminattempts::Table)
                    .col(Adminattempts::UserId)
                    .col(Adminattempts::AttemptedAt)
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Adminattempts::Table).take())
            .await?;
        manager
            .drop_table(Table::drop().table(Admins::Table).take())
            .await
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
