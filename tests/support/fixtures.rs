//! Fixtures the end-to-end tests share: groups with members, rows seeded straight into the
//! database, forms walked through the bot, what the bot stored read back, and what it delivered
//! counted and waited for.

use chrono::{NaiveDate, Utc};
use futures::future::join_all;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use study_group_bot::members::Role;
use study_group_bot::storage::entities::{
    changelog, events, groupinvitations, groupmembers, groups, queueparticipants, queues,
    topiclists, topics, topicselections,
};
use study_group_bot::telegram::callback::encode;
use uuid::Uuid;

use super::app::TestApp;
use super::fake_api::BOT_USERNAME;
use super::student::{HANDLING_TIMEOUT, Replies, Student};

// Groups and their members.

/// A group `group` led by a new student `leader`; returns (leader, group id).
pub async fn group_with_leader(app: &TestApp, leader: &str, group: &str) -> (Student, Uuid) {
    let leader = app.student(leader);
    let group_id = app.create_group(&leader, group).await;
    (leader, group_id)
}

/// A leader «Петрова Анна» with the group «ИВТ-21».
pub async fn leader_with_group(app: &TestApp) -> (Student, Uuid) {
    group_with_leader(app, "Петрова Анна", "ИВТ-21").await
}

/// `n` members of `group` («`prefix` Студент`i`»), registered concurrently.
pub async fn members(app: &TestApp, group: Uuid, n: usize, prefix: &str) -> Vec<Student> {
    let students: Vec<Student> = (0..n)
        .map(|i| app.student(&format!("{prefix} Студент{i}")))
        .collect();
    join_all(
        students
            .iter()
            .map(|s| app.add_member(group, s, Role::Member)),
    )
    .await;
    students
}

/// How many members `group` has.
pub async fn members_of(app: &TestApp, group: Uuid) -> u64 {
    groupmembers::Entity::find()
        .filter(groupmembers::Column::GroupId.eq(group))
        .count(&app.db)
        .await
        .expect("count members")
}

/// The group `student` is in, if any.
pub async fn group_of(app: &TestApp, student: &Student) -> Option<Uuid> {
    groupmembers::Entity::find()
        .filter(groupmembers::Column::UserId.eq(student.id()))
        .one(&app.db)
        .await
        .expect("query membership")
        .map(|m| m.group_id)
}

// Rows seeded straight into the database.

/// Sets the group's time zone directly.
pub async fn set_timezone(app: &TestApp, group: Uuid, zone: &str) {
    groups::Entity::update_many()
        .set(groups::ActiveModel {
            timezone: Set(zone.to_owned()),
            ..Default::default()
        })
        .filter(groups::Column::Id.eq(group))
        .exec(&app.db)
        .await
        .expect("time zone set");
}

/// An event on `date` stored directly.
pub async fn insert_event_on(
    app: &TestApp,
    group: Uuid,
    title: &str,
    date: NaiveDate,
    important: bool,
) -> Uuid {
    let id = Uuid::new_v4();
    events::ActiveModel {
        id: Set(id),
        group_id: Set(group),
        created_by_user_id: Set(None),
        title: Set(title.to_owned()),
        description: Set(None),
        subject: Set(None),
        event_date: Set(date),
        is_important: Set(important),
        created_at: Set(Utc::now()),
    }
    .insert(&app.db)
    .await
    .expect("event inserted");
    id
}

/// An ordinary event today (UTC) stored directly.
pub async fn insert_event(app: &TestApp, group: Uuid, title: &str) -> Uuid {
    insert_event_on(app, group, title, Utc::now().date_naive(), false).await
}

/// A queue on `event` without a description or a limit, stored directly.
pub async fn insert_queue(app: &TestApp, event: Uuid, title: &str) -> Uuid {
    let id = Uuid::new_v4();
    queues::ActiveModel {
        id: Set(id),
        event_id: Set(event),
        title: Set(title.to_owned()),
        description: Set(None),
        max_participants: Set(None),
        created_at: Set(Utc::now()),
        is_closed: Set(false),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("queue inserted");
    id
}

/// A topic list «Темы рефератов» on `event` with `titles`, `capacity` students per topic,
/// stored directly; returns (list, topic ids in order).
pub async fn insert_topics(
    app: &TestApp,
    event: Uuid,
    titles: &[&str],
    capacity: i32,
) -> (Uuid, Vec<Uuid>) {
    let list = Uuid::new_v4();
    topiclists::ActiveModel {
        id: Set(list),
        event_id: Set(event),
        title: Set("Темы рефератов".to_owned()),
        max_participants_per_topic: Set(capacity),
        created_by_user_id: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("topic list inserted");
    let mut ids = Vec::new();
    for (i, title) in titles.iter().enumerate() {
        let id = Uuid::new_v4();
        topics::ActiveModel {
            id: Set(id),
            topic_list_id: Set(list),
            title: Set((*title).to_owned()),
            description: Set(None),
            position: Set(i as i32 + 1),
        }
        .insert(&app.db)
        .await
        .expect("topic inserted");
        ids.push(id);
    }
    (list, ids)
}

// Forms walked through the bot.

/// `student` opens the event card (a forged press of its button); every request is accepted.
pub async fn open_card(student: &Student, event: Uuid) {
    student
        .forge_callback(&encode(&study_group_bot::telegram::events::Action::Open {
            event,
        }))
        .await
        .expect_all_accepted();
}

/// A leader with the group «ИВТ-21» and an event `title` stored directly; returns
/// (leader, group, event).
pub async fn group_with_event(app: &TestApp, title: &str) -> (Student, Uuid, Uuid) {
    let (leader, group) = leader_with_group(app).await;
    let event = insert_event(app, group, title).await;
    (leader, group, event)
}

/// The leader attaches a queue through the event card's «➕ Очередь»: `title` (or the default
/// for `None`), no description, `max` (or no limit). Returns the queue's id.
pub async fn attach_queue(
    app: &TestApp,
    leader: &Student,
    event: Uuid,
    title: Option<&str>,
    max: Option<&str>,
) -> Uuid {
    open_card(leader, event).await;
    leader
        .click_button("➕ Очередь")
        .await
        .expect_text_contains("Как её назвать");
    match title {
        Some(title) => leader.send(title).await,
        None => leader.click_button("Оставить «Очередь»").await,
    }
    .expect_text_contains("Описание очереди");
    leader.send("/skip").await.expect_text_contains("Максимум");
    leader
        .send(max.unwrap_or("/skip"))
        .await
        .expect_all_accepted()
        .expect_text_contains("создана");
    queues::Entity::find()
        .filter(queues::Column::EventId.eq(event))
        .order_by_desc(queues::Column::CreatedAt)
        .one(&app.db)
        .await
        .expect("query queues")
        .expect("the queue exists")
        .id
}

/// A group with a leader, an event «Лабораторная 3» and a queue «Защита лаб» on it, at most
/// `max`; returns (leader, group, queue).
pub async fn group_with_queue(app: &TestApp, max: Option<&str>) -> (Student, Uuid, Uuid) {
    let (leader, group, event) = group_with_event(app, "Лабораторная 3").await;
    let queue = attach_queue(app, &leader, event, Some("Защита лаб"), max).await;
    (leader, group, queue)
}

/// `student` opens the queue screen (as from the event card); the press is answered.
pub async fn open_queue(student: &Student, queue: Uuid) -> Replies {
    // An unchanged screen is not sent again (only the press is answered).
    let replies = student
        .forge_callback(&encode(&study_group_bot::telegram::queues::Action::Open {
            queue,
        }))
        .await;
    replies.expect_answered();
    replies
}

/// Walks the topic-list form from the event card up to the topics step.
pub async fn start_list(leader: &Student, event: Uuid, title: &str, capacity: &str) {
    open_card(leader, event).await;
    leader
        .click_button("➕ Список тем")
        .await
        .expect_text_contains("название списка");
    leader
        .send(title)
        .await
        .expect_text_contains("Сколько студентов");
    leader
        .send(capacity)
        .await
        .expect_text_contains("по одной на строке");
}

/// Attaches a topic list through the bot (`topics` one a line); returns its id.
pub async fn attach_list(
    app: &TestApp,
    leader: &Student,
    event: Uuid,
    title: &str,
    capacity: &str,
    topics: &str,
) -> Uuid {
    start_list(leader, event, title, capacity).await;
    leader
        .send(topics)
        .await
        .expect_all_accepted()
        .expect_text_contains("создан");
    list_id(app, title).await
}

/// The callback data of picking `topic` (from the list's first page).
pub fn pick_data(topic: Uuid) -> String {
    encode(&study_group_bot::telegram::topics::Action::Pick { topic, page: 0 })
}

/// The token of the invite link in `text` (`…?start=<token>`).
pub fn token_in(text: &str) -> String {
    let (_, rest) = text
        .split_once("?start=")
        .unwrap_or_else(|| panic!("no invite link in {text:?}"));
    rest.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// The invite link of `token`.
pub fn link(token: &str) -> String {
    format!("https://t.me/{BOT_USERNAME}?start={token}")
}

/// `/invite`: the link with the default options, made at once; its token.
pub async fn create_link(manager: &Student) -> String {
    let replies = manager.send("/invite").await;
    replies
        .expect_all_accepted()
        .expect_text_contains("Ссылка-приглашение создана");
    let text = replies.last_text();
    let token = token_in(&text);
    assert!(
        text.contains(&format!("<code>{}</code>", link(&token))),
        "{text}"
    );
    token
}

/// `/invite` (a default link too) → «⬜ Одноразовая» → «Создать ссылку»; the new link's token.
pub async fn create_single_use_link(manager: &Student) -> String {
    manager.send("/invite").await;
    manager
        .click_button("⬜ Одноразовая")
        .await
        .expect_text_contains("Одноразовая: по ссылке сможет вступить только один человек");
    let created = manager.click_button("Создать ссылку").await;
    created
        .expect_all_accepted()
        .expect_text_contains("Одноразовая: по ней сможет вступить только один человек");
    token_in(&created.last_text())
}

// What the bot stored.

/// How many change-log entries of `action` there are.
pub async fn log_count(app: &TestApp, action: &str) -> u64 {
    changelog::Entity::find()
        .filter(changelog::Column::ActionType.eq(action))
        .count(&app.db)
        .await
        .expect("changelog")
}

/// The queue's participants as `(user_id, position)`, by position.
pub async fn positions(app: &TestApp, queue: Uuid) -> Vec<(i64, i32)> {
    queueparticipants::Entity::find()
        .filter(queueparticipants::Column::QueueId.eq(queue))
        .order_by_asc(queueparticipants::Column::Position)
        .all(&app.db)
        .await
        .expect("participants")
        .into_iter()
        .map(|p| (p.user_id, p.position))
        .collect()
}

/// The id of the topic list titled `title`.
pub async fn list_id(app: &TestApp, title: &str) -> Uuid {
    topiclists::Entity::find()
        .filter(topiclists::Column::Title.eq(title))
        .one(&app.db)
        .await
        .expect("query")
        .expect("the list exists")
        .id
}

/// The list's topics, by position.
pub async fn topic_ids(app: &TestApp, list: Uuid) -> Vec<Uuid> {
    topics::Entity::find()
        .filter(topics::Column::TopicListId.eq(list))
        .order_by_asc(topics::Column::Position)
        .all(&app.db)
        .await
        .expect("topics")
        .into_iter()
        .map(|t| t.id)
        .collect()
}

/// Every topic pick stored.
pub async fn picks(app: &TestApp) -> Vec<topicselections::Model> {
    topicselections::Entity::find()
        .all(&app.db)
        .await
        .expect("picks")
}

/// The stored invitation of `token`.
pub async fn invite_row(app: &TestApp, token: &str) -> groupinvitations::Model {
    groupinvitations::Entity::find()
        .filter(groupinvitations::Column::InviteToken.eq(token))
        .one(&app.db)
        .await
        .expect("query invitations")
        .expect("the invitation is stored")
}

// What the bot delivered.

/// Texts the bot sent to `chat` (and Telegram accepted) since `since`.
pub fn texts_to(app: &TestApp, chat: i64, since: u64) -> Vec<String> {
    app.tg
        .requests_since(since)
        .iter()
        .filter(|r| r.is_ok() && r.method == "sendMessage" && r.chat_id() == Some(chat))
        .filter_map(|r| r.text().map(str::to_owned))
        .collect()
}

/// Accepted `sendMessage`s to `student` whose text contains `needle`.
pub fn delivered(app: &TestApp, student: &Student, needle: &str) -> usize {
    app.tg
        .requests_for_chat(student.id())
        .iter()
        .filter(|r| r.method == "sendMessage" && r.status == 200)
        .filter(|r| r.text().is_some_and(|t| t.contains(needle)))
        .count()
}

/// Waits until `student` has been sent a message containing `needle`.
pub async fn wait_delivered(app: &TestApp, student: &Student, needle: &str) {
    wait_delivered_times(app, student, needle, 1).await;
}

/// Waits until `student` has been sent `n` messages containing `needle`.
pub async fn wait_delivered_times(app: &TestApp, student: &Student, needle: &str, n: usize) {
    let deadline = tokio::time::Instant::now() + HANDLING_TIMEOUT;
    loop {
        // Taken before looking, so a message arriving in between still wakes the wait.
        let seq = app.tg.next_seq();
        if delivered(app, student, needle) >= n {
            return;
        }
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        assert!(!left.is_zero(), "{n} × {needle:?} not delivered in time");
        let _ = app
            .tg
            .wait_for_chat(student.id(), seq, left, |_| true)
            .await;
    }
}

/// The group's Telegram chat `chat`, known to the fake Bot API and bound by `leader` (as
/// `/bind` and its confirmation would), without posting reminders there.
pub async fn bind_chat(app: &TestApp, group: Uuid, leader: &Student, chat: i64, title: &str) {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    use study_group_bot::storage::entities::groupchats;
    app.tg.add_group_chat(chat, title);
    groupchats::ActiveModel {
        id: Set(Uuid::new_v4()),
        group_id: Set(group),
        chat_id: Set(chat),
        title: Set(title.into()),
        bound_by: Set(Some(leader.id())),
        bound_at: Set(Utc::now()),
        post_reminders: Set(false),
    }
    .insert(&app.db)
    .await
    .expect("chat bound");
}
