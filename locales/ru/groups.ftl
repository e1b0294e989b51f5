## Group settings («⚙️ Настройки группы»)

settings-screen =
    ⚙️ <b>Настройки группы</b>

    ✏️ Название: <b>{ $name }</b>
    👥 Участники: { $members }
    🕒 Часовой пояс: { $timezone } — сейчас там { $time } ({ $offset })
    📝 Описание: { $has_description ->
        [0] <i>не задано</i>
       *[other] { $description }
    }

settings-btn-rename = ✏️ Название
settings-btn-description = 📝 Описание
settings-btn-timezone = 🕒 Часовой пояс
settings-btn-transfer = 👑 Передать роль старосты
settings-btn-delete = 🗑 Удалить группу
settings-btn-back = ◀️ Назад
settings-btn-clear-description = 🧹 Очистить
settings-btn-delete-confirm = 🗑 Да, удалить навсегда
settings-btn-delete-cancel = ◀️ Нет, оставить

## Rename

group-rename-ask =
    ✏️ Введите новое название группы (до { $max } символов).

    Сейчас: «{ $name }»
group-renamed = ✅ Название группы изменено.

## Description

group-description-ask =
    📝 Отправьте новое описание группы (до { $max } символов).

    Чтобы удалить описание, нажмите «🧹 Очистить» или отправьте «-».
group-description-saved = ✅ Описание сохранено.
group-description-cleared = ✅ Описание удалено.
group-description-empty = Описание не может быть пустым. Отправьте текст описания или «-», чтобы удалить его.
group-description-too-long =
    Описание слишком длинное ({ $length } { $length ->
        [one] символ
        [few] символа
       *[many] символов
    }). Пожалуйста, сократите его до { $max } символов.
group-description-control-chars = Описание не должно содержать служебных символов (кроме переносов строк). Отправьте описание ещё раз:
group-description-not-text = Отправьте описание группы текстом.

## Time zone

group-timezone-ask =
    🕒 Выберите часовой пояс группы кнопкой или отправьте его название из базы IANA, например <code>Europe/Moscow</code> или <code>Asia/Novosibirsk</code>.

    Сейчас: { $timezone }
group-timezone-saved = ✅ Часовой пояс группы: { $timezone }.
group-timezone-empty = Отправьте название часового пояса, например <code>Europe/Moscow</code>.
group-timezone-unknown = Не знаю часового пояса «{ $input }». Отправьте название из базы IANA, например <code>Europe/Moscow</code> или <code>Asia/Novosibirsk</code>, или выберите его кнопкой.
group-timezone-not-text = Отправьте название часового пояса текстом или выберите его кнопкой.

settings-tz-kaliningrad = Калининград ({ $offset })
settings-tz-moscow = Москва ({ $offset })
settings-tz-samara = Самара ({ $offset })
settings-tz-yekaterinburg = Екатеринбург ({ $offset })
settings-tz-omsk = Омск ({ $offset })
settings-tz-novosibirsk = Новосибирск ({ $offset })
settings-tz-krasnoyarsk = Красноярск ({ $offset })
settings-tz-irkutsk = Иркутск ({ $offset })
settings-tz-yakutsk = Якутск ({ $offset })
settings-tz-vladivostok = Владивосток ({ $offset })
settings-tz-magadan = Магадан ({ $offset })
settings-tz-kamchatka = Камчатка ({ $offset })

## Deleting the group

group-delete-confirm =
    🗑 <b>Удалить группу «{ $name }»?</b>

    Будут безвозвратно удалены все события, дедлайны, очереди, списки тем, приглашения и членство всех участников группы ({ $members }).
group-deleted = 🗑 Группа «{ $name }» удалена.
group-deleted-leader = Группа «{ $name }» удалена. Вы можете создать новую группу или присоединиться к другой по ссылке-приглашению.
group-deleted-notice =
    🗑 Староста удалил группу «{ $name }». Вы больше не состоите в группе.

    Создайте свою группу или присоединитесь к другой по ссылке-приглашению.
group-not-found = Группа не найдена: возможно, она уже удалена или кнопка устарела. Откройте меню заново.

## Calendar feed (F11)

settings-btn-feed = 📆 Календарь для телефона
feed-screen =
    📆 <b>Календарь группы</b>

    Ссылка для подписки в Google Календаре, Apple Календаре или Outlook:
    <code>{ $url }</code>

    В календаре будут все события группы (на весь день) и дедлайны.
    Любой, у кого есть ссылка, видит календарь: делитесь ею только с группой. Если ссылка попала не туда, создайте новую — старая перестанет работать.
feed-no-public-url =
    📆 Ссылка на календарь пока недоступна: у бота не задан публичный адрес (PUBLIC_URL). Сообщите администратору бота.
feed-btn-regenerate = 🔄 Новая ссылка
feed-regenerate-confirm =
    🔄 Создать новую ссылку на календарь?

    Старая ссылка сразу перестанет работать: всем, кто подписан, нужно будет подписаться заново.
feed-btn-regenerate-confirm = 🔄 Да, новая ссылка
feed-btn-regenerate-cancel = ◀️ Нет, оставить
feed-regenerated = ✅ Новая ссылка создана; старая больше не работает.
