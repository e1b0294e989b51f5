notify-deadline-1d = ⏰ Завтра дедлайн: <b>{ $description }</b> ({ $event }) — { $at }
notify-deadline-3h = ⏰ Через 3 часа дедлайн: <b>{ $description }</b> ({ $event }) — { $at }
notify-event-evening = 📅 Завтра: <b>{ $title }</b> ({ $date })
notify-settings-title = 🔔 <b>Уведомления</b>

    Нажмите, чтобы включить или выключить.
notify-new-events-all = все
notify-new-events-important = только важные
notify-new-events-off = выкл.
notify-btn-new-events = Новые события
notify-btn-deadline-1d = Дедлайн: за 1 день
notify-btn-deadline-3h = Дедлайн: за 3 часа
notify-btn-evening = Событие: вечером накануне
notify-btn-queue = Очередь: ваша очередь
notify-btn-queue-opening = Очередь открылась
notify-btn-announcements = Объявления
notify-btn-back = ◀️ Назад
notify-btn-open = 🔔 Уведомления

## «📢 Объявление»
announce-btn = 📢 Объявление
announce-ask = 📢 Напишите объявление для группы «{ $group }» — одним сообщением, до { $max } символов. Его получат все участники группы.
announce-empty = Пришлите текст сообщением (пустой текст не отправить).
announce-too-long = Слишком длинно: { $length } символов, можно до { $max }. Сократите и пришлите снова.
announce-preview = 👀 Так объявление увидят участники. Отправить? Чтобы исправить, просто пришлите новый текст.
announce-message = 📢 <b>Объявление</b> · { $group }
    Автор: { $author }

    { $text }
announce-btn-send = ✅ Отправить
announce-btn-cancel = ❌ Отмена
announce-sent = ✅ Объявление отправлено: { $count } { $count ->
        [one] участнику
       *[other] участникам
    }.
announce-sent-nobody = ✅ Объявление сохранено, но получить его пока некому: в группе нет других участников с включёнными объявлениями.
announce-preview-sent = 📢 Объявление отправлено.
announce-sent-muted = 🔕 Не получили: { $count } { $count ->
        [one] участник отключил
        [few] участника отключили
       *[many] участников отключили
    } объявления в настройках.
announce-cancelled = Объявление отменено.
announce-outdated = Это объявление уже отправлено или отменено.
