## Events, the calendar and deadlines (F5)

## The menu entry with the count of new events: the button's text, then the count.

## The calendar screen

calendar-title = 📅 <b>Календарь группы «{ $group }»</b>
calendar-unseen = 🆕 У вас { $count } { $count ->
        [one] новое событие
        [few] новых события
       *[many] новых событий
    } — откройте { $count ->
        [one] его
       *[other] их
    }, чтобы отметить просмотренными.
calendar-legend = • — есть события, ❗ — есть важное, [ ] — сегодня. Нажмите на день, чтобы увидеть его события.
calendar-month-title = { $month } { $year }
calendar-month-1 = Январь
calendar-month-2 = Февраль
calendar-month-3 = Март
calendar-month-4 = Апрель
calendar-month-5 = Май
calendar-month-6 = Июнь
calendar-month-7 = Июль
calendar-month-8 = Август
calendar-month-9 = Сентябрь
calendar-month-10 = Октябрь
calendar-month-11 = Ноябрь
calendar-month-12 = Декабрь
calendar-weekdays = Пн Вт Ср Чт Пт Сб Вс
calendar-weekday-1 = понедельник
calendar-weekday-2 = вторник
calendar-weekday-3 = среда
calendar-weekday-4 = четверг
calendar-weekday-5 = пятница
calendar-weekday-6 = суббота
calendar-weekday-7 = воскресенье
calendar-btn-upcoming = 🗓 Ближайшие
calendar-btn-deadlines = ⏰ Дедлайны
calendar-btn-back = ◀️ К календарю
calendar-page = Показаны { $first }–{ $last } из { $total }.

## A day, the upcoming days

calendar-day-title = 📅 <b>{ $date }, { $weekday }</b>
calendar-day-empty = В этот день событий нет.
calendar-day-count = { $count } { $count ->
        [one] событие
        [few] события
       *[many] событий
    }:
calendar-upcoming-title = 🗓 <b>Ближайшие { $days } { $days ->
        [one] день
        [few] дня
       *[many] дней
    }</b>
calendar-upcoming-empty = В ближайшие две недели событий нет.
calendar-upcoming-day = <b>{ $date }, { $weekday }</b>

## Deadlines

deadline-list-title = ⏰ <b>Ближайшие дедлайны</b> (время группы: { $timezone })
deadline-list-empty = Предстоящих дедлайнов нет.
deadline-list-line = • <b>{ $at }</b> — { $text } <i>({ $event })</i>

## Lines of lists and cards

event-line = { $marks }{ $title }
event-line-with-subject = { $marks }{ $title } · <i>{ $subject }</i>

## The event card

event-card-title = { $marks }<b>{ $title }</b>
event-card-important = ❗ Важное событие
event-card-subject = 📚 Предмет: { $subject }
event-card-date = 📅 Дата: { $date }, { $weekday }
event-card-description = 📝 { $description }
event-card-deadlines = ⏰ <b>Дедлайны</b> (время группы: { $timezone }):
event-card-deadline = • { $at } — { $text }
event-card-no-deadlines = ⏰ Дедлайнов нет.
event-card-more = … и ещё { $count }
event-card-booking = 🚶 Очереди: { $queues } · 📋 Списки тем: { $topics }
event-card-booking-soon = Очередей и списков тем пока нет.
event-btn-edit-title = ✏️ Название
event-btn-edit-subject = ✏️ Предмет
event-btn-edit-date = ✏️ Дата
event-btn-edit-description = ✏️ Описание
event-btn-mark-important = ❗ Сделать важным
event-btn-unmark-important = ➖ Не важное
event-btn-add-deadline = ➕ Дедлайн
event-btn-remove-deadline = ➖ Удалить дедлайн
event-btn-delete = 🗑 Удалить событие
event-btn-back-to-event = ◀️ К событию
event-btn-open = Открыть событие
event-btn-open-private = 📅 Открыть в боте
event-saved-toast = ✅ Сохранено.

## Deleting

event-delete-confirm =
    Удалить событие «{ $title }» ({ $date })?

    Вместе с ним удалятся его дедлайны, очереди и списки тем. Это нельзя отменить.
event-btn-delete-yes = 🗑 Да, удалить
event-btn-delete-no = ◀️ Нет, оставить
event-deleted-toast = 🗑 Событие удалено.

## Creating

event-btn-new = ➕ Новое событие
event-ask-title =
    ➕ <b>Новое событие</b>

    Шаг 1 из 5. Введите название события (до { $max } символов).
    Отменить — /cancel или «❌ Отмена».
event-ask-subject = Шаг 2 из 5. Введите предмет (до { $max } символов) или отправьте /skip, если события без предмета.
event-ask-date = Шаг 3 из 5. Выберите дату в календаре или введите её: ДД.ММ.ГГГГ, ДД.ММ, «15 декабря», «в пятницу», «сегодня» или «завтра».
event-confirm-past = ⚠️ { $date } уже прошло. Создать событие на прошедшую дату?
event-btn-past-yes = Да, на эту дату
event-btn-past-no = Выбрать другую
event-ask-description = Шаг 4 из 5. Введите описание (до { $max } символов) или отправьте /skip.
event-ask-important = Шаг 5 из 5. Это важное событие? Важные отмечены в календаре ❗.
event-btn-yes = Да
event-btn-no = Нет
event-btn-skip = Пропустить
event-btn-cancel = ❌ Отмена
event-btn-save = ✅ Сохранить
event-summary-title = <b>Проверьте событие и сохраните его:</b>
event-created = ✅ Событие «{ $title }» создано.
event-created-notified = ✅ Событие «{ $title }» создано. Уведомлено: { $count } { $count ->
        [one] участник
        [few] участника
       *[many] участников
    }.
event-already-saved = Это событие уже сохранено.
event-hint-yes-no = Ответьте «Да» или «Нет» — кнопкой или текстом.
event-hint-summary = Проверьте сводку и нажмите «✅ Сохранить» или «❌ Отмена» под ней.
event-not-text = Отправьте ответ текстом.
event-skip-not-here = Этот шаг нельзя пропустить.

## Editing

event-edit-ask-title = Введите новое название (до { $max } символов). Сейчас: «{ $current }».
event-edit-ask-subject = Введите новый предмет (до { $max } символов) или отправьте /skip, чтобы убрать предмет.
event-edit-ask-date = Выберите новую дату в календаре или введите её: ДД.ММ.ГГГГ, ДД.ММ, «сегодня» или «завтра».
event-edit-ask-description = Введите новое описание (до { $max } символов) или отправьте /skip, чтобы убрать описание.
event-btn-clear = 🧹 Убрать
event-edited = ✅ Изменения сохранены.

## Deadlines of an event

deadline-ask-text = ⏰ Новый дедлайн для события «{ $event }». Что нужно сдать? (до { $max } символов)
deadline-ask-at =
    Когда дедлайн? Введите дату и время: ДД.ММ.ГГГГ ЧЧ:ММ или ДД.ММ ЧЧ:ММ, «14 декабря в 18:00» (можно «завтра 18:00»).
    Время группы: { $timezone }, сейчас { $now }.
deadline-added = ✅ Дедлайн добавлен: { $at } — { $text }.
deadline-remove-title = Какой дедлайн удалить?
deadline-remove-none = У этого события нет дедлайнов.
deadline-removed-toast = Дедлайн удалён.

## Announcements to the group

event-announce =
    📅 <b>Новое событие</b> в группе «{ $group }»
    { $title }
    { $date }, { $weekday }
event-announce-important =
    ❗ <b>Новое важное событие</b> в группе «{ $group }»
    { $title }
    { $date }, { $weekday }

## Errors

event-not-found = Событие не найдено: возможно, его удалили.
deadline-not-found = Дедлайн не найден: возможно, его уже удалили.
event-title-empty = Название не может быть пустым. Введите название события:
event-title-too-long = Название слишком длинное ({ $length } { $length ->
        [one] символ
        [few] символа
       *[many] символов
    }). Введите название до { $max } символов:
event-title-control-chars = Название должно быть одной строкой без служебных символов. Введите название:
event-subject-empty = Предмет не может быть пустым. Введите предмет или отправьте /skip:
event-subject-too-long = Название предмета слишком длинное ({ $length } { $length ->
        [one] символ
        [few] символа
       *[many] символов
    }). Введите до { $max } символов или отправьте /skip:
event-subject-control-chars = Предмет должен быть одной строкой без служебных символов. Введите предмет:
event-description-empty = Описание не может быть пустым. Введите описание или отправьте /skip:
event-description-too-long = Описание слишком длинное ({ $length } { $length ->
        [one] символ
        [few] символа
       *[many] символов
    }). Сократите его до { $max } символов или отправьте /skip:
event-description-control-chars = Описание содержит служебные символы. Введите описание обычным текстом:
deadline-text-empty = Описание дедлайна не может быть пустым. Что нужно сдать?
deadline-text-too-long = Описание дедлайна слишком длинное ({ $length } { $length ->
        [one] символ
        [few] символа
       *[many] символов
    }). Введите до { $max } символов:
deadline-text-control-chars = Описание дедлайна должно быть одной строкой. Что нужно сдать?
event-date-format = Не понимаю дату. Введите ДД.ММ.ГГГГ (например, 25.12.2026), ДД.ММ, «15 декабря», день недели («в пятницу»), «сегодня» или «завтра» — или выберите день в календаре.
event-date-no-such-day = Такого дня нет в календаре. Проверьте число и месяц.
event-date-out-of-range = Дата слишком далеко от сегодняшней. Проверьте год.
deadline-at-format = Не понимаю дату и время. Введите ДД.ММ.ГГГГ ЧЧ:ММ (например, 25.12.2026 18:00), ДД.ММ ЧЧ:ММ, «14 декабря 18:00» или «в пятницу в 18:00».
deadline-at-no-such-day = Такого дня нет в календаре. Проверьте число и месяц.
deadline-at-no-such-time = Такого времени нет: часы от 0 до 23, минуты от 00 до 59.
deadline-at-clock-change = В этот день часы переводятся, и такого времени в часовом поясе группы нет. Укажите другое время.
deadline-at-out-of-range = Дата слишком далеко от сегодняшней. Проверьте год.
deadline-at-in-past = Это время уже прошло. Укажите дедлайн в будущем.
event-btn-queue = 🚶 { $title }
event-btn-topics = 📋 { $title }
event-btn-add-queue = ➕ Очередь
event-btn-add-topics = ➕ Список тем
event-deleted-notice = 🗑 Событие «{ $title }» ({ $date }) удалено вместе с его очередями и списками тем, где у вас было место или тема.
