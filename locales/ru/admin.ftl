## Bot administration: access codes, the panel, the change history

cmd-admin = Панель администратора

admin-granted = ✅ Вы — администратор бота. Команда /admin открывает панель.
admin-already = Вы уже администратор бота.
admin-code-wrong = ❌ Код не подходит: неверный, использованный, отключённый или просроченный.
admin-code-too-many = ⛔ Слишком много неверных кодов. Попробуйте снова через час.
admin-not-found = Не найдено: возможно, это уже удалено.

admin-panel = 🛠 <b>Панель администратора</b>
admin-btn-stats = 📊 Статистика
admin-btn-groups = 👥 Группы
admin-btn-search = 🔎 Найти группу
admin-btn-broadcast-all = 📢 Рассылка всем
admin-btn-broadcast-leaders = 📢 Рассылка старостам
admin-btn-log = 📜 Журнал изменений
admin-btn-codes = 🔑 Коды доступа
admin-btn-back = ◀️ В панель
admin-btn-back-group = ◀️ К группе
admin-btn-cancel = ❌ Отмена

admin-stats =
    📊 <b>Статистика</b>

    Пользователей: { $users }
    Групп: { $groups }
    Событий: { $events }
    Активных за 7 дней: { $active }

admin-groups = 👥 <b>Группы</b> (всего: { $count })
admin-group-row = { $name } · { $members } чел.
admin-search-ask = 🔎 Напишите часть названия группы.
admin-search-result = 🔎 Группы с «{ $query }» в названии: { $count }
admin-role-leader = староста
admin-role-assistant = помощник
admin-role-member = участник
admin-group-card =
    👥 <b>{ $name }</b>

    Часовой пояс: { $timezone }
    Создана: { $created }
    Участников: { $members }
    Событий: { $events }
admin-btn-group-log = 📜 Журнал группы
admin-btn-delete-group = 🗑 Удалить группу
admin-delete-confirm =
    Удалить группу <b>{ $name }</b> со всеми событиями, очередями и темами? Участников: { $members }. Их известят. Это нельзя отменить.
admin-btn-delete-confirm = 🗑 Да, удалить
admin-group-deleted = Группа <b>{ $name }</b> удалена. Извещено участников: { $members }.
admin-group-deleted-notice = 🗑 Группа «{ $name }» удалена администрацией бота. Вы больше не состоите в группе.

admin-broadcast-ask = 📢 Напишите текст рассылки (до { $max } символов).
admin-broadcast-not-text = Рассылка — это текст. Напишите его сообщением.
admin-audience-all = всем пользователям
admin-audience-leaders = старостам групп
admin-broadcast-preview = Так увидят рассылку получатели ({ $audience }). Отправить?
admin-btn-broadcast-send = ✅ Отправить
admin-broadcast-message =
    📢 <b>Сообщение от администрации</b>

    { $text }
admin-broadcast-sent = ✅ Рассылка поставлена в очередь: { $count } получателей.
admin-broadcast-cancelled = Рассылка отменена.
admin-broadcast-nothing = Нечего отправлять: рассылка уже отправлена или отменена.

admin-log-header = 📜 <b>Журнал изменений</b> (время UTC)

admin-codes = 🔑 <b>Коды доступа</b> (действующих: { $count })
admin-code-line = • { $id } — { $kind }, до { $expires }
admin-code-one-time = одноразовый
admin-code-reusable = многоразовый
admin-code-no-expiry = отключения
admin-code-created =
    Новый код (показывается один раз):
    <code>{ $code }</code>
    Его отправляют боту командой /admin.
admin-btn-code-one-time = ➕ Одноразовый, 24 ч
admin-btn-code-reusable = ➕ Многоразовый, 7 дн.
admin-btn-code-deactivate = 🚫 Отключить { $id }
admin-code-deactivated = Код отключён.

settings-btn-history = 📜 История изменений
history-header = 📜 <b>История изменений группы { $name }</b> (время: { $timezone })
history-empty = Изменений пока нет.
history-system = система
history-about-event = событие «{ $title }»
history-about-queue = очередь «{ $title }»
history-about-topics = список тем «{ $title }»

history-action-group-create = создание группы
history-action-group-rename = переименование группы
history-action-group-description = изменение описания
history-action-group-timezone = смена часового пояса
history-action-group-delete = удаление группы
history-action-group-transfer = передача роли старосты
history-action-group-ics-regenerate = новая ссылка на календарь
history-action-invite-create = создание приглашения
history-action-invite-revoke = отзыв приглашения
history-action-member-join = вступление в группу
history-action-member-appoint = назначение помощника
history-action-member-revoke = снятие помощника
history-action-member-remove = исключение участника
history-action-member-leave = выход из группы
history-action-profile-fio = изменение ФИО
history-action-profile-language = смена языка
history-action-event-create = создание события
history-action-event-edit = изменение события
history-action-event-delete = удаление события
history-action-deadline-add = добавление дедлайна
history-action-deadline-remove = удаление дедлайна
history-action-queue-create = создание очереди
history-action-queue-edit = изменение очереди
history-action-queue-delete = удаление очереди
history-action-queue-join = запись в очередь
history-action-queue-leave = выход из очереди
history-action-queue-next = вызов следующего в очереди
history-action-queue-remove = удаление из очереди
history-action-queue-move = перемещение в очереди
history-action-queue-clear = очистка очереди
history-action-topics-create = создание списка тем
history-action-topics-add = добавление тем
history-action-topics-remove = удаление темы
history-action-topics-delete = удаление списка тем
history-action-topic-pick = выбор темы
history-action-topic-unpick = отказ от темы
history-action-topic-confirm = подтверждение темы
history-action-topic-reject = отклонение темы
history-action-admin-redeem = получение прав администратора
history-action-admin-code-create = создание кода доступа
history-action-admin-code-deactivate = отключение кода доступа
history-action-admin-group-delete = удаление группы администратором
history-action-admin-broadcast = рассылка
history-action-groupchat-bind = привязка чата группы
history-action-groupchat-bot-removed = бот удалён из чата группы
history-action-groupchat-migrate = чат группы стал супергруппой
history-action-groupchat-post-reminders = напоминания в чате группы
history-action-groupchat-publish = публикация в чате группы
history-action-groupchat-unbind = отвязка чата группы
history-action-announcement-send = объявление
history-action-queue-away = отметка «нет на месте» в очереди
history-action-queue-back = возвращение в очередь
history-action-queue-close = закрытие или открытие очереди
history-action-queue-draw = жеребьёвка очереди
history-action-queue-open = открытие очереди
history-action-queue-skip = пропуск в очереди
history-action-queue-swap = обмен местами в очереди
history-action-queue-swap-ask = просьба об обмене местами
history-action-queue-swap-decline = отказ от обмена местами
history-action-queue-swap-stale = обмен местами не состоялся
history-action-timetable-bells = изменение звонков
history-action-timetable-class-delete = удаление занятия
history-action-timetable-class-edit = изменение занятия
history-action-timetable-classes-add = добавление занятий
history-action-timetable-date-change = изменение занятия на дату
history-action-timetable-extra-remove = отмена дополнительного занятия
history-action-timetable-import = загрузка расписания из .ics
history-action-timetable-post-changes = публикация изменений в чате
history-action-timetable-post-digest = публикация вечерней сводки в чате
history-action-timetable-semester = семестр
history-action-timetable-subgroup = подгруппа
history-action-topics-allocate = распределение тем
history-action-topics-by-preference = выбор тем по предпочтениям
history-action-topics-rank = предпочтения тем
history-action-topics-rank-clear = сброс предпочтений тем
