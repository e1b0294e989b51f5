## The Mini App («📱 Открыть»): the buttons that open it and the page's own words

miniapp-menu = 📱 Открыть
miniapp-open = 📱 Открыть
webapp-tab-week = Неделя
webapp-tab-queues = Мои места
webapp-tab-topics = Темы
webapp-this-week = Эта неделя
webapp-next-week = След. ▶
webapp-prev-week = Предыдущая неделя
webapp-today = Сегодня
webapp-no-classes = Занятий нет
webapp-room = Аудитория
webapp-teacher = Преподаватель
webapp-homework = Домашнее задание
webapp-homework-none = Пока не задано
webapp-join = Встать в очередь
webapp-leave = Выйти
webapp-next = Следующий
webapp-no-queues = Открытых очередей нет.
webapp-no-topics = Списков тем нет.
webapp-pick = Взять
webapp-unpick = Отказаться
webapp-distribution = Распределение
webapp-without = Без темы
webapp-not-in-group = Сначала вступите в группу в чате с ботом.
webapp-your-place = Ваше место: { $position } из { $count }
webapp-queue-length = { $count ->
    [one] { $count } человек
    [few] { $count } человека
   *[many] { $count } человек
}
