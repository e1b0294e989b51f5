notify-deadline-1d = ⏰ Deadline tomorrow: <b>{ $description }</b> ({ $event }) — { $at }
notify-deadline-3h = ⏰ Deadline in 3 hours: <b>{ $description }</b> ({ $event }) — { $at }
notify-event-evening = 📅 Tomorrow: <b>{ $title }</b> ({ $date })
notify-settings-title = 🔔 <b>Notifications</b>

    Press to turn on or off.
notify-new-events-all = all
notify-new-events-important = important only
notify-new-events-off = off
notify-btn-new-events = New events
notify-btn-deadline-1d = Deadline: 1 day before
notify-btn-deadline-3h = Deadline: 3 hours before
notify-btn-evening = Event: the evening before
notify-btn-queue = Queue: your turn
notify-btn-queue-opening = A queue opened
notify-btn-announcements = Announcements
notify-btn-back = ◀️ Back
notify-btn-open = 🔔 Notifications

## “📢 Announcement”
announce-btn = 📢 Announcement
announce-ask = 📢 Write an announcement for “{ $group }” — one message, up to { $max } characters. Every member of the group will get it.
announce-empty = Please send the text as a message (an empty text cannot be sent).
announce-too-long = Too long: { $length } characters, { $max } at most. Please shorten it and send it again.
announce-preview = 👀 This is how members will see it. Send it? To correct it, just send a new text.
announce-message = 📢 <b>Announcement</b> · { $group }
    from { $author }

    { $text }
announce-btn-send = ✅ Send
announce-btn-cancel = ❌ Cancel
announce-sent = ✅ Announcement sent to { $count } { $count ->
        [one] member
       *[other] members
    }.
announce-sent-nobody = ✅ Announcement saved, but nobody can receive it yet: the group has no other members with announcements on.
announce-preview-sent = 📢 Announcement sent.
announce-sent-muted = 🔕 Not sent to { $count } { $count ->
        [one] member who turned
       *[other] members who turned
    } announcements off.
announce-cancelled = Announcement cancelled.
announce-outdated = This announcement was already sent or cancelled.
