//! Fair queues: a queue may open at a set moment (`opens_at`) and draw the order of the presses
//! in its first minutes (`lottery_minutes`; `lottery_seed` once drawn); a participant may be
//! away (`away_since`) and is skipped by «Следующий» a counted number of times (`skipped`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer_null, integer, integer_null, timestamp_with_time_zone_null,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        let queue_columns = [
            timestamp_with_time_zone_null(Queues::OpensAt),
            integer_null(Queues::LotteryMinutes),
            big_integer_null(Queues::LotterySeed),
        ];
        for mut column in queue_columns {
            let alter = Table::alter()
                .table(Queues::Table)
                .add_column(&mut column)
                .take();
            manager.alter_table(alter).await?;
        }
        let participant_columns = [
            timestamp_with_time_zone_null(Queueparticipants::AwaySince),
            integer(Queueparticipants::Skipped).default(0).take(),
        ];
        for mut column in participant_columns {
            let alter = Table::alter()
                .table(Queueparticipants::Table)
                .add_column(&mut column)
                .take();
            manager.alter_table(alter).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Queues::OpensAt, Queues::LotteryMinutes, Queues::LotterySeed] {
            let alter = Table::alter()
                .table(Queues::Table)
                .drop_column(column)
                .take();
            manager.alter_table(alter).await?;
        }
        for column in [Queueparticipants::AwaySince, Queueparticipants::Skipped] {
            let alter = Table::alter()
                .table(Queueparticipants::Table)
                .drop_column(column)
                .take();
            manager.alter_table(alter).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Queues {
    Table,
    OpensAt,
    LotteryMinutes,
    LotterySeed,
}

#[derive(DeriveIden)]
enum Queueparticipants {
    Table,
    AwaySince,
    Skipped,
}
