//! F7: topic lists — attaching (by message and by .txt), browsing, picking, changing, confirming,
//! rejecting, the distribution and its CSV — as students click them, on SQLite and PostgreSQL,
//! through the fake Bot API. Picks under simultaneous presses: see `tests/races.rs`.

mod support;

use sea_orm::{EntityTrait, PaginatorTrait};
use study_group_bot::members::Role;
use study_group_bot::storage::entities::{dialogues, topiclists};
use study_group_bot::telegram::callback::encode;
use study_group_bot::telegram::topics::Action;
use support::app::TestApp;
use support::fixtures::{
    attach_list, group_with_event, list_id, log_count, members, open_card, pick_data, picks,
    start_list, topic_ids,
};

both_backends!(full_flow_as_clicked, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let (leader, group, event) = group_with_event(&app, "Семинар").await;
    let ivan = app.student("Иванов Иван");
    let olga = app.student("Сидорова Ольга");
    app.add_member(group, &ivan, Role::Member).await;
    app.add_member(group, &olga, Role::Member).await;

    let list = attach_list(
        &app,
        &leader,
        event,
        "Доклады",
        "1",
        "Алгебра\n\n  Геометрия \nТопология <b>",
    )
    .await;
    assert_eq!(topic_ids(&app, list).await.len(), 3);
    assert_eq!(log_count(&app, "topics.create").await, 1);
    let dialogue = dialogues::Entity::find_by_id(leader.id())
        .one(&app.db)
        .await
        .expect("query");
    assert!(dialogue.is_none(), "the form is finished");

    // A member opens the list from the event card.
    open_card(&ivan, event).await;
    let shown = ivan.click_button("📋 Доклады").await;
    // Each topic once (its button), no «свободно 1 из 1» over and over.
    shown
        .expect_all_accepted()
        .expect_no_text_contains("свободно 1 из 1")
        .expect_no_text_contains("Алгебра");
    assert!(
        shown
            .button_texts()
            .iter()
            .any(|b| b.starts_with("3. Топология <b>"))
    );
    ivan.click_button("1. Алгебра").await.expect_all_accepted();
    let after = ivan.click_button("2. Геометрия").await;
    assert!(
        after
            .expect_answered()
            .unwrap_or_default()
            .contains("сменили")
    );
    // One's own pick is marked on its button and named above, never «занята».
    after
        .expect_text_contains("Геометрия")
        .expect_no_text_contains("занята");
    assert!(after.button_texts().contains(&"👉 2. Геометрия".to_owned()));
    assert_eq!(picks(&app).await.len(), 1);

    // Olga loses Геометрия to Ivan, takes Алгебра.
    open_card(&olga, event).await;
    olga.click_button("📋 Доклады").await;
    let lost = olga.click_button("2. Геометрия").await;
    assert!(
        lost.expect_answered()
            .unwrap_or_default()
            .contains("занята")
    );
    olga.click_button("1. Алгебра").await.expect_all_accepted();
    olga.click_button("⭐ Моя тема")
        .await
        .expect_text_contains("Алгебра");

    // The leader's distribution: confirm Ivan, reject Olga.
    open_card(&leader, event).await;
    leader.click_button("📋 Доклады").await;
    leader
        .click_button("📊 Распределение")
        .await
        .expect_all_accepted()
        .expect_text_contains("⏳ Иванов Иван")
        .expect_text_contains("Без темы (1)");
    leader.click_button("👥 2. Геометрия").await;
    let since = app.tg.next_seq();
    leader
        .click_button("✅ Иванов Иван")
        .await
        .expect_all_accepted();
    let told = app.tg.requests_since(since);
    assert!(told.iter().any(|r| {
        r.chat_id() == Some(ivan.id())
            && r.text()
                .is_some_and(|t| t.contains("подтверждён") && t.contains("📅 Семинар, "))
    }));
    let stuck = ivan
        .forge_callback(&pick_data(topic_ids(&app, list).await[2]))
        .await;
    assert!(
        stuck
            .expect_answered()
            .unwrap_or_default()
            .contains("окончател")
    );

    leader.click_button("◀️ К распределению").await;
    leader.click_button("👥 1. Алгебра").await;
    let since = app.tg.next_seq();
    leader
        .click_button("✖️ Сидорова Ольга")
        .await
        .expect_all_accepted();
    let told = app.tg.requests_since(since);
    assert!(told.iter().any(
        |r| r.chat_id() == Some(olga.id()) && r.text().is_some_and(|t| t.contains("отклонён"))
    ));
    let left = picks(&app).await;
    assert_eq!(left.len(), 1);
    assert!(left[0].is_confirmed && left[0].user_id == ivan.id());
    assert_eq!(log_count(&app, "topic.confirm").await, 1);
    assert_eq!(log_count(&app, "topic.reject").await, 1);

    // CSV export.
    leader.click_button("◀️ К распределению").await;
    let export = leader.click_button("📄 Выгрузить CSV").await;
    let documents = export.documents();
    assert_eq!(documents.len(), 1);
    let (name, bytes) = &documents[0];
    assert!(name.ends_with(".csv"));
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    assert!(
        text.starts_with("Тема;Студент;Username;Подтверждено;Выбрано\r\n"),
        "{text}"
    );
    assert!(text.contains("Геометрия;Иванов Иван;student"), "{text}");
    assert!(text.contains(";да;"), "{text}");
    assert!(text.contains("Алгебра;;;;"), "{text}");
});

both_backends!(attach_by_document_and_refusals, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let (leader, _group, event) = group_with_event(&app, "Семинар").await;
    start_list(&leader, event, "Курсовые", "2").await;

    let binary = leader
        .send_document("topics.txt", b"PK\x03\x04\x00\x00\x01")
        .await;
    binary
        .expect_all_accepted()
        .expect_text_contains("не текстовый");
    let big = vec![b'a'; 5 * 1024 * 1024];
    leader
        .send_document("big.txt", &big)
        .await
        .expect_text_contains("слишком большой");
    leader
        .send_document("empty.txt", b"\xEF\xBB\xBF\n \n")
        .await
        .expect_text_contains("пустой");
    leader
        .send_document("cp1251.txt", b"\xd2\xe5\xec\xe0")
        .await
        .expect_text_contains("UTF-8");
    let many: Vec<String> = (1..=201).map(|i| format!("Тема {i}")).collect();
    leader
        .send(&many.join("\n"))
        .await
        .expect_text_contains("Слишком много тем");
    leader
        .send("Одна\nДругая\n одна ")
        .await
        .expect_text_contains("повторяются")
        .expect_text_contains("одна");
    assert_eq!(
        topiclists::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        0
    );

    let mut file = b"\xEF\xBB\xBF".to_vec();
    file.extend_from_slice("Первая тема\r\nВторая тема\r\n\r\nТретья тема\r\n".as_bytes());
    leader
        .send_document("topics.txt", &file)
        .await
        .expect_all_accepted()
        .expect_text_contains("создан");
    let list = list_id(&app, "Курсовые").await;
    assert_eq!(topic_ids(&app, list).await.len(), 3);

    // Adding later: an existing topic is reported; new ones are added.
    leader.click_button("📊 Распределение").await;
    leader.click_button("➕ Добавить темы").await;
    leader
        .send("первая тема")
        .await
        .expect_text_contains("уже есть");
    leader
        .send("Четвёртая тема")
        .await
        .expect_text_contains("Теперь в нём 4 темы");
    assert_eq!(log_count(&app, "topics.add").await, 1);

    // /cancel leaves no trace.
    open_card(&leader, event).await;
    leader.click_button("➕ Список тем").await;
    leader.send("Черновик").await;
    leader.send("/cancel").await;
    assert_eq!(
        topiclists::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        1
    );
});

both_backends!(forged_callbacks_are_refused, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let (leader, group, event) = group_with_event(&app, "Семинар").await;
    let ivan = app.student("Иванов Иван");
    app.add_member(group, &ivan, Role::Member).await;
    let list = attach_list(&app, &leader, event, "Доклады", "1", "Алгебра\nГеометрия").await;
    let topics = topic_ids(&app, list).await;
    ivan.forge_callback(&pick_data(topics[0])).await;

    leader
        .forge_callback(&encode(&Action::Topic { topic: topics[0] }))
        .await;
    let confirm = leader.button_data("✅ Иванов Иван");
    let reject = leader.button_data("✖️ Иванов Иван");
    for data in [&confirm, &reject] {
        let refused = ivan.forge_callback(data).await;
        refused.expect_all_accepted();
        assert!(refused.expect_answered().is_some());
    }
    let stored = picks(&app).await;
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].is_confirmed);
    // A member cannot open the distribution or delete the list either.
    ivan.forge_callback(&encode(&Action::DeleteConfirmed { list }))
        .await;
    assert_eq!(
        topiclists::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        1
    );

    // Another group's member cannot touch this group's topics.
    let other = app.student("Чужой Пётр");
    app.create_group(&other, "Другая").await;
    let refused = other.forge_callback(&pick_data(topics[1])).await;
    assert!(
        refused
            .expect_answered()
            .unwrap_or_default()
            .contains("не найден")
    );
    other.forge_callback(&reject).await;
    assert_eq!(picks(&app).await.len(), 1);
    assert_eq!(log_count(&app, "topic.reject").await, 0);
    assert_eq!(log_count(&app, "topic.confirm").await, 0);
});

both_backends!(two_hundred_topics_paginate, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let (leader, _group, event) = group_with_event(&app, "Семинар").await;
    let long: String = "Очень длинная тема доклада "
        .repeat(7)
        .chars()
        .take(180)
        .collect();
    let lines: Vec<String> = (1..=200).map(|i| format!("{i} {long}")).collect();
    start_list(&leader, event, "Много", "50").await;
    let mut reply = leader
        .send_document("many.txt", lines.join("\n").as_bytes())
        .await;
    reply.expect_text_contains("создан");
    let list = list_id(&app, "Много").await;
    assert_eq!(topic_ids(&app, list).await.len(), 200);
    for page in 1..=20 {
        reply.expect_all_accepted();
        let text = reply.last_text();
        assert!(text.encode_utf16().count() <= 4096, "page {page}");
        assert!(text.contains(&format!("Страница {page} из 20")), "{text}");
        if page < 20 {
            reply = leader.click_button("▶️").await;
        }
    }
    let dist = leader.click_button("📊 Распределение").await;
    dist.expect_all_accepted();
    assert!(dist.last_text().encode_utf16().count() <= 4096);
});

both_backends!(remove_topic_confirm_all_and_delete, |backend| async move {
    let app = TestApp::spawn(backend).await;
    let (leader, group, event) = group_with_event(&app, "Семинар").await;
    let students = members(&app, group, 2, "Иван").await;
    let list = attach_list(
        &app,
        &leader,
        event,
        "Доклады",
        "1",
        "Алгебра\nГеометрия\nТопология",
    )
    .await;
    let topics = topic_ids(&app, list).await;
    students[0].forge_callback(&pick_data(topics[0])).await;
    students[1].forge_callback(&pick_data(topics[1])).await;

    // Removing a topic drops its pick and tells the student.
    leader
        .forge_callback(&encode(&Action::Dist { list, page: 0 }))
        .await;
    leader.click_button("🗑 Удалить тему").await;
    leader
        .click_button("🗑 1. Алгебра")
        .await
        .expect_text_contains("выбрал 1 студент");
    let since = app.tg.next_seq();
    leader
        .click_button("🗑 Да, удалить тему")
        .await
        .expect_all_accepted();
    assert!(
        app.tg
            .requests_since(since)
            .iter()
            .any(|r| r.chat_id() == Some(students[0].id())
                && r.text().is_some_and(|t| t.contains("удалили")))
    );
    assert_eq!(topic_ids(&app, list).await.len(), 2);
    assert_eq!(picks(&app).await.len(), 1);
    assert_eq!(log_count(&app, "topics.remove").await, 1);

    // Confirm all.
    leader
        .click_button("✅ Подтвердить все")
        .await
        .expect_all_accepted();
    assert!(picks(&app).await.iter().all(|p| p.is_confirmed));

    // Deleting asks first.
    leader
        .click_button("🗑 Удалить список")
        .await
        .expect_text_contains("нельзя отменить");
    assert_eq!(
        topiclists::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        1
    );
    leader
        .click_button("🗑 Да, удалить список")
        .await
        .expect_all_accepted();
    assert_eq!(
        topiclists::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        0
    );
    assert_eq!(picks(&app).await.len(), 0);
    assert_eq!(log_count(&app, "topics.delete").await, 1);
});
