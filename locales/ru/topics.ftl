# Topic lists (F7): forms, the browser, the distribution, errors.

topics-ask-title = 📋 Новый список тем для события «{ $event }».
    Введите название списка (до { $max } символов), например «Доклады»:
topics-ask-capacity = Сколько студентов может взять одну тему? Введите число от { $min } до { $max }:
topics-ask-topics = Пришлите темы одним сообщением — по одной на строке — или файлом <b>.txt</b> (UTF-8, до { $kib } КБ).
    Не больше { $max } тем, каждая до { $chars } символов; пустые строки пропускаются.
topics-ask-more = ➕ Добавление тем в список «{ $title }».
    Пришлите темы одним сообщением (по одной на строке) или файлом .txt. Всего в списке может быть не больше { $max } тем, каждая до { $chars } символов.
topics-not-text = Пришлите текст или файл .txt — или нажмите «❌ Отмена».
topics-created = ✅ Список тем «{ $title }» создан: { $count ->
        [one] { $count } тема
        [few] { $count } темы
       *[many] { $count } тем
    }.
topics-added = ✅ В список «{ $title }» { $count ->
        [one] добавлена { $count } тема
        [few] добавлены { $count } темы
       *[many] добавлено { $count } тем
    }. Теперь в нём { $total ->
        [one] { $total } тема
        [few] { $total } темы
       *[many] { $total } тем
    }.

topics-title-empty = Название не может быть пустым. Введите название списка:
topics-title-too-long = Название слишком длинное: { $length } из { $max } символов. Введите покороче:
topics-title-control-chars = Название должно быть одной строкой без служебных символов. Введите ещё раз:
topics-capacity-not-number = Нужно целое число, например 1 или 2. Введите ещё раз:
topics-capacity-range = Число должно быть от { $min } до { $max }. Введите ещё раз:
topics-lines-empty = Не нашёл ни одной темы. Пришлите темы — по одной на строке:
topics-lines-too-many = Слишком много тем: { $count }, можно не больше { $max }. Пришлите список покороче:
topics-lines-too-long = Тема в строке { $line } слишком длинная: { $length } из { $max } символов. Исправьте и пришлите список ещё раз:
topics-lines-control-chars = В строке { $line } есть служебные символы. Исправьте и пришлите список ещё раз:
topics-lines-duplicates = Темы повторяются ({ $count }): { $topics }. Уберите повторы и пришлите список ещё раз:
topics-doc-empty = Файл пустой — в нём нет ни одной темы. Пришлите другой файл или текст:
topics-doc-too-big = Файл слишком большой: можно не больше { $max } КБ. Пришлите файл поменьше или текст:
topics-doc-binary = Это не текстовый файл. Пришлите файл .txt с темами (по одной на строке) или текст:
topics-doc-not-utf8 = Файл не в кодировке UTF-8 (похоже, Windows-1251). Сохраните его как «UTF-8» и пришлите снова — или вставьте темы текстом:
topics-doc-download = Не удалось получить файл от Telegram. Попробуйте прислать его ещё раз:

topics-browser-title = 📋 <b>{ $title }</b> — { $event }
    { $count ->
        [one] { $count } тема
        [few] { $count } темы
       *[many] { $count } тем
    }, на тему до { $capacity ->
        [one] { $capacity } студента
       *[other] { $capacity } студентов
    }. Страница { $page } из { $pages }.
topics-mine-none = Вы ещё не выбрали тему: нажмите на свободную.
topics-mine-pending = 👉 Ваша тема: «{ $title }» — ждёт подтверждения, её ещё можно сменить.
topics-mine-confirmed = ✅ Ваша тема: «{ $title }» — подтверждена.
topics-empty = В списке пока нет тем.
topics-state-taken = занята
topics-state-mine = ваша
topics-state-open = свободна
topics-state-free = свободно { $free } из { $capacity }
topics-browser-line = { $mark }{ $n }. { $title } — { $state }
topics-btn-mine = ⭐ Моя тема
topics-btn-distribution = 📊 Распределение
topics-btn-back-event = ◀️ К событию
topics-btn-back-list = ◀️ К темам
topics-btn-back-dist = ◀️ К распределению
topics-btn-open = 📋 Открыть список
topics-btn-unpick = ↩️ Отказаться от темы

topics-picked = Тема «{ $title }» ваша. Староста подтвердит выбор.
topics-picked-replaced = Вы сменили тему: теперь «{ $title }» вместо «{ $old }».
topics-unpicked = Вы отказались от темы «{ $title }».
topics-my-choice-none = В списке «{ $list }» вы ещё не выбрали тему.
topics-my-choice-pending = 👉 Ваша тема в списке «{ $list }»: <b>{ $title }</b>.
    Выбор ещё не подтверждён — тему можно сменить или отказаться от неё.
topics-my-choice-confirmed = ✅ Ваша тема в списке «{ $list }»: <b>{ $title }</b>.
    Выбор подтверждён и окончателен.

topics-dist-title = 📊 <b>Распределение: { $title }</b>
    Выбрано: { $picked }, подтверждено: { $confirmed }. Страница { $page } из { $pages }.
topics-dist-topic = <b>{ $n }. { $title }</b> ({ $taken }/{ $capacity })
topics-dist-free =     — свободна
topics-dist-pick-confirmed =     ✅ { $name }{ $username }
topics-dist-pick-pending =     ⏳ { $name }{ $username }
topics-dist-everyone = Тему выбрали все участники группы.
topics-dist-without = Без темы ({ $count }):
topics-topic-title = 👥 <b>{ $title }</b> ({ $taken }/{ $capacity })
    Список «{ $list }».
topics-btn-confirm-all = ✅ Подтвердить все
topics-btn-export = 📄 Выгрузить CSV
topics-btn-add = ➕ Добавить темы
topics-btn-remove = 🗑 Удалить тему
topics-btn-delete = 🗑 Удалить список
topics-btn-confirm = ✅ { $name }
topics-btn-reject = ✖️ { $name }
topics-btn-remove-yes = 🗑 Да, удалить тему
topics-btn-delete-yes = 🗑 Да, удалить список
topics-confirmed-toast = Выбор подтверждён.
topics-confirmed-all-toast = Подтверждено: { $count }.
topics-rejected-toast = Выбор отклонён, место свободно.
topics-removed-toast = Тема удалена.
topics-remove-choose = Какую тему удалить? Выборы этой темы удалятся вместе с ней.
topics-remove-confirm = Удалить тему «{ $title }»? { $count ->
        [0] Её никто не выбрал.
        [one] Её выбрал { $count } студент — ему придёт уведомление.
        [few] Её выбрали { $count } студента — им придёт уведомление.
       *[many] Её выбрали { $count } студентов — им придёт уведомление.
    }
topics-delete-confirm = Удалить список тем «{ $title }» со всеми темами и выборами? Это нельзя отменить.
topics-deleted = 🗑 Список тем «{ $title }» удалён.
topics-confirmed-notice =
    ✅ Ваш выбор темы «{ $title }» (список «{ $list }») подтверждён.
    📅 { $event }, { $date }
topics-rejected-notice =
    ✖️ Ваш выбор темы «{ $title }» (список «{ $list }») отклонён старостой. Выберите другую тему.
    📅 { $event }, { $date }
topics-removed-notice =
    🗑 Тему «{ $title }» удалили из списка «{ $list }», ваш выбор снят. Выберите другую тему.
    📅 { $event }, { $date }
topics-csv-topic = Тема
topics-csv-student = Студент
topics-csv-username = Username
topics-csv-confirmed = Подтверждено
topics-csv-picked-at = Выбрано
topics-csv-yes = да
topics-csv-no = нет
topics-export-caption = 📄 Распределение тем «{ $title }»: { $count ->
        [one] { $count } выбор
        [few] { $count } выбора
       *[many] { $count } выборов
    }.

topics-not-found = Этот список тем или выбор не найден — возможно, его удалили.
topics-event-not-found = Событие не найдено — возможно, его удалили.
topics-error-full = Тема «{ $title }» уже занята. Выберите другую.
topics-error-already-yours = Тема «{ $title }» уже ваша.
topics-error-confirmed = Ваш выбор «{ $title }» подтверждён и окончателен — сменить тему нельзя.
topics-error-no-pick = У вас нет темы в этом списке.
topics-error-too-many-total = В списке стало бы { $count } тем, а можно не больше { $max }. Пришлите меньше тем:
topics-error-existing = Эти темы уже есть в списке ({ $count }): { $topics }. Уберите их и пришлите снова:
topics-error-busy = Сейчас много нажатий — попробуйте ещё раз.

## Распределение по предпочтениям

topics-btn-by-preference = 🗳 По предпочтениям
topics-btn-clear-ranking = 🧹 Сбросить мой выбор
topics-ask-preferences = 🗳 Список «{ $title }» по предпочтениям: каждый отмечает до N тем по порядку, а после срока темы распределяются случайным последовательным выбором — участники в случайном порядке по очереди получают первую свободную тему из своего списка. Напишите N (от { $min } до { $max }) и срок в часовом поясе группы ({ $zone }), например: 3 25.12 18:00
topics-preferences-invalid = Сначала число тем от { $min } до { $max }, затем срок: например, 3 25.12 18:00.
topics-preferences-set = ✅ Список собирает предпочтения до срока.
topics-preference-head = 🗳 <b>Выбор по предпочтениям</b> до { $deadline }: нажимайте темы в порядке желания, до { $choices }. После срока темы распределятся случайным последовательным выбором, места не превысят лимит.
topics-ranking-none = Вы ещё ничего не выбрали.
topics-ranking-mine = Ваш выбор:
topics-ranked-toast = Выбор №{ $rank }: { $title }
topics-ranking-cleared-toast = Ваш выбор сброшен
topics-error-by-preference = Этот список распределяется по предпочтениям: отметьте темы по порядку до срока.
topics-error-not-collecting = Сейчас выбор по предпочтениям не принимается.
topics-error-already-ranked = Эта тема уже в вашем выборе под №{ $rank }.
topics-error-too-many-choices = Можно выбрать не больше { $max } { $max ->
        [one] темы
       *[other] тем
    } — сбросьте выбор, чтобы начать заново.
topics-allocated-notice = 🗳 Темы списка «{ $title }» распределены: ваша тема — «{ $topic }».
topics-allocated-none-notice = 🗳 Темы списка «{ $title }» распределены, но все выбранные вами темы заняты. Выберите свободную тему или обратитесь к старосте.
