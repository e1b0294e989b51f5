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
notify-btn-announcements = Объявления
notify-btn-back = ◀️ Назад
notify-btn-open = 🔔 Уведомления
