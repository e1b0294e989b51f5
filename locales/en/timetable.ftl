## The class timetable

timetable-day-title = 🗓 <b>{ $weekday }, { $date }</b>
timetable-week-title = 🗓 <b>Week { $from } – { $to }</b>
timetable-week-of = week { $number }, { $parity }
timetable-parity-odd = odd
timetable-parity-even = even
timetable-outside-semester = outside the semester
timetable-no-semester = The semester is not set yet, so there are no classes.
timetable-no-semester-manager = The semester is not set yet: «⚙️ Edit the timetable» → «📆 Semester».
timetable-no-classes = No classes.
timetable-weekday-heading = <b>{ $weekday }, { $date }</b>
timetable-class = { $pair }. { $time } <b>{ $subject }</b> ({ $kind })
timetable-time = { $start }–{ $end }
timetable-kind-lecture = lecture
timetable-kind-practice = practice
timetable-kind-lab = lab
timetable-room = room { $room }
timetable-subgroup = subgroup { $subgroup }
timetable-moved-here = ↩️ moved from { $date }
timetable-extra = ➕ extra class
timetable-cancelled = ❌ <s>{ $pair }. { $subject }</s> — cancelled
timetable-moved-away = ↪️ <s>{ $pair }. { $subject }</s> — moved to { $date }, pair { $to_pair }
timetable-event = 📅 { $title }
timetable-event-important = ❗ { $title }
timetable-deadline = ⏰ { $time } { $text }
timetable-more = …more did not fit: open single days.

timetable-btn-today = Today
timetable-btn-tomorrow = Tomorrow
timetable-btn-week = Week
timetable-btn-prev-week = ◀️ Previous week
timetable-btn-next-week = Next week ▶️
timetable-btn-subgroup = 👥 Subgroup: { $subgroup }
timetable-subgroup-all = all
timetable-btn-manage = ⚙️ Edit the timetable
timetable-btn-day-changes = ✏️ Changes on this day

## Choosing one's subgroup

timetable-subgroup-ask = Choose your subgroup: the timetable will keep its classes and the common ones. «All» shows everything.
timetable-subgroup-saved = Subgroup saved.

## Defining the timetable (leader and assistants)

timetable-manage = ⚙️ <b>The group's timetable</b>
    { $semester }
    Classes a week: { $count }.
timetable-manage-semester = Semester: { $from } – { $to }, the first week is { $parity }.
timetable-manage-no-semester = The semester is not set.
timetable-btn-semester = 📆 Semester
timetable-btn-paste = 📋 Paste classes
timetable-btn-classes = 📚 Classes
timetable-btn-back = ◀️ Back
timetable-btn-cancel = ❌ Cancel

timetable-semester-ask = Send the first and last day of the semester, for example: <code>01.09.2026 30.12.2026</code>. /cancel to stop.
timetable-semester-bad = Could not read the dates. Send two dates as DD.MM.YYYY separated by a space, for example: <code>01.09.2026 30.12.2026</code>.
timetable-semester-parity-ask = Is the week the semester starts in odd or even?
timetable-btn-first-odd = Odd
timetable-btn-first-even = Even
timetable-semester-saved = ✅ Semester: { $from } – { $to }, the first week is { $parity }.
timetable-semester-ends-before-start = The last day of the semester is before the first. Send the dates again.
timetable-semester-too-long = A semester cannot last more than a year. Send the dates again.

timetable-paste-ask = Send the classes, one a line:
    <code>day pair | subject | kind | teacher | room | weeks | subgroup</code>
    For example:
    <code>mon 1 | Calculus | lecture | Ivanov I. I. | 301 | odd</code>
    <code>wed 3 | Physics | lab | Petrova A. S. | 105 | all | 2</code>
    Day: mon tue wed thu fri sat sun. Kind: lecture, practice, lab. Teacher, room, weeks and subgroup are optional (empty or «-»). Weeks: all, odd, even, or dates separated by commas: 15.09, 29.09. Subgroup: all or a number 1–9.
    Nothing is saved until every line is valid. /cancel to stop.
timetable-paste-saved = ✅ { $count ->
        [one] { $count } class added
       *[other] { $count } classes added
    }.
timetable-paste-empty = The message holds no class line. Send the list or /cancel.
timetable-paste-too-many = At most { $max } classes can be added at once. Split the list.
timetable-paste-errors = Nothing was saved — fix { $count ->
        [one] this line
       *[other] these lines
    } and send the whole list again:
    { $lines }
timetable-paste-more-errors = …and { $count ->
        [one] { $count } more line
       *[other] { $count } more lines
    } with errors.
timetable-line-error = Line { $line }: { $problem }
timetable-problem-fields = a line needs at least «day pair», the subject and the kind, separated by «|».
timetable-problem-weekday = not a day of the week (mon, tue, wed, thu, fri, sat, sun).
timetable-problem-date = not a date (DD.MM or DD.MM.YYYY).
timetable-problem-pair = the pair is a number from 1 to 10.
timetable-problem-kind = the kind is lecture, practice or lab.
timetable-problem-teacher = teacher: { $reason }
timetable-problem-room = room: { $reason }
timetable-problem-weeks = weeks are all, odd, even or dates separated by commas (15.09, 29.09).
timetable-problem-date-not-on-weekday = a date of the list falls on another day of the week.
timetable-problem-subgroup = the subgroup is «all» or a number from 1 to 9.
timetable-problem-too-many-fields = too many fields: at most seven separated by «|».
timetable-text-empty = empty
timetable-text-too-long = too long ({ $length } of { $max } characters)
timetable-text-control-chars = characters that are not allowed
timetable-problem-subject = subject: { $reason }

timetable-classes-title = Press a class to change or delete it.
timetable-classes-none = The timetable has no classes yet.
timetable-class-button = { $weekday } { $pair }. { $subject }
timetable-delete-confirm = Delete «{ $subject }» ({ $weekday }, pair { $pair }) with all its changes?
timetable-btn-delete-yes = 🗑 Delete
timetable-class-deleted = Class deleted.

timetable-day-changes = ✏️ <b>Changes on { $date }</b>
    Cancel or move a class of this day, or add an extra one.
timetable-btn-cancel-class = 🚫 { $pair }. { $subject }
timetable-btn-move-class = ↪️ Move { $pair }. { $subject }
timetable-btn-extra = ➕ Extra class
timetable-cancel-confirm = Cancel «{ $subject }» on { $date }? Members who have it in the next 7 days will be told.
timetable-btn-cancel-yes = ❌ Cancel the class
timetable-class-cancelled = Class cancelled.
timetable-move-ask = Where does «{ $subject }» of { $date } move? Send the date, the pair and, if it changes, the room: <code>17.09 4 210</code>. /cancel to stop.
timetable-moved = ✅ Class moved.
timetable-extra-ask = Send the extra class as one line:
    <code>date pair | subject | kind | teacher | room | subgroup</code>
    For example: <code>17.09 5 | Consultation | practice | Ivanov I. I. | 301</code>. /cancel to stop.
timetable-extra-saved = ✅ Extra class added.
timetable-not-text = Send text or /cancel.

timetable-class-not-found = That class is gone.
timetable-not-on-date = That class does not meet on that day.
timetable-already-changed = That class is already cancelled or moved on that day.
timetable-date-outside-semester = That date is outside the semester (or the semester is not set).

## Notices of a change to a date

timetable-notice-cancelled = 🗓 Cancelled: «{ $subject }» on { $date }, pair { $pair }.
timetable-notice-moved = 🗓 Moved: «{ $subject }» from { $date } (pair { $pair }) to { $to_date }, pair { $to_pair }, room { $room }.
timetable-notice-extra = 🗓 Extra class: «{ $subject }» on { $date }, pair { $pair }, room { $room }.

## The leader sets a member's subgroup (on the member's card)

timetable-btn-member-subgroup = 👥 Timetable subgroup
timetable-member-subgroup-ask = Choose the member's subgroup: the timetable will show them its classes and the common ones.
timetable-member-subgroup-saved = ✅ The member's subgroup is saved.
timetable-member-not-found = No such member in the group.

## One class by form, its card, and a calendar file (leader and assistants)

timetable-btn-new-class = ➕ Add a class
timetable-btn-ics = 📥 Upload .ics
timetable-btn-save = ✅ Save
timetable-btn-none = — none
timetable-btn-delete-class = 🗑 Delete the class
timetable-btn-edit-field = ✏️ { $field }
timetable-field-weekday = Day
timetable-field-pair = Pair
timetable-field-subject = Subject
timetable-field-kind = Kind
timetable-field-teacher = Teacher
timetable-field-room = Room
timetable-field-weeks = Weeks
timetable-field-subgroup = Subgroup
timetable-ask-weekday = On which day of the week is the class? /cancel to stop.
timetable-ask-pair = Which pair? Press a button or send its number, 1 to 10.
timetable-ask-subject = What is the subject? At most { $max } characters.
timetable-ask-kind = What kind of class?
timetable-ask-teacher = Who teaches it? Send the name (at most { $max } characters) or press «— none».
timetable-ask-room = In which room? Send it (at most { $max } characters) or press «— none».
timetable-ask-weeks = Which weeks? Every week, odd or even — or send dates separated by commas: <code>15.09, 29.09</code>.
timetable-ask-subgroup = For which subgroup? «all» for the whole group.
timetable-edit-current = Now: { $class }
timetable-step-refused = ⚠️ Not accepted: { $problem }
timetable-weeks-every = every week
timetable-none = —
timetable-class-card = { $weekday }, pair { $pair } ({ $time }) · <b>{ $subject }</b> ({ $kind }) · teacher: { $teacher } · room { $room } · weeks: { $weeks } · subgroup: { $subgroup }
timetable-class-summary = Check the class:
    { $class }
    Save it?
timetable-class-added = ✅ Class added: { $class }
timetable-class-edited = ✅ Class changed.
timetable-hint-save = Press «✅ Save» or /cancel.
timetable-no-semester-first = Set the semester first: «⚙️ Edit the timetable» → «📆 Semester».

timetable-ics-ask = Send a calendar file <b>.ics</b> (at most { $max_kib } KB), for example the timetable exported from your university's site. I will show what it holds first; nothing is saved before «✅ Save». /cancel to stop.
timetable-ics-not-file = Send the .ics file as a document, or /cancel.
timetable-ics-not-ics = This is not an .ics file. Send an iCalendar (.ics) calendar or /cancel.
timetable-ics-too-big = The file is larger than { $max_kib } KB. Send a smaller one or /cancel.
timetable-ics-not-text = Could not read the file: it is not UTF-8 text. Nothing was saved — send another file or /cancel.
timetable-ics-not-calendar = Could not read the file: it is not an iCalendar calendar, or it is damaged. Nothing was saved — send another file or /cancel.
timetable-ics-no-events = The file holds no events. Nothing was saved — send another file or /cancel.
timetable-ics-download = Could not fetch the file from Telegram. Please send it again.
timetable-ics-found = 📥 { $count ->
        [one] { $count } class found
       *[other] { $count } classes found
    }, { $skipped ->
        [one] { $skipped } event skipped
       *[other] { $skipped } events skipped
    }, dates cancelled: { $cancelled }.
timetable-ics-skipped-title = Skipped:
timetable-ics-skipped = • «{ $name }»: { $reason }
timetable-ics-skip-no-start = no start time
timetable-ics-skip-all-day = an all-day event, without a time
timetable-ics-skip-no-subject = no title
timetable-ics-skip-recurrence = does not repeat every one or two weeks on one day
timetable-ics-skip-no-pair = its time matches no pair
timetable-ics-skip-outside = not within the semester
timetable-ics-skip-override = a change to one date of a recurring event
timetable-ics-more = …and { $count } more.
timetable-ics-save-hint = Save these classes? Nothing is saved without «✅ Save».
timetable-ics-saved = ✅ { $count ->
        [one] { $count } class added
       *[other] { $count } classes added
    } from the file, dates cancelled: { $cancelled }.

## The member's own subgroup, from the profile

timetable-profile-subgroup-ask = Your subgroup now: { $subgroup }. Choose a subgroup: the timetable will show its classes and the common ones. «all» shows everything.
timetable-profile-subgroup-saved = ✅ Your subgroup: { $subgroup }.

## Removing an extra class

timetable-btn-remove-extra = 🗑 Remove extra { $pair }. { $subject }
timetable-remove-extra-confirm = Remove the extra class «{ $subject }» on { $date }? Members who have it within the next 7 days will be told.
timetable-btn-remove-extra-yes = 🗑 Remove the class
timetable-extra-removed = The extra class is removed.
timetable-notice-extra-removed = 🗓 No extra class: «{ $subject }» on { $date }, pair { $pair }.

## The bell schedule

timetable-btn-bells = 🔔 Bells
timetable-bells-ask = 🔔 The bells now:
    <code>{ $bells }</code>
    Send the new bell schedule: one pair a line, in order, for example <code>1. 08:30-10:00</code>. At most { $max } pairs. /cancel to stop.
timetable-bells-bad-line = Line { $line }: a pair needs its start and end, for example <code>08:30-10:00</code>. Send the bell schedule again or /cancel.
timetable-bells-empty = The message holds no pair. Send the bell schedule or /cancel.
timetable-bells-too-many = At most { $max } pairs a day. Send the bell schedule again or /cancel.
timetable-bells-ends-before-start = Pair { $pair } ends before it starts. Send the bell schedule again or /cancel.
timetable-bells-overlap = Pair { $pair } starts before the one before it ends. Send the bell schedule again or /cancel.
timetable-bells-saved = ✅ Bells saved: { $count ->
        [one] { $count } pair
       *[other] { $count } pairs
    }.

## Posting the next day's changes to the group chat

timetable-manage-post-on = 📣 Tomorrow's changes are posted to the group chat at 18:00.
timetable-manage-post-on-unbound = 📣 Tomorrow's changes will be posted to the group chat at 18:00 once a chat is bound (/bind in the chat).
timetable-manage-post-off = 📣 Changes are not posted to the group chat.
timetable-btn-post-on = 📣 Post changes to the chat
timetable-btn-post-off = 🔕 Don't post changes
timetable-post-turned-on = Changes will be posted to the group chat.
timetable-post-turned-off = Changes are no longer posted to the group chat.
