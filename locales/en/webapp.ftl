## The Mini App (the "Open" buttons and the page's own words)

miniapp-menu = 📱 Open
miniapp-open = 📱 Open
webapp-tab-week = Week
webapp-tab-queues = My places
webapp-tab-topics = Topics
webapp-this-week = This week
webapp-next-week = Next ▶
webapp-prev-week = Previous week
webapp-today = Today
webapp-no-classes = No classes
webapp-room = Room
webapp-teacher = Teacher
webapp-homework = Homework
webapp-homework-none = None yet
webapp-join = Join the queue
webapp-leave = Leave
webapp-next = Next
webapp-no-queues = No open queues.
webapp-no-topics = No topic lists.
webapp-pick = Take
webapp-unpick = Give up
webapp-distribution = Distribution
webapp-without = Without a topic
webapp-not-in-group = Join a group in the chat with the bot first.
webapp-your-place = Your place: { $position } of { $count }
webapp-queue-length = { $count ->
    [one] { $count } person
   *[other] { $count } people
}
