## Queues (F6)

queue-default-title = Очередь

## The queue screen

queue-view-title = 🚶 <b>{ $title }</b>
    📅 { $event }
queue-status-open = 🟢 Открыта · { $count } { $count ->
        [one] участник
        [few] участника
       *[many] участников
    }
queue-status-open-max = 🟢 Открыта · { $count } из { $max } · свободно { $free } { $free ->
        [one] место
        [few] места
       *[many] мест
    }
queue-status-closed = 🔒 Закрыта · { $count } { $count ->
        [one] участник
        [few] участника
       *[many] участников
    }
queue-status-closed-max = 🔒 Закрыта · { $count } из { $max }
queue-empty = Очередь пуста — станьте первым!
queue-line = { $position }. { $name }
queue-line-own = 👉 <b>{ $position }. { $name }</b>
queue-more = …и ещё { $count } { $count ->
        [one] участник
        [few] участника
       *[many] участников
    }

## Buttons

queue-btn-join = Встать в очередь
queue-btn-leave = Выйти из очереди
queue-btn-refresh = 🔄 Обновить
queue-btn-back-to-event = ◀️ К событию
queue-btn-next = Следующий
queue-btn-remove = Удалить участника
queue-btn-move = Переместить
queue-btn-close = Закрыть
queue-btn-open = Открыть
queue-btn-clear = Очистить
queue-btn-edit = ✏️ Изменить
queue-btn-delete = 🗑 Удалить
queue-btn-csv = 📄 CSV
queue-btn-back = ◀️ К очереди
queue-btn-show = 🚶 Открыть очередь
queue-btn-clear-yes = 🧹 Да, очистить
queue-btn-delete-yes = 🗑 Да, удалить
queue-btn-edit-title = Название
queue-btn-edit-description = Описание
queue-btn-edit-max = Максимум участников
queue-btn-default-title = Оставить «Очередь»
queue-btn-skip = Пропустить
queue-btn-unlimited = Без ограничения
queue-btn-remove-description = Убрать описание
queue-btn-cancel = ❌ Отмена

## Outcomes (toasts)

queue-joined-toast = Вы в очереди: №{ $position }
queue-left-toast = Вы вышли из очереди (были №{ $position })
queue-already-in = Вы уже в очереди: №{ $position }
queue-full = Очередь заполнена: { $max } { $max ->
        [one] место
        [few] места
       *[many] мест
    } занято
queue-closed = Очередь закрыта
queue-not-in = Вас нет в этой очереди
queue-empty-toast = Очередь пуста
queue-next-toast = Прошёл: { $name }
queue-removed-toast = Убран из очереди: { $name }
queue-moved-toast = { $name } теперь №{ $position }
queue-closed-toast = Очередь закрыта
queue-opened-toast = Очередь открыта
queue-cleared-toast = Очередь очищена: { $count } { $count ->
        [one] участник
        [few] участника
       *[many] участников
    }
queue-deleted-toast = Очередь удалена

## Notifications to participants

queue-your-turn =
    🔔 <b>Ваша очередь!</b> Очередь «{ $title }»: подходите.
    📅 { $event }, { $date }
queue-you-are-next =
    ⏳ Очередь «{ $title }»: <b>ваш черёд следующий</b>.
    📅 { $event }, { $date }
queue-removed-notice =
    ℹ️ Вас убрали из очереди «{ $title }».
    📅 { $event }, { $date }
queue-moved-notice =
    ℹ️ Вас переместили в очереди «{ $title }»: теперь вы №{ $position }.
    📅 { $event }, { $date }

## Choosing a participant, a position

queue-choose-remove = Кого убрать из очереди «{ $title }»?
queue-choose-move = Кого переместить в очереди «{ $title }»?
queue-choose-position = Куда переместить { $name } (сейчас №{ $position } из { $count })? Нажмите номер или напишите его.

## Confirmations

queue-clear-confirm = Очистить очередь «{ $title }»? Из неё уйдут { $count } { $count ->
        [one] участник
        [few] участника
       *[many] участников
    }.
queue-delete-confirm = Удалить очередь «{ $title }» ({ $count } { $count ->
        [one] участник
        [few] участника
       *[many] участников
    })? Это нельзя отменить.
queue-deleted = 🗑 Очередь «{ $title }» удалена.

## Forms

queue-ask-title = 🚶 Новая очередь к событию «{ $event }». Как её назвать? До { $max } символов, или /skip — «Очередь».
queue-ask-description = Описание очереди (до { $max } символов) или /skip.
queue-ask-max = Максимум участников — число от { $min } до { $max }, или /skip — без ограничения.
queue-created = ✅ Очередь «{ $title }» создана.
queue-edit-menu = ✏️ Что изменить в очереди «{ $title }»?
queue-edit-ask-title = Новое название (сейчас «{ $current }»), до { $max } символов.
queue-edit-ask-description = Новое описание (до { $max } символов) или /skip, чтобы убрать его.
queue-edit-ask-max = Новый максимум участников — число от { $min } до { $max }, или /skip — без ограничения. Тех, кто уже в очереди, это не затронет.
queue-edited = ✅ Очередь изменена.
queue-skip-not-here = Этот шаг нельзя пропустить — напишите значение или /cancel.
queue-not-text = Напишите ответ текстом или /cancel.

## Errors

queue-not-found = Очередь не найдена — возможно, её удалили.
queue-event-not-found = Событие не найдено — возможно, его удалили.
queue-participant-not-found = Этого участника уже нет в очереди.
queue-title-empty = Название не может быть пустым.
queue-title-too-long = Название слишком длинное: { $length } { $length ->
        [one] символ
        [few] символа
       *[many] символов
    }, можно не больше { $max }.
queue-title-control-chars = Название должно быть одной строкой без служебных символов.
queue-description-empty = Описание не может быть пустым — или /skip.
queue-description-too-long = Описание слишком длинное: { $length } { $length ->
        [one] символ
        [few] символа
       *[many] символов
    }, можно не больше { $max }.
queue-description-control-chars = В описании есть служебные символы — уберите их.
queue-max-invalid = Нужно целое число от { $min } до { $max } — или /skip, без ограничения.
queue-position-invalid = Нужен номер места от 1 до { $max }.

## CSV export

queue-csv-position = Место
queue-csv-name = ФИО
queue-csv-username = Username
queue-csv-joined = Встал в очередь
queue-export-caption = 📄 Очередь «{ $title }»: { $count } { $count ->
        [one] участник
        [few] участника
       *[many] участников
    }

## Открытие в назначенное время, жеребьёвка, «Отошёл», неявка

queue-opens-at = 🕒 Откроется { $at } — до этого встать нельзя.
queue-draw-at = 🎲 Жеребьёвка: порядок всех, кто встал до { $at }, будет разыгран случайно.
queue-away-mark = 🚶 нет на месте
queue-btn-away = 🚶 Отошёл
queue-btn-back-here = ✅ Вернулся
queue-btn-no-show = ⏭ Не пришёл — в конец
queue-btn-edit-opening = 🕒 Время открытия
queue-btn-edit-lottery = 🎲 Жеребьёвка
queue-btn-no-opening = Открыть сразу
queue-btn-no-lottery = Без жеребьёвки
queue-joined-lottery-toast = Вы в жеребьёвке: порядок будет разыгран в { $at }
queue-not-yet-open-toast = Очередь откроется { $at } — тогда и нажмите
queue-not-yet-open = Очередь ещё не открыта.
queue-lottery-needs-opening = Сначала задайте время открытия: жеребьёвка разыгрывает нажатия первых минут после него.
queue-all-away = Все в очереди отошли — вызвать некого.
queue-not-first = Этот участник уже не первый — обновите очередь.
queue-away-toast = Вы отошли; место №{ $position } сохраняется
queue-back-toast = С возвращением! Ваше место: №{ $position }
queue-opening-none = не задано
queue-edit-ask-opening = Когда открыть очередь? Дата и время в часовом поясе группы ({ $zone }): ДД.ММ ЧЧ:ММ или ДД.ММ.ГГГГ ЧЧ:ММ. Сейчас: { $current }. До этого момента встать нельзя; участникам придёт уведомление об открытии. /skip — открыть сразу.
queue-edit-ask-lottery = Сколько минут после открытия разыгрывать порядок? Число от { $min } до { $max }: все, кто нажмёт в эти минуты, получат места по жребию, остальные встанут в конец. /skip — без жеребьёвки.
queue-lottery-invalid = Нужно целое число минут от { $min } до { $max } — или /skip, без жеребьёвки.
# Opening notices scheduled before they named the event.
queue-opened-notice = 🟢 Очередь «{ $title }» открылась — можно вставать.
queue-opened-event-notice =
    🟢 Очередь «{ $title }» открылась — можно вставать.
    📅 { $event }, { $date }
queue-drawn-notice =
    🎲 Жеребьёвка в очереди «{ $title }» проведена: ваше место №{ $position }.
    📅 { $event }, { $date }
queue-skipped-notice =
    🚶 Вы отошли, и вас пропустили в очереди «{ $title }». Место сохранится ещё { $turns } { $turns ->
            [one] ход
            [few] хода
           *[many] ходов
        }.
    📅 { $event }, { $date }
queue-away-moved-notice =
    🚶 Вы слишком долго отсутствовали: в очереди «{ $title }» вы перенесены в конец, теперь №{ $position }.
    📅 { $event }, { $date }

## Обмен местами

queue-btn-swap = 🔁 Поменяться
queue-btn-swap-answer = 🔁 Ответить
queue-btn-swap-accept = ✅ Поменяться
queue-btn-swap-decline = 🚫 Отказаться
queue-choose-swap = С кем поменяться местами в очереди «{ $title }»? Этот участник должен будет согласиться.
queue-swap-nobody = Меняться не с кем: нужно стоять в очереди, и кто-то ещё должен в ней быть.
queue-swap-sent-toast = Запрос отправлен: { $name }
queue-swap-self = С собой поменяться нельзя.
queue-swap-gone = Этого запроса уже нет — на него ответили или его заменили новым.
queue-swap-asked =
    🔁 { $name } (№{ $theirs }) предлагает поменяться местами в очереди «{ $title }»: вы сейчас №{ $yours }.
    📅 { $event }, { $date }
queue-swap-question = 🔁 { $name } (№{ $theirs }) предлагает поменяться местами в очереди «{ $title }». Вы сейчас №{ $yours }. Согласиться?
queue-swap-done-toast = Готово: теперь ваше место №{ $position }
queue-swap-declined-toast = Вы отказались от обмена
queue-swap-stale-toast = Обмен не состоялся: кто-то из вас уже сдвинулся в очереди
queue-swap-done =
    🔁 { $name } согласился(-лась): в очереди «{ $title }» вы теперь №{ $position }.
    📅 { $event }, { $date }
queue-swap-declined =
    🔁 { $name } отказался(-лась) меняться местами в очереди «{ $title }».
    📅 { $event }, { $date }
queue-swap-stale =
    🔁 Обмен с { $name } в очереди «{ $title }» не состоялся: кто-то из вас уже сдвинулся.
    📅 { $event }, { $date }

## Оценка ожидания

queue-wait-estimate = ⏱ До вашей очереди примерно { $minutes } { $minutes ->
        [one] минута
        [few] минуты
       *[many] минут
    } (по среднему времени между вызовами).

## My queues and topics

mine-title = 🙋 <b>Мои очереди и темы</b>
mine-empty = Вы пока не стоите ни в одной очереди и не выбрали тему. Здесь появятся очереди и списки тем ближайших событий.
mine-queue-place = 👉 Место <b>{ $place }</b> из { $total } — «{ $queue }» · { $event }, { $date }
mine-queue-open = ➕ «{ $queue }» · { $event }, { $date } — можно встать в очередь
mine-topic-picked = 📌 Тема «{ $topic }» ({ $confirmed ->
        [1] подтверждена
       *[0] ждёт подтверждения
    }) — «{ $list }» · { $event }, { $date }
mine-topic-open = 📋 «{ $list }» · { $event }, { $date } — тема ещё не выбрана
mine-btn-queue = 👉 { $place } · { $queue }
mine-btn-join = ➕ Встать: { $queue }
mine-btn-topics = 📋 Выбрать тему: { $list }
mine-btn-refresh = 🔄 Обновить
queue-deleted-notice =
    🗑 Очередь «{ $title }» удалена; вашего места в ней больше нет.
    📅 { $event }, { $date }
