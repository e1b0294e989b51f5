## The group's Telegram chat (F13)

chat-help = 👋 Я бот учебной группы.
    Староста привязывает этот чат командой /bind — после этого сюда приходят новые события и объявления, а очереди и списки тем можно публиковать сюда с кнопками.
    Всё остальное — в личном чате со мной.
chat-bind-prompt = 🔗 Привязать этот чат к учебной группе?
    Подтвердить может только староста группы.
chat-btn-bind = ✅ Привязать к моей группе
chat-bind-only-leader = Привязать чат может только староста учебной группы.
chat-bound = ✅ Чат привязан к группе <b>{ $group }</b>.
    Сюда приходят новые события и объявления.
chat-reminders-on = 🔔 Напоминания тоже публикуются здесь.
chat-reminders-off = 🔕 Напоминания сюда не публикуются.
chat-btn-reminders-on = 🔔 Публиковать напоминания
chat-btn-reminders-off = 🔕 Без напоминаний в чате
chat-btn-unbind = ✖️ Отвязать чат
chat-bound-toast = Чат привязан
chat-reminders-toast = Готово
chat-unbound = Чат отвязан от группы. Привязать снова: /bind
chat-taken = Этот чат уже привязан к другой учебной группе.
chat-bot-not-in-chat = Бота нет в этом чате: добавьте его в чат и отправьте /bind ещё раз.
chat-not-bound = Чат группы не привязан. Добавьте бота в чат группы и отправьте там /bind.
chat-target-not-found = Очередь или список тем не найдены в вашей группе.
chat-btn-publish = 📣 Опубликовать в чат
chat-published = Опубликовано в чат «{ $chat }»
chat-not-member = Эти кнопки — только для участников учебной группы.

## A queue published to the chat

chat-queue-title = 🚶 <b>{ $title }</b>
    📅 { $event }
chat-queue-open = 🟢 Открыта · { $count } { $count ->
        [one] участник
        [few] участника
       *[many] участников
    }
chat-queue-open-max = 🟢 Открыта · { $count } из { $max }
chat-queue-closed = 🔒 Закрыта · { $count } { $count ->
        [one] участник
        [few] участника
       *[many] участников
    }
chat-queue-empty = Пока никого — станьте первым!
chat-queue-opening = 🕒 Открытие: { $at } (раньше встать нельзя)
chat-queue-line = { $position }. { $name }
chat-more = …и ещё { $count }
chat-btn-join = Встать в очередь
chat-btn-leave = Выйти
chat-joined = Вы { $position }-й в очереди
chat-joined-lottery = Вы в жеребьёвке: места разыграют, когда она закончится
chat-left = Вы вышли из очереди
chat-queue-gone = Очередь удалена.

## A topic list published to the chat

chat-topics-title = 📚 <b>{ $title }</b>
    📅 { $event }
    Мест на тему: { $capacity }
chat-topic-line = { $n }. { $title } — { $taken }/{ $capacity }
chat-topic-line-full = { $n }. <s>{ $title }</s> — занято
chat-topics-more-free = Ещё { $count } свободных тем — в личном чате с ботом.
chat-topics-none-free = Свободных тем не осталось.
chat-picked = Ваша тема: { $title }
chat-topics-gone = Список тем удалён.
