//! What students see stays true: a queue screen follows its student's place, a new event in
//! the group's chat opens its card in the private chat. On SQLite and PostgreSQL, through the
//! fake Bot API.

mod support;

use study_group_bot::members::Role;
use support::app::{Backend, TestApp};
use support::fake_api::{Recorded, SentMessage};
use support::fixtures::{group_with_queue, leader_with_group, open_queue};
use support::student::{HANDLING_TIMEOUT, Student};

const JOIN: &str = "Встать в очередь";
const LEAVE: &str = "Выйти из очереди";

/// Waits until `student`'s message `message` satisfies `shows`; panics with what it shows.
async fn wait_until_shown(
    app: &TestApp,
    student: &Student,
    message: i64,
    shows: impl Fn(&SentMessage) -> bool,
) -> SentMessage {
    let chat = student.id();
    let deadline = tokio::time::Instant::now() + HANDLING_TIMEOUT;
    loop {
        // Taken before looking, so an edit arriving in between still wakes the wait.
        let seq = app.tg.next_seq();
        let now = app.tg.message(chat, message);
        if let Some(now) = now.filter(|m| shows(m)) {
            return now;
        }
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        assert!(
            !left.is_zero(),
            "message {message} never showed it; it shows {:?}",
            app.tg.message(chat, message).map(|m| m.raw_text)
        );
        let _ = app.tg.wait_for_chat(chat, seq, left, |_| true).await;
    }
}

fn buttons(message: &SentMessage) -> Vec<String> {
    message
        .inline_buttons()
        .into_iter()
        .flatten()
        .map(|(text, _)| text)
        .collect()
}

/// Every request the bot made to `student`'s chat was accepted (no edit refused as "not
/// modified").
fn all_accepted(app: &TestApp, student: &Student) {
    let refused: Vec<String> = app
        .tg
        .requests_for_chat(student.id())
        .iter()
        .filter(|r| r.status != 200)
        .map(Recorded::summary)
        .collect();
    assert!(refused.is_empty(), "refused: {refused:#?}");
}

both_backends!(
    a_students_queue_screen_follows_their_place,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group, queue) = group_with_queue(&app, None).await;
        let anna = app.student("Андреева Анна");
        let boris = app.student("Борисов Борис");
        let vera = app.student("Васильева Вера");
        let mut screens = Vec::new();
        for s in [&anna, &boris, &vera] {
            app.add_member(group, s, Role::Member).await;
            open_queue(s, queue).await;
            s.click_button(JOIN).await.expect_all_accepted();
            let screen = s.message_with_button(LEAVE).expect("the queue screen");
            screens.push(screen.message_id);
        }
        assert!(
            app.tg
                .message(vera.id(), screens[2])
                .is_some_and(|m| m.raw_text.contains("👉 <b>3. Васильева Вера</b>"))
        );

        // «Следующий»: Анна's turn is over; Борис is first, Вера second — their screens say so.
        open_queue(&leader, queue).await;
        leader.click_button("Следующий").await.expect_all_accepted();
        let boris_screen = wait_until_shown(&app, &boris, screens[1], |m| {
            m.raw_text.contains("👉 <b>1. Борисов Борис</b>")
        })
        .await;
        assert!(buttons(&boris_screen).contains(&LEAVE.to_owned()));
        wait_until_shown(&app, &vera, screens[2], |m| {
            m.raw_text.contains("👉 <b>2. Васильева Вера</b>")
        })
        .await;
        // Анна was called: her screen offers to join again and marks no place of hers.
        let anna_screen = wait_until_shown(&app, &anna, screens[0], |m| {
            buttons(m).contains(&JOIN.to_owned())
        })
        .await;
        assert!(
            !anna_screen.raw_text.contains("👉"),
            "{}",
            anna_screen.raw_text
        );
        assert!(!buttons(&anna_screen).contains(&LEAVE.to_owned()));

        // Борис is called too: no «👉 1.» and no «Выйти из очереди» left on his screen.
        leader.click_button("Следующий").await.expect_all_accepted();
        let boris_screen = wait_until_shown(&app, &boris, screens[1], |m| {
            buttons(m).contains(&JOIN.to_owned())
        })
        .await;
        assert!(
            !boris_screen.raw_text.contains("👉"),
            "{}",
            boris_screen.raw_text
        );
        wait_until_shown(&app, &vera, screens[2], |m| {
            m.raw_text.contains("👉 <b>1. Васильева Вера</b>")
        })
        .await;

        // Вера leaves the screen for the event card: the card is not overwritten later.
        vera.click_button("◀️ К событию")
            .await
            .expect_all_accepted();
        let card = vera.message_with_button("◀️ К событию");
        assert!(card.is_none_or(|m| m.message_id != screens[2]));
        let dima = app.student("Дмитриев Дмитрий");
        app.add_member(group, &dima, Role::Member).await;
        open_queue(&dima, queue).await;
        dima.click_button(JOIN).await;
        open_queue(&leader, queue).await;
        leader.click_button("Следующий").await.expect_all_accepted();
        // Вера was called (her card shows no queue); Дмитрий's screen says he is first.
        let dima_screen = dima.message_with_button(LEAVE).expect("his screen");
        wait_until_shown(&app, &dima, dima_screen.message_id, |m| {
            m.raw_text.contains("👉 <b>1. Дмитриев Дмитрий</b>")
        })
        .await;
        let vera_message = app.tg.message(vera.id(), screens[2]).expect("her message");
        assert!(
            !vera_message.raw_text.contains("Васильева Вера"),
            "{}",
            vera_message.raw_text
        );
        for s in [&anna, &boris, &vera, &dima] {
            all_accepted(&app, s);
        }
    }
);

/// A group chat `chat` with the bot, bound to `leader`'s group through /bind.
async fn bound_chat(app: &TestApp, leader: &Student, chat: i64) {
    app.tg.add_group_chat(chat, "ИВТ-21 чат");
    let update = app.tg.add_bot_to_group(chat, &leader.user);
    app.wait_handled(update).await;
    let prompt = leader.send_in_group(chat, "/bind").await;
    let message = prompt
        .0
        .iter()
        .find(|r| r.method == "sendMessage" && r.is_ok())
        .and_then(Recorded::message_id)
        .expect("the bot answers /bind in the chat");
    let (replies, _) = leader
        .press_in_group(chat, message, "✅ Привязать к моей группе")
        .await;
    replies.expect_text_contains("Чат привязан к группе");
}

/// The URLs of the inline buttons of a request.
fn urls(request: &Recorded) -> Vec<String> {
    let rows = request
        .reply_markup()
        .and_then(|m| m.get("inline_keyboard"))
        .and_then(|rows| rows.as_array())
        .cloned()
        .unwrap_or_default();
    rows.iter()
        .filter_map(|row| row.as_array())
        .flatten()
        .filter_map(|button| button.get("url")?.as_str().map(str::to_owned))
        .collect()
}

both_backends!(
    a_new_event_in_the_chat_opens_its_card_in_private,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group) = leader_with_group(&app).await;
        let chat = -100_777;
        bound_chat(&app, &leader, chat).await;
        let olga = app.student("Смирнова Ольга");
        app.add_member(group, &olga, Role::Member).await;

        // The leader creates an event: the chat's post carries a link to the bot.
        let since = app.tg.next_seq();
        leader.press("📅 События и Бронь").await;
        leader.click_button("➕ Новое событие").await;
        leader.send("Коллоквиум").await;
        leader.send("/skip").await;
        let day = chrono::Utc::now().date_naive() + chrono::Duration::days(10);
        leader.send(&day.format("%d.%m.%Y").to_string()).await;
        leader.send("/skip").await;
        leader.send("нет").await;
        leader
            .click_button("✅ Сохранить")
            .await
            .expect_text_contains("создано");
        let post = app
            .tg
            .wait_for_chat(chat, since, HANDLING_TIMEOUT, |r| {
                r.method == "sendMessage"
                    && r.is_ok()
                    && r.text().is_some_and(|t| t.contains("Коллоквиум"))
            })
            .await
            .unwrap_or_else(|err| panic!("{err}"));
        let links = urls(&post);
        assert_eq!(links.len(), 1, "{post:?}");
        let (bot, payload) = links[0]
            .strip_prefix("https://t.me/")
            .and_then(|rest| rest.split_once("?start="))
            .unwrap_or_else(|| panic!("not a deep link: {}", links[0]));
        assert!(!bot.is_empty());
        assert!(payload.len() <= 64, "{payload}");
        assert!(
            payload
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'),
            "{payload}"
        );

        // A member following it gets the card in private.
        olga.send(&format!("/start {payload}"))
            .await
            .expect_all_accepted()
            .expect_text_contains("Коллоквиум")
            .expect_text_contains(&day.format("%d.%m.%Y").to_string());

        // Someone of another group, or of none, is refused as for any event not theirs.
        let (_other_leader, other) =
            support::fixtures::group_with_leader(&app, "Петров Пётр", "ПМИ-11").await;
        let stranger = app.student("Чужой Иван");
        stranger.send("/start").await;
        let refused = stranger.send(&format!("/start {payload}")).await;
        refused
            .expect_all_accepted()
            .expect_no_text_contains("Коллоквиум");
        let outsider = app.student("Посторонний Павел");
        app.add_member(other, &outsider, Role::Member).await;
        outsider
            .send(&format!("/start {payload}"))
            .await
            .expect_all_accepted()
            .expect_no_text_contains("Коллоквиум");

        // A malformed link is the plain /start: the menu, nothing else.
        for bad in ["ev_", "ev_AAAAAAAAAAAAAAAAAAAAAB", &format!("{payload}x")] {
            olga.send(&format!("/start {bad}"))
                .await
                .expect_all_accepted()
                .expect_no_text_contains("Коллоквиум")
                .expect_text_contains("ИВТ-21");
        }
    }
);

/// Every reply keyboard sent to `student`, its labels flattened.
fn reply_keyboards(app: &TestApp, student: &Student) -> Vec<Vec<String>> {
    app.tg
        .requests_for_chat(student.id())
        .iter()
        .map(Recorded::reply_keyboard_texts)
        .filter(|rows| !rows.is_empty())
        .map(|rows| rows.into_iter().flatten().collect())
        .collect()
}

both_backends!(
    the_count_of_new_events_is_never_stale,
    |backend: Backend| async move {
        use support::fixtures::insert_event_on;
        let app = TestApp::spawn(backend).await;
        let (_leader, group) = leader_with_group(&app).await;
        // Ольга joined before the events existed.
        let olga = app.student("Смирнова Ольга");
        app.add_member(group, &olga, Role::Member).await;
        olga.send("/start").await;
        let soon = chrono::Utc::now().date_naive() + chrono::Duration::days(5);
        let first = insert_event_on(&app, group, "Лаба 1", soon, false).await;
        insert_event_on(&app, group, "Лаба 2", soon, false).await;

        // The events screen counts both for her.
        olga.press("📅 События и Бронь")
            .await
            .expect_all_accepted()
            .expect_text_contains("У вас 2 новых события");
        // She opens one; back on the calendar the count is one.
        support::fixtures::open_card(&olga, first).await;
        olga.click_button("◀️ К календарю")
            .await
            .expect_all_accepted()
            .expect_text_contains("У вас 1 новое событие");
        olga.send("/menu").await.expect_all_accepted();
        // No keyboard she was sent carries a count that could go stale.
        let keyboards = reply_keyboards(&app, &olga);
        assert!(!keyboards.is_empty());
        for keyboard in keyboards {
            assert!(
                keyboard.iter().all(|label| !label.contains('🆕')),
                "{keyboard:?}"
            );
        }
    }
);

both_backends!(
    a_day_with_one_event_opens_its_card_from_the_month,
    |backend: Backend| async move {
        use chrono::Datelike;
        use study_group_bot::events::calendar::Month;
        use study_group_bot::telegram::callback::encode;
        use support::fixtures::insert_event_on;
        let app = TestApp::spawn(backend).await;
        let (_leader, group) = leader_with_group(&app).await;
        let olga = app.student("Смирнова Ольга");
        app.add_member(group, &olga, Role::Member).await;
        let one = chrono::Utc::now().date_naive() + chrono::Duration::days(40);
        let two = if one.day() > 1 {
            one.pred_opt().expect("a day before")
        } else {
            one.succ_opt().expect("a day after")
        };
        insert_event_on(&app, group, "Коллоквиум", one, false).await;
        insert_event_on(&app, group, "Лаба 4", two, false).await;
        insert_event_on(&app, group, "Лаба 5", two, false).await;

        olga.send("/start").await;
        olga.forge_callback(&encode(&study_group_bot::telegram::events::Action::Month {
            month: Month::of(one),
        }))
        .await
        .expect_all_accepted();
        // One tap from the month: the card itself.
        olga.click_button(&format!("{}•", one.day()))
            .await
            .expect_all_accepted()
            .expect_text_contains("Коллоквиум")
            .expect_text_contains(&one.format("%d.%m.%Y").to_string());
        assert!(olga.message_with_button("◀️ К календарю").is_some());
        // Two events: the day's list.
        olga.click_button("◀️ К календарю").await;
        let day = olga.click_button(&format!("{}•", two.day())).await;
        day.expect_all_accepted();
        let buttons = day.button_texts().join(" | ");
        assert!(
            buttons.contains("Лаба 4") && buttons.contains("Лаба 5"),
            "{buttons}"
        );
    }
);

both_backends!(
    the_history_names_what_each_change_was_about,
    |backend: Backend| async move {
        let app = TestApp::spawn(backend).await;
        let (leader, group, queue) = group_with_queue(&app, None).await;
        support::fixtures::set_timezone(&app, group, "Asia/Novosibirsk").await;
        let olga = app.student("Смирнова Ольга");
        app.add_member(group, &olga, Role::Member).await;
        open_queue(&olga, queue).await;
        olga.click_button(JOIN).await.expect_all_accepted();

        leader.press("⚙️ Настройки группы").await;
        let text = leader
            .click_button("📜 История изменений")
            .await
            .expect_all_accepted()
            .last_text();
        // Which queue, not only «запись в очередь»; times in the group's zone, named as the
        // zone picker names it.
        assert!(
            text.contains("запись в очередь · очередь «Защита лаб»"),
            "{text}"
        );
        assert!(
            text.contains("создание очереди · очередь «Защита лаб»"),
            "{text}"
        );
        assert!(text.contains("Новосибирск (UTC+7)"), "{text}");
        assert!(!text.contains("Asia/Novosibirsk"), "{text}");
        let local = chrono::Utc::now()
            .with_timezone(&chrono_tz::Asia::Novosibirsk)
            .format("%d.%m.%Y")
            .to_string();
        assert!(text.contains(&local), "{text}");
    }
);

both_backends!(
    a_queue_without_a_title_is_named_in_the_readers_language,
    |backend: Backend| async move {
        use sea_orm::EntityTrait;
        use study_group_bot::storage::entities::queues;
        let app = TestApp::spawn(backend).await;
        let (leader, group) = support::fixtures::leader_with_group(&app).await;
        // Days ahead: upcoming in every zone, so «Мои очереди и темы» lists it at any hour.
        let date = chrono::Utc::now().date_naive() + chrono::Days::new(3);
        let event = support::fixtures::insert_event_on(&app, group, "Lab 3", date, false).await;
        // The Russian-speaking leader keeps the default title.
        let queue = support::fixtures::attach_queue(&app, &leader, event, None, None).await;
        let stored = queues::Entity::find_by_id(queue)
            .one(&app.db)
            .await
            .expect("query")
            .expect("the queue");
        assert_eq!(stored.title, "", "no title stored in the leader's language");
        leader
            .press("🙋 Мои очереди и темы")
            .await
            .expect_text_contains("Очередь");

        let john = Student::with_language(&app.tg, &app.db, "Smith John", "en");
        app.add_member(group, &john, Role::Member).await;
        john.send("/start").await;
        open_queue(&john, queue).await;
        let screen = john.click_button("Join the queue").await;
        screen.expect_all_accepted();
        let message = john
            .message_with_button("Leave the queue")
            .expect("his queue screen");
        assert!(message.text.contains("Queue"), "{}", message.text);
        let cyrillic = |s: &str| s.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
        assert!(!cyrillic(&message.text), "{}", message.text);
        for label in buttons(&message) {
            assert!(!cyrillic(&label), "{label}");
        }
    }
);
