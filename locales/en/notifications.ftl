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
notify-btn-announcements = Announcements
notify-btn-back = ◀️ Back
notify-btn-open = 🔔 Notifications
