## Members «👥 Участники группы»

members-header = 👥 <b>Участники группы «{ $group }»</b>: { $count } { $count ->
        [one] участник
        [few] участника
       *[many] участников
    }
members-page = Страница { $page } из { $pages }
members-hint-leader = Нажмите на участника, чтобы открыть его карточку.
members-btn-invite = ➕ Пригласить
members-btn-export = 📄 Экспорт CSV

members-role-leader = староста
members-role-assistant = помощник
members-role-member = участник
members-no-username = нет

members-card =
    👤 <b>{ $name }</b>
    Telegram: { $username }
    Роль: { $role }
    В группе с { $joined }
members-card-self = Это вы.
members-btn-appoint = ⭐ Назначить помощником
members-btn-revoke = ✖️ Снять роль помощника
members-btn-transfer = 👑 Передать роль старосты
members-btn-remove = 🚫 Удалить из группы
members-btn-back = ◀️ К списку
members-btn-no = ◀️ Нет, назад

members-confirm-remove =
    Удалить <b>{ $name }</b> из группы «{ $group }»?

    Вернуться в группу можно будет только по новой ссылке-приглашению.
members-btn-confirm-remove = ✅ Да, удалить
members-confirm-transfer =
    Передать роль старосты группы «{ $group }» участнику <b>{ $name }</b>?

    Вы станете помощником, а управлять участниками и настройками группы будет новый староста.
members-btn-confirm-transfer = ✅ Да, передать

members-appointed = ⭐ Назначен помощником
members-revoked = Роль помощника снята
members-removed = Удалён из группы: { $name }
members-transferred = 👑 Вы передали роль старосты группы «{ $group }»: теперь староста — { $name }. Вы остаётесь помощником.

members-notify-appointed = ⭐ Староста назначил вас помощником в группе «{ $group }». Теперь вы можете вести события, очереди, темы и приглашения.
members-notify-revoked = Вы больше не помощник старосты в группе «{ $group }».
members-notify-removed = 🚫 Староста исключил вас из группы «{ $group }».
members-notify-leader = 👑 Теперь вы староста группы «{ $group }»! Эту роль вам передаёт { $name }.
members-notify-left = 🚪 { $name } больше не участник группы «{ $group }».

members-export-caption = 📄 Участники группы «{ $group }»: { $count } { $count ->
        [one] участник
        [few] участника
       *[many] участников
    }
members-csv-name = ФИО
members-csv-username = username
members-csv-role = Роль
members-csv-joined = Дата вступления

members-error-not-found = Участник не найден: возможно, он уже не в группе.
members-error-self = Это действие нельзя применить к себе.
members-error-already-assistant = Участник уже помощник.
members-error-not-assistant = Участник не помощник.
members-error-leader-leaves =
    Староста не может просто покинуть группу.

    Сначала передайте роль старосты другому участнику (👥 Участники группы → участник → «👑 Передать роль старосты») или удалите группу в настройках.

## Profile «👤 Профиль»

profile-title = 👤 <b>Профиль</b>
profile-name = ФИО: { $name }
profile-name-from-telegram = ФИО: не указано (сейчас видно имя из Telegram: { $name })
profile-language = Язык: { $language }
profile-language-name = Русский
profile-group = Группа: «{ $group }», { $role }
profile-no-group = Группа: вы не состоите в группе
profile-btn-fio = ✏️ Изменить ФИО
profile-btn-leave = 🚪 Покинуть группу
profile-btn-back = ◀️ Назад
profile-btn-skip = Пропустить
profile-btn-confirm-leave = ✅ Да, покинуть

profile-ask-fio = Введите ваше ФИО: фамилию, имя и, если есть, отчество. Например: <i>Иванов Иван Иванович</i>
profile-ask-fio-after-join =
    Как вас записать в списке группы? Введите ФИО: фамилию, имя и, если есть, отчество — например, <i>Иванов Иван Иванович</i>. Так староста будет видеть настоящие имена.

    Можно пропустить (/skip) и указать ФИО позже в «👤 Профиль».
profile-fio-saved = ✅ ФИО сохранено: <b>{ $name }</b>
profile-fio-skipped = Хорошо, ФИО можно указать позже в «👤 Профиль».
profile-fio-not-text = Отправьте ФИО текстом.
profile-fio-too-few = Нужно хотя бы два слова: фамилия и имя. Например: <i>Иванов Иван</i>. Попробуйте ещё раз:
profile-fio-too-many = ФИО — это не больше трёх слов: фамилия, имя и отчество. Попробуйте ещё раз:
profile-fio-bad-chars = «{ $word }» не похоже на имя: можно использовать буквы, а дефис и апостроф — только внутри слова (<i>Салтыков-Щедрин</i>, <i>д'Артаньян</i>). Попробуйте ещё раз:
profile-fio-word-too-long = Слишком длинное слово ({ $length } { $length ->
        [one] символ
        [few] символа
       *[many] символов
    }): не больше { $max }. Попробуйте ещё раз:

profile-language-changed = ✅ Язык интерфейса: русский.
profile-confirm-leave =
    Покинуть группу «{ $group }»?

    Вернуться можно будет только по новой ссылке-приглашению.
profile-left = 🚪 Вы покинули группу «{ $group }».
