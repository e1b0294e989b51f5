## Домашка: задания к занятиям, отметка «Сделано», предложения участников

btn-homework = 📚 Домашка
homework-title = 📚 <b>Домашка</b>
homework-empty = Заданий на сегодня и дальше нет.
homework-line = { $mark }<b>{ $date }</b> { $subject } — { $body }
homework-no-subject = без предмета
homework-btn-new = ➕ Добавить задание
homework-btn-propose = ➕ Предложить задание
homework-card-class = 📚 <b>{ $subject }</b> — к занятию { $date }, { $time }
homework-card-date = 📚 <b>Задание</b> — сдать до { $date }
homework-card-subgroup = Подгруппа { $subgroup }
homework-card-files = 📎 Вложений: { $count }
homework-card-proposed = 🕓 Предложено участником, ждёт одобрения.
homework-card-done = ✅ Отмечено: сделано.
homework-btn-done = ✅ Сделано
homework-btn-undo = ↩️ Не сделано
homework-btn-delete = 🗑 Удалить
homework-btn-edit = ✏️ Изменить текст
homework-ask-edit = Напишите новый текст задания (до { $max } символов).
homework-ask-edit-again = Напишите новый текст задания сообщением.
homework-edited = ✅ Текст задания изменён.
homework-btn-approve = 👍 Одобрить
homework-btn-reject = 👎 Отклонить
homework-btn-back = ◀️ К списку
homework-btn-cancel = ❌ Отмена
homework-delete-confirm = Удалить задание «{ $body }»?
homework-btn-delete-yes = 🗑 Да, удалить
homework-btn-delete-no = ◀️ Назад
homework-done-toast = Отмечено: сделано
homework-undone-toast = Отметка снята
homework-deleted-toast = Задание удалено
homework-approved-toast = Задание опубликовано
homework-rejected-toast = Предложение отклонено
homework-ask-due = К какому занятию задание? Выберите предмет — или напишите дату сдачи: ДД.ММ.ГГГГ, ДД.ММ, «завтра», «в пятницу».
homework-ask-due-no-classes = В расписании пока нет занятий. Напишите дату сдачи: ДД.ММ.ГГГГ, ДД.ММ, «завтра», «в пятницу».
homework-ask-date = <b>{ $subject }</b>: к какому занятию?
homework-no-dates = Ближайших занятий по предмету «{ $subject }» нет. Напишите дату сдачи или выберите другой предмет.
homework-btn-next = Ближайшее: { $date }
homework-btn-date = { $date }
homework-btn-subjects = ◀️ Предметы
homework-date-past = Эта дата уже прошла. Напишите сегодняшнюю или более позднюю.
homework-ask-body = Напишите задание (до { $max } символов).
homework-body-empty = Задание пустое. Напишите его текстом.
homework-body-too-long = Слишком длинно: { $length } { $length ->
        [one] символ
        [few] символа
       *[many] символов
    }, можно до { $max }.
homework-body-control-chars = В тексте есть служебные символы. Напишите задание обычным текстом.
homework-ask-files = Пришлите фото или файлы к заданию — или нажмите «Сохранить».
homework-file-added = 📎 { $count ->
        [one] Принято { $count } вложение
        [few] Принято { $count } вложения
       *[many] Принято { $count } вложений
    }. Пришлите ещё или нажмите «Сохранить».
homework-too-many-files = Больше { $max } вложений не поместится. Нажмите «Сохранить».
homework-btn-save = ✅ Сохранить
homework-saved = ✅ Задание сохранено.
homework-proposed = ✅ Задание отправлено старосте на одобрение.
homework-proposed-notice = 📚 Предложено задание: <b>{ $subject }</b>, { $date }
    { $body }
homework-approved-notice = ✅ Предложенное задание опубликовано: <b>{ $subject }</b>, { $date }
homework-rejected-notice = Предложенное задание отклонено: <b>{ $subject }</b>, { $date }
homework-btn-open = 📚 Открыть
homework-not-found = Задание не найдено: его удалили, или оно не для вас.
homework-no-such-class = Этого занятия в тот день нет. Выберите дату заново.
homework-already-saved = Это задание уже сохранено.
homework-not-proposed = Это предложение уже рассмотрено.
homework-too-many = Слишком много вложений.
homework-in-timetable = 📚 { $body }

history-about-homework = задание «{ $title }»
history-action-homework-create = добавление задания
history-action-homework-propose = предложение задания
history-action-homework-approve = одобрение задания
history-action-homework-reject = отклонение задания
history-action-homework-delete = удаление задания
history-action-homework-edit = изменение задания
history-action-homework-done = отметка задания сделанным
history-action-homework-undone = снятие отметки задания
