## Daily digests and class pings (rendered when sent)
digest-evening = 🌙 <b>Завтра, { $date }</b>
    { $lines }
digest-morning = ☀️ <b>Сегодня, { $date }</b>
    { $lines }
digest-classes = 📚 { $count } { $count ->
        [one] пара
        [few] пары
       *[other] пар
    }:
digest-classes-from = 📚 { $count } { $count ->
        [one] пара
        [few] пары
       *[other] пар
    }, начало в { $start }:
digest-class = { $pair }. { $time } — { $subject }
digest-class-room = { $pair }. { $time } — { $subject }, ауд. { $room }
digest-class-sub = { $pair }. { $time } — { $subject } ({ $subgroup }-я подгруппа)
digest-class-sub-room = { $pair }. { $time } — { $subject }, ауд. { $room } ({ $subgroup }-я подгруппа)
digest-homework-head = 📝 Домашка на этот день:
digest-homework = • { $body }
digest-homework-subject = • { $subject }: { $body }
digest-deadlines-head = ⏳ Дедлайны в ближайшие 48 часов:
digest-deadline = • { $text } — { $at }
digest-queues-head = 🙋 Очереди:
digest-queue = • { $title } ({ $event }): место { $place }
digest-ping = ⏰ Через { $minutes } { $minutes ->
        [one] минуту
        [few] минуты
       *[other] минут
    }: { $subject }
digest-ping-room = ⏰ Через { $minutes } { $minutes ->
        [one] минуту
        [few] минуты
       *[other] минут
    }: { $subject }, ауд. { $room }

## The digest lines of «🔔 Уведомления»
digest-btn-evening = 🌙 Вечерняя сводка: { $at }
digest-btn-morning = ☀️ Утренняя сводка: { $at }
digest-btn-ping = ⏰ Перед парой: { $at }
digest-off = выкл.
digest-ping-at = за { $minutes } мин
digest-btn-off = Выключить
digest-btn-back = ◀️ Назад
digest-evening-choose = 🌙 <b>Вечерняя сводка</b>: завтрашние пары, домашка на завтра, дедлайны на двое суток вперёд и очереди, в которых вы стоите.

    Сейчас: { $at }. Выберите время (время группы).
digest-morning-choose = ☀️ <b>Утренняя сводка</b>: то же на сегодня.

    Сейчас: { $at }. Выберите время (время группы).
digest-ping-choose = ⏰ <b>Перед парой</b>: напоминание за несколько минут до начала каждой пары.

    Сейчас: { $at }. За сколько минут напоминать?

## The group chat's evening digest (timetable management)
digest-manage-chat-on = 🌙 Вечерняя сводка на завтра публикуется в чате группы в 20:00.
digest-manage-chat-off = 🌙 Вечерняя сводка в чат группы не публикуется.
digest-btn-chat-on = 🌙 Сводка — в чат
digest-btn-chat-off = 🔕 Без сводки в чате
digest-chat-turned-on = Вечерняя сводка будет публиковаться в чате группы.
digest-chat-turned-off = Вечерняя сводка больше не публикуется в чате группы.
