## Daily digests and class pings (rendered when sent)
digest-evening = 🌙 <b>Tomorrow, { $date }</b>
    { $lines }
digest-morning = ☀️ <b>Today, { $date }</b>
    { $lines }
digest-classes = 📚 { $count } { $count ->
        [one] class
       *[other] classes
    }:
digest-classes-from = 📚 { $count } { $count ->
        [one] class
       *[other] classes
    }, starting at { $start }:
digest-class = { $pair }. { $time } — { $subject }
digest-class-room = { $pair }. { $time } — { $subject }, room { $room }
digest-class-sub = { $pair }. { $time } — { $subject } (subgroup { $subgroup })
digest-class-sub-room = { $pair }. { $time } — { $subject }, room { $room } (subgroup { $subgroup })
digest-homework-head = 📝 Homework due:
digest-homework = • { $body }
digest-homework-subject = • { $subject }: { $body }
digest-deadlines-head = ⏳ Deadlines in the next 48 hours:
digest-deadline = • { $text } — { $at }
digest-queues-head = 🙋 Queues:
digest-queue = • { $title } ({ $event }): place { $place }
digest-ping = ⏰ In { $minutes } { $minutes ->
        [one] minute
       *[other] minutes
    }: { $subject }
digest-ping-room = ⏰ In { $minutes } { $minutes ->
        [one] minute
       *[other] minutes
    }: { $subject }, room { $room }

## The digest lines of «🔔 Notifications»
digest-btn-evening = 🌙 Evening digest: { $at }
digest-btn-morning = ☀️ Morning digest: { $at }
digest-btn-ping = ⏰ Before class: { $at }
digest-off = off
digest-ping-at = { $minutes } min
digest-btn-off = Turn off
digest-btn-back = ◀️ Back
digest-evening-choose = 🌙 <b>Evening digest</b>: tomorrow's classes, homework due tomorrow, deadlines of the next two days and the queues you stand in.

    Now: { $at }. Choose a time (group time).
digest-morning-choose = ☀️ <b>Morning digest</b>: the same for today.

    Now: { $at }. Choose a time (group time).
digest-ping-choose = ⏰ <b>Before class</b>: a reminder a few minutes before each class starts.

    Now: { $at }. How many minutes before?

## The group chat's evening digest (timetable management)
digest-manage-chat-on = 🌙 The evening digest for tomorrow is posted to the group chat at 20:00.
digest-manage-chat-off = 🌙 The evening digest is not posted to the group chat.
digest-btn-chat-on = 🌙 Post the digest
digest-btn-chat-off = 🔕 Don't post the digest
digest-chat-turned-on = The evening digest will be posted to the group chat.
digest-chat-turned-off = The evening digest is no longer posted to the group chat.
