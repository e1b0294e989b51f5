## The class timetable («🗓 Расписание»)

timetable-day-title = 🗓 <b>{ $weekday }, { $date }</b>
timetable-week-title = 🗓 <b>Неделя { $from } – { $to }</b>
timetable-week-of = неделя { $number }, { $parity }
timetable-parity-odd = числитель
timetable-parity-even = знаменатель
timetable-outside-semester = вне семестра
timetable-no-semester = Семестр ещё не задан, поэтому занятий нет.
timetable-no-semester-manager = Семестр ещё не задан: «⚙️ Изменить расписание» → «📆 Семестр».
timetable-no-classes = Занятий нет.
timetable-weekday-heading = <b>{ $weekday }, { $date }</b>
timetable-class = { $pair }. { $time } <b>{ $subject }</b> ({ $kind })
timetable-time = { $start }–{ $end }
timetable-kind-lecture = лекция
timetable-kind-practice = практика
timetable-kind-lab = лабораторная
timetable-room = ауд. { $room }
timetable-subgroup = подгруппа { $subgroup }
timetable-moved-here = ↩️ перенесено с { $date }
timetable-extra = ➕ дополнительное
timetable-cancelled = ❌ <s>{ $pair }. { $subject }</s> — отменено
timetable-moved-away = ↪️ <s>{ $pair }. { $subject }</s> — перенесено на { $date }, { $to_pair }-я пара
timetable-event = 📅 { $title }
timetable-event-important = ❗ { $title }
timetable-deadline = ⏰ { $time } { $text }
timetable-more = …и ещё не поместилось: откройте отдельные дни.

timetable-btn-today = Сегодня
timetable-btn-tomorrow = Завтра
timetable-btn-week = Неделя
timetable-btn-prev-week = ◀️ Пред. неделя
timetable-btn-next-week = След. неделя ▶️
timetable-btn-subgroup = 👥 Подгруппа: { $subgroup }
timetable-subgroup-all = все
timetable-btn-manage = ⚙️ Изменить расписание
timetable-btn-day-changes = ✏️ Изменения на этот день

## Choosing one's subgroup

timetable-subgroup-ask = Выберите свою подгруппу: в расписании останутся её занятия и общие. «Все» — показывать всё.
timetable-subgroup-saved = Подгруппа сохранена.

## Defining the timetable (leader and assistants)

timetable-manage = ⚙️ <b>Расписание группы</b>
    { $semester }
    Занятий в неделю: { $count }.
timetable-manage-semester = Семестр: { $from } – { $to }, первая неделя — { $parity }.
timetable-manage-no-semester = Семестр не задан.
timetable-btn-semester = 📆 Семестр
timetable-btn-paste = 📋 Вставить занятия
timetable-btn-classes = 📚 Занятия
timetable-btn-back = ◀️ Назад
timetable-btn-cancel = ❌ Отмена

timetable-semester-ask = Введите первый и последний день семестра, например: <code>01.09.2026 30.12.2026</code>. /cancel — отмена.
timetable-semester-bad = Не получилось прочитать даты. Нужны две даты в виде ДД.ММ.ГГГГ через пробел, например: <code>01.09.2026 30.12.2026</code>.
timetable-semester-parity-ask = Неделя, в которую начинается семестр, — числитель или знаменатель?
timetable-btn-first-odd = Числитель
timetable-btn-first-even = Знаменатель
timetable-semester-saved = ✅ Семестр: { $from } – { $to }, первая неделя — { $parity }.
timetable-semester-ends-before-start = Последний день семестра раньше первого. Введите даты заново.
timetable-semester-too-long = Семестр не может длиться больше года. Введите даты заново.

timetable-paste-ask = Пришлите занятия, по одному в строке:
    <code>день пара | предмет | вид | преподаватель | аудитория | недели | подгруппа</code>
    Например:
    <code>пн 1 | Математический анализ | лекция | Иванов И. И. | 301 | нечёт</code>
    <code>ср 3 | Физика | лаб | Петрова А. С. | 105 | все | 2</code>
    День: пн вт ср чт пт сб вс. Вид: лекция, практика, лабораторная (лек, пр, лаб). Преподаватель, аудитория, недели и подгруппа необязательны (пусто или «-»). Недели: все, нечёт (числитель), чёт (знаменатель) или даты через запятую: 15.09, 29.09. Подгруппа: все или номер 1–9.
    Ничего не сохранится, пока все строки не будут верны. /cancel — отмена.
timetable-paste-saved = ✅ { $count ->
        [one] Добавлено { $count } занятие
        [few] Добавлено { $count } занятия
       *[many] Добавлено { $count } занятий
    }.
timetable-paste-empty = В сообщении нет ни одной строки с занятием. Пришлите список или /cancel.
timetable-paste-too-many = За один раз можно добавить не больше { $max } занятий. Разделите список.
timetable-paste-errors = Ничего не сохранено — исправьте { $count ->
        [one] строку
       *[other] строки
    } и пришлите весь список заново:
    { $lines }
timetable-paste-more-errors = …и ещё { $count ->
        [one] { $count } строка
        [few] { $count } строки
       *[many] { $count } строк
    } с ошибками.
timetable-line-error = Строка { $line }: { $problem }
timetable-problem-fields = нужны хотя бы «день пара», предмет и вид через «|».
timetable-problem-weekday = не понимаю день недели (пн, вт, ср, чт, пт, сб, вс).
timetable-problem-date = не понимаю дату (ДД.ММ или ДД.ММ.ГГГГ).
timetable-problem-pair = номер пары — число от 1 до 10.
timetable-problem-kind = вид занятия — лекция, практика или лабораторная.
timetable-problem-teacher = преподаватель: { $reason }
timetable-problem-room = аудитория: { $reason }
timetable-problem-weeks = недели — все, нечёт, чёт или даты через запятую (15.09, 29.09).
timetable-problem-date-not-on-weekday = дата из списка приходится на другой день недели.
timetable-problem-subgroup = подгруппа — «все» или номер от 1 до 9.
timetable-problem-too-many-fields = слишком много полей: не больше семи через «|».
timetable-text-empty = пусто
timetable-text-too-long = слишком длинно ({ $length } из { $max } символов)
timetable-text-control-chars = недопустимые символы
timetable-problem-subject = предмет: { $reason }

timetable-classes-title = Нажмите на занятие, чтобы изменить или удалить его.
timetable-classes-none = В расписании пока нет занятий.
timetable-class-button = { $weekday } { $pair }. { $subject }
timetable-delete-confirm = Удалить «{ $subject }» ({ $weekday }, { $pair }-я пара) со всеми его изменениями?
timetable-btn-delete-yes = 🗑 Удалить
timetable-class-deleted = Занятие удалено.

timetable-day-changes = ✏️ <b>Изменения на { $date }</b>
    Отменить или перенести занятие этого дня, или добавить дополнительное.
timetable-btn-cancel-class = 🚫 { $pair }. { $subject }
timetable-btn-move-class = ↪️ Перенести { $pair }. { $subject }
timetable-btn-extra = ➕ Дополнительное занятие
timetable-cancel-confirm = Отменить «{ $subject }» { $date }? Участники, у которых оно в ближайшие 7 дней, получат уведомление.
timetable-btn-cancel-yes = ❌ Отменить занятие
timetable-class-cancelled = Занятие отменено.
timetable-move-ask = Куда перенести «{ $subject }» с { $date }? Пришлите дату, номер пары и, если меняется, аудиторию: <code>17.09 4 210</code>. /cancel — отмена.
timetable-moved = ✅ Занятие перенесено.
timetable-extra-ask = Пришлите дополнительное занятие одной строкой:
    <code>дата пара | предмет | вид | преподаватель | аудитория | подгруппа</code>
    Например: <code>17.09 5 | Консультация | практика | Иванов И. И. | 301</code>. /cancel — отмена.
timetable-extra-saved = ✅ Дополнительное занятие добавлено.
timetable-not-text = Пришлите текст или /cancel.

timetable-class-not-found = Такого занятия уже нет.
timetable-not-on-date = Это занятие в тот день не проходит.
timetable-already-changed = Это занятие в тот день уже отменено или перенесено.
timetable-date-outside-semester = Эта дата вне семестра (или семестр не задан).

## Notices of a change to a date

timetable-notice-cancelled = 🗓 Отмена: «{ $subject }» { $date }, { $pair }-я пара.
timetable-notice-moved = 🗓 Перенос: «{ $subject }» с { $date } ({ $pair }-я пара) на { $to_date }, { $to_pair }-я пара, аудитория { $room }.
timetable-notice-extra = 🗓 Дополнительное занятие: «{ $subject }» { $date }, { $pair }-я пара, аудитория { $room }.

## The leader sets a member's subgroup (on the member's card)

timetable-btn-member-subgroup = 👥 Подгруппа в расписании
timetable-member-subgroup-ask = Выберите подгруппу участника: в расписании участника останутся её занятия и общие.
timetable-member-subgroup-saved = ✅ Подгруппа участника сохранена.
timetable-member-not-found = Такого участника в группе нет.

## One class by form, its card, and a calendar file (leader and assistants)

timetable-btn-new-class = ➕ Добавить занятие
timetable-btn-ics = 📥 Загрузить .ics
timetable-btn-save = ✅ Сохранить
timetable-btn-none = — нет
timetable-btn-delete-class = 🗑 Удалить занятие
timetable-btn-edit-field = ✏️ { $field }
timetable-field-weekday = День
timetable-field-pair = Пара
timetable-field-subject = Предмет
timetable-field-kind = Вид
timetable-field-teacher = Преподаватель
timetable-field-room = Аудитория
timetable-field-weeks = Недели
timetable-field-subgroup = Подгруппа
timetable-ask-weekday = В какой день недели проходит занятие? /cancel — отмена.
timetable-ask-pair = Какая пара? Нажмите кнопку или пришлите номер от 1 до 10.
timetable-ask-subject = Как называется предмет? Не больше { $max } символов.
timetable-ask-kind = Вид занятия?
timetable-ask-teacher = Кто ведёт занятие? Пришлите фамилию и инициалы (не больше { $max } символов) или нажмите «— нет».
timetable-ask-room = В какой аудитории? Пришлите номер (не больше { $max } символов) или нажмите «— нет».
timetable-ask-weeks = По каким неделям? Каждую, числитель или знаменатель — или пришлите даты через запятую: <code>15.09, 29.09</code>.
timetable-ask-subgroup = Для какой подгруппы? «все» — для всей группы.
timetable-edit-current = Сейчас: { $class }
timetable-step-refused = ⚠️ Не подходит: { $problem }
timetable-weeks-every = каждую неделю
timetable-none = —
timetable-class-card = { $weekday }, { $pair }-я пара ({ $time }) · <b>{ $subject }</b> ({ $kind }) · преподаватель: { $teacher } · ауд. { $room } · недели: { $weeks } · подгруппа: { $subgroup }
timetable-class-summary = Проверьте занятие:
    { $class }
    Сохранить?
timetable-class-added = ✅ Занятие добавлено: { $class }
timetable-class-edited = ✅ Занятие изменено.
timetable-hint-save = Нажмите «✅ Сохранить» или /cancel.
timetable-no-semester-first = Сначала задайте семестр: «⚙️ Изменить расписание» → «📆 Семестр».

timetable-ics-ask = Пришлите файл календаря <b>.ics</b> (не больше { $max_kib } КБ), например экспорт расписания с сайта университета. Сначала я покажу, что нашлось, — сохранится только после «✅ Сохранить». /cancel — отмена.
timetable-ics-not-file = Пришлите файл .ics документом или /cancel.
timetable-ics-not-ics = Это не файл .ics. Пришлите календарь в формате iCalendar (.ics) или /cancel.
timetable-ics-too-big = Файл больше { $max_kib } КБ. Пришлите файл поменьше или /cancel.
timetable-ics-not-text = Не получилось прочитать файл: это не текст в кодировке UTF-8. Ничего не сохранено — пришлите другой файл или /cancel.
timetable-ics-not-calendar = Не получилось прочитать файл: это не календарь iCalendar или он повреждён. Ничего не сохранено — пришлите другой файл или /cancel.
timetable-ics-no-events = В файле нет ни одного события. Ничего не сохранено — пришлите другой файл или /cancel.
timetable-ics-download = Не получилось получить файл от Telegram. Пришлите его ещё раз.
timetable-ics-found = 📥 { $count ->
        [one] Найдено { $count } занятие
        [few] Найдено { $count } занятия
       *[many] Найдено { $count } занятий
    }, { $skipped ->
        [one] пропущено { $skipped } событие
        [few] пропущено { $skipped } события
       *[many] пропущено { $skipped } событий
    }, отмен по датам: { $cancelled }.
timetable-ics-skipped-title = Пропущены:
timetable-ics-skipped = • «{ $name }»: { $reason }
timetable-ics-skip-no-start = нет времени начала
timetable-ics-skip-all-day = событие на весь день, без времени
timetable-ics-skip-no-subject = нет названия
timetable-ics-skip-recurrence = повторяется не раз в одну или две недели по одному дню
timetable-ics-skip-no-pair = время не совпадает ни с одной парой
timetable-ics-skip-outside = не попадает в семестр
timetable-ics-skip-override = изменение одной даты повторяющегося события
timetable-ics-more = …и ещё { $count }.
timetable-ics-save-hint = Сохранить эти занятия? Ничего не сохранится без «✅ Сохранить».
timetable-ics-saved = ✅ Из файла { $count ->
        [one] добавлено { $count } занятие
        [few] добавлено { $count } занятия
       *[many] добавлено { $count } занятий
    }, отмен по датам: { $cancelled }.

## The member's own subgroup, from «👤 Профиль»

timetable-profile-subgroup-ask = Ваша подгруппа сейчас: { $subgroup }. Выберите подгруппу: в расписании останутся её занятия и общие. «все» — показывать всё.
timetable-profile-subgroup-saved = ✅ Ваша подгруппа: { $subgroup }.

## Removing an extra class

timetable-btn-remove-extra = 🗑 Убрать доп. занятие { $pair }. { $subject }
timetable-remove-extra-confirm = Убрать дополнительное занятие «{ $subject }» { $date }? Участники, у которых оно в ближайшие 7 дней, получат уведомление.
timetable-btn-remove-extra-yes = 🗑 Убрать занятие
timetable-extra-removed = Дополнительное занятие убрано.
timetable-notice-extra-removed = 🗓 Дополнительного занятия не будет: «{ $subject }» { $date }, { $pair }-я пара.

## The bell schedule

timetable-btn-bells = 🔔 Звонки
timetable-bells-ask = 🔔 Звонки сейчас:
    <code>{ $bells }</code>
    Пришлите новое расписание звонков: по одной паре в строке, по порядку, например <code>1. 08:30-10:00</code>. Не больше { $max } пар. /cancel — отмена.
timetable-bells-bad-line = Строка { $line }: нужно время начала и конца пары, например <code>08:30-10:00</code>. Пришлите расписание звонков заново или /cancel.
timetable-bells-empty = В сообщении нет ни одной пары. Пришлите расписание звонков или /cancel.
timetable-bells-too-many = Не больше { $max } пар в день. Пришлите расписание звонков заново или /cancel.
timetable-bells-ends-before-start = Пара { $pair } заканчивается раньше, чем начинается. Пришлите расписание звонков заново или /cancel.
timetable-bells-overlap = Пара { $pair } начинается раньше, чем кончается предыдущая. Пришлите расписание звонков заново или /cancel.
timetable-bells-saved = ✅ Звонки сохранены: { $count ->
        [one] { $count } пара
        [few] { $count } пары
       *[many] { $count } пар
    }.

## Posting the next day's changes to the group chat

timetable-manage-post-on = 📣 Изменения на завтра публикуются в чате группы в 18:00.
timetable-manage-post-on-unbound = 📣 Изменения на завтра будут публиковаться в чате группы в 18:00, когда чат будет привязан (/bind в чате).
timetable-manage-post-off = 📣 Изменения в чат группы не публикуются.
timetable-btn-post-on = 📣 Изменения — в чат
timetable-btn-post-off = 🔕 Без изменений в чате
timetable-post-turned-on = Изменения будут публиковаться в чате группы.
timetable-post-turned-off = Изменения больше не публикуются в чате группы.
