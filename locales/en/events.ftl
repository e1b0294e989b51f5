## Events, the calendar and deadlines (F5)

## The menu entry with the count of new events: the button's text, then the count.

## The calendar screen

calendar-title = 📅 <b>Calendar of “{ $group }”</b>
calendar-unseen = 🆕 You have { $count } new { $count ->
        [one] event
       *[other] events
    } — open { $count ->
        [one] it
       *[other] them
    } to mark { $count ->
        [one] it
       *[other] them
    } as seen.
calendar-legend = • — events, ❗ — an important one, [ ] — today. Tap a day to see its events.
calendar-month-title = { $month } { $year }
calendar-month-1 = January
calendar-month-2 = February
calendar-month-3 = March
calendar-month-4 = April
calendar-month-5 = May
calendar-month-6 = June
calendar-month-7 = July
calendar-month-8 = August
calendar-month-9 = September
calendar-month-10 = October
calendar-month-11 = November
calendar-month-12 = December
calendar-weekdays = Mo Tu We Th Fr Sa Su
calendar-weekday-1 = Monday
calendar-weekday-2 = Tuesday
calendar-weekday-3 = Wednesday
calendar-weekday-4 = Thursday
calendar-weekday-5 = Friday
calendar-weekday-6 = Saturday
calendar-weekday-7 = Sunday
calendar-btn-upcoming = 🗓 Upcoming
calendar-btn-deadlines = ⏰ Deadlines
calendar-btn-back = ◀️ Back to the calendar
calendar-page = Showing { $first }–{ $last } of { $total }.

## A day, the upcoming days

calendar-day-title = 📅 <b>{ $date }, { $weekday }</b>
calendar-day-empty = No events on this day.
calendar-day-count = { $count } { $count ->
        [one] event
       *[other] events
    }:
calendar-upcoming-title = 🗓 <b>The next { $days } { $days ->
        [one] day
       *[other] days
    }</b>
calendar-upcoming-empty = No events in the next two weeks.
calendar-upcoming-day = <b>{ $date }, { $weekday }</b>

## Deadlines

deadline-list-title = ⏰ <b>Upcoming deadlines</b> (group time: { $timezone })
deadline-list-empty = No upcoming deadlines.
deadline-list-line = • <b>{ $at }</b> — { $text } <i>({ $event })</i>

## Lines of lists and cards

event-line = { $marks }{ $title }
event-line-with-subject = { $marks }{ $title } · <i>{ $subject }</i>

## The event card

event-card-title = { $marks }<b>{ $title }</b>
event-card-important = ❗ Important event
event-card-subject = 📚 Subject: { $subject }
event-card-date = 📅 Date: { $date }, { $weekday }
event-card-description = 📝 { $description }
event-card-deadlines = ⏰ <b>Deadlines</b> (group time: { $timezone }):
event-card-deadline = • { $at } — { $text }
event-card-no-deadlines = ⏰ No deadlines.
event-card-more = … and { $count } more
event-card-booking = 🚶 Queues: { $queues } · 📋 Topic lists: { $topics }
event-card-booking-soon = No queues or topic lists yet.
event-btn-edit-title = ✏️ Title
event-btn-edit-subject = ✏️ Subject
event-btn-edit-date = ✏️ Date
event-btn-edit-description = ✏️ Description
event-btn-mark-important = ❗ Mark important
event-btn-unmark-important = ➖ Not important
event-btn-add-deadline = ➕ Deadline
event-btn-remove-deadline = ➖ Remove a deadline
event-btn-delete = 🗑 Delete the event
event-btn-back-to-event = ◀️ Back to the event
event-btn-open = Open the event
event-btn-open-private = 📅 Open in the bot
event-saved-toast = ✅ Saved.

## Deleting

event-delete-confirm =
    Delete the event “{ $title }” ({ $date })?

    Its deadlines, queues and topic lists will be deleted with it. This cannot be undone.
event-btn-delete-yes = 🗑 Yes, delete
event-btn-delete-no = ◀️ No, keep it
event-deleted-toast = 🗑 Event deleted.

## Creating

event-btn-new = ➕ New event
event-ask-title =
    ➕ <b>New event</b>

    Step 1 of 5. Type the event's title (up to { $max } characters).
    To cancel — /cancel or “❌ Cancel”.
event-ask-subject = Step 2 of 5. Type the subject (up to { $max } characters), or send /skip if there is none.
event-ask-date = Step 3 of 5. Pick the date in the calendar or type it: DD.MM.YYYY, DD.MM, “15 December”, “friday”, “today” or “tomorrow”.
event-confirm-past = ⚠️ { $date } has passed. Create the event on a past date anyway?
event-btn-past-yes = Yes, this date
event-btn-past-no = Pick another
event-ask-description = Step 4 of 5. Type a description (up to { $max } characters), or send /skip.
event-ask-important = Step 5 of 5. Is this an important event? Important events are marked ❗ in the calendar.
event-btn-yes = Yes
event-btn-no = No
event-btn-skip = Skip
event-btn-cancel = ❌ Cancel
event-btn-save = ✅ Save
event-summary-title = <b>Check the event and save it:</b>
event-created = ✅ The event “{ $title }” is created.
event-created-notified = ✅ The event “{ $title }” is created. Notified: { $count } { $count ->
        [one] member
       *[other] members
    }.
event-already-saved = This event is already saved.
event-hint-yes-no = Answer “Yes” or “No” — with a button or in text.
event-hint-summary = Check the summary and press “✅ Save” or “❌ Cancel” under it.
event-not-text = Please send the answer as text.
event-skip-not-here = This step cannot be skipped.

## Editing

event-edit-ask-title = Type the new title (up to { $max } characters). Now: “{ $current }”.
event-edit-ask-subject = Type the new subject (up to { $max } characters), or send /skip to remove the subject.
event-edit-ask-date = Pick the new date in the calendar or type it: DD.MM.YYYY, DD.MM, “today” or “tomorrow”.
event-edit-ask-description = Type the new description (up to { $max } characters), or send /skip to remove it.
event-btn-clear = 🧹 Remove
event-edited = ✅ Changes saved.

## Deadlines of an event

deadline-ask-text = ⏰ A new deadline for “{ $event }”. What is due? (up to { $max } characters)
deadline-ask-at =
    When is it due? Type the date and time: DD.MM.YYYY HH:MM or DD.MM HH:MM, “14 December 18:00” (“tomorrow 18:00” works too).
    Group time: { $timezone }, now { $now }.
deadline-added = ✅ Deadline added: { $at } — { $text }.
deadline-remove-title = Which deadline should be removed?
deadline-remove-none = This event has no deadlines.
deadline-removed-toast = Deadline removed.

## Announcements to the group

event-announce =
    📅 <b>New event</b> in “{ $group }”
    { $title }
    { $date }, { $weekday }
event-announce-important =
    ❗ <b>New important event</b> in “{ $group }”
    { $title }
    { $date }, { $weekday }

## Errors

event-not-found = Event not found: it may have been deleted.
deadline-not-found = Deadline not found: it may have been removed already.
event-title-empty = The title cannot be empty. Type the event's title:
event-title-too-long = The title is too long ({ $length } { $length ->
        [one] character
       *[other] characters
    }). Type a title of up to { $max } characters:
event-title-control-chars = The title must be a single line without control characters. Type the title:
event-subject-empty = The subject cannot be empty. Type the subject or send /skip:
event-subject-too-long = The subject is too long ({ $length } { $length ->
        [one] character
       *[other] characters
    }). Type up to { $max } characters or send /skip:
event-subject-control-chars = The subject must be a single line without control characters. Type the subject:
event-description-empty = The description cannot be empty. Type the description or send /skip:
event-description-too-long = The description is too long ({ $length } { $length ->
        [one] character
       *[other] characters
    }). Shorten it to { $max } characters or send /skip:
event-description-control-chars = The description contains control characters. Type it as plain text:
deadline-text-empty = The deadline's description cannot be empty. What is due?
deadline-text-too-long = The deadline's description is too long ({ $length } { $length ->
        [one] character
       *[other] characters
    }). Type up to { $max } characters:
deadline-text-control-chars = The deadline's description must be a single line. What is due?
event-date-format = I do not understand the date. Type DD.MM.YYYY (e.g. 25.12.2026), DD.MM, “15 December”, a weekday (“friday”), “today” or “tomorrow” — or pick a day in the calendar.
event-date-no-such-day = There is no such day in the calendar. Check the day and the month.
event-date-out-of-range = The date is too far from today. Check the year.
deadline-at-format = I do not understand the date and time. Type DD.MM.YYYY HH:MM (e.g. 25.12.2026 18:00), DD.MM HH:MM, “14 December 18:00” or “friday 18:00”.
deadline-at-no-such-day = There is no such day in the calendar. Check the day and the month.
deadline-at-no-such-time = There is no such time: hours 0–23, minutes 00–59.
deadline-at-clock-change = The clocks change on that day and this time does not exist in the group's time zone. Pick another time.
deadline-at-out-of-range = The date is too far from today. Check the year.
deadline-at-in-past = This time has already passed. Set a deadline in the future.
event-btn-queue = 🚶 { $title }
event-btn-topics = 📋 { $title }
event-btn-add-queue = ➕ Queue
event-btn-add-topics = ➕ Topic list
event-deleted-notice = 🗑 The event “{ $title }” ({ $date }) was deleted together with its queues and topic lists, where you had a place or a topic.
