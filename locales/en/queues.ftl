## Queues (F6)

queue-default-title = Queue

## The queue screen

queue-view-title = 🚶 <b>{ $title }</b>
    📅 { $event }
queue-status-open = 🟢 Open · { $count } { $count ->
        [one] participant
       *[other] participants
    }
queue-status-open-max = 🟢 Open · { $count } of { $max } · { $free } { $free ->
        [one] place
       *[other] places
    } free
queue-status-closed = 🔒 Closed · { $count } { $count ->
        [one] participant
       *[other] participants
    }
queue-status-closed-max = 🔒 Closed · { $count } of { $max }
queue-empty = The queue is empty — be the first!
queue-line = { $position }. { $name }
queue-line-own = 👉 <b>{ $position }. { $name }</b>
queue-more = …and { $count } more

## Buttons

queue-btn-join = Join the queue
queue-btn-leave = Leave the queue
queue-btn-refresh = 🔄 Refresh
queue-btn-back-to-event = ◀️ To the event
queue-btn-next = Next
queue-btn-remove = Remove someone
queue-btn-move = Move
queue-btn-close = Close
queue-btn-open = Open
queue-btn-clear = Clear
queue-btn-edit = ✏️ Edit
queue-btn-delete = 🗑 Delete
queue-btn-csv = 📄 CSV
queue-btn-back = ◀️ To the queue
queue-btn-show = 🚶 Open the queue
queue-btn-clear-yes = 🧹 Yes, clear it
queue-btn-delete-yes = 🗑 Yes, delete it
queue-btn-edit-title = Title
queue-btn-edit-description = Description
queue-btn-edit-max = Maximum participants
queue-btn-default-title = Keep “Queue”
queue-btn-skip = Skip
queue-btn-unlimited = No limit
queue-btn-remove-description = Remove the description
queue-btn-cancel = ❌ Cancel

## Outcomes (toasts)

queue-joined-toast = You are in the queue: #{ $position }
queue-left-toast = You left the queue (you were #{ $position })
queue-already-in = You are already in the queue: #{ $position }
queue-full = The queue is full: all { $max } { $max ->
        [one] place is
       *[other] places are
    } taken
queue-closed = The queue is closed
queue-not-in = You are not in this queue
queue-empty-toast = The queue is empty
queue-next-toast = Done: { $name }
queue-removed-toast = Removed from the queue: { $name }
queue-moved-toast = { $name } is now #{ $position }
queue-closed-toast = The queue is closed
queue-opened-toast = The queue is open
queue-cleared-toast = The queue is cleared: { $count } { $count ->
        [one] participant
       *[other] participants
    }
queue-deleted-toast = The queue is deleted

## Notifications to participants

queue-your-turn =
    🔔 <b>Your turn!</b> Queue “{ $title }”: you are first.
    📅 { $event }, { $date }
queue-you-are-next =
    ⏳ <b>You are next</b> in the queue “{ $title }”.
    📅 { $event }, { $date }
queue-removed-notice =
    ℹ️ You were removed from the queue “{ $title }”.
    📅 { $event }, { $date }
queue-moved-notice =
    ℹ️ You were moved in the queue “{ $title }”: you are now #{ $position }.
    📅 { $event }, { $date }

## Choosing a participant, a position

queue-choose-remove = Whom to remove from the queue “{ $title }”?
queue-choose-move = Whom to move in the queue “{ $title }”?
queue-choose-position = Where to move { $name } (now #{ $position } of { $count })? Press a number or type it.

## Confirmations

queue-clear-confirm = Clear the queue “{ $title }”? { $count } { $count ->
        [one] participant leaves
       *[other] participants leave
    } it.
queue-delete-confirm = Delete the queue “{ $title }” ({ $count } { $count ->
        [one] participant
       *[other] participants
    })? This cannot be undone.
queue-deleted = 🗑 The queue “{ $title }” is deleted.

## Forms

queue-ask-title = 🚶 A new queue for the event “{ $event }”. What is it called? Up to { $max } characters, or /skip for “Queue”.
queue-ask-description = The queue's description (up to { $max } characters), or /skip.
queue-ask-max = Maximum participants — a number from { $min } to { $max }, or /skip for no limit.
queue-created = ✅ The queue “{ $title }” is created.
queue-edit-menu = ✏️ What to change in the queue “{ $title }”?
queue-edit-ask-title = The new title (now “{ $current }”), up to { $max } characters.
queue-edit-ask-description = The new description (up to { $max } characters), or /skip to remove it.
queue-edit-ask-max = The new maximum — a number from { $min } to { $max }, or /skip for no limit. Those already in the queue stay.
queue-edited = ✅ The queue is changed.
queue-skip-not-here = This step cannot be skipped — type a value or /cancel.
queue-not-text = Please answer with text, or /cancel.

## Errors

queue-not-found = The queue is not found — it may have been deleted.
queue-event-not-found = The event is not found — it may have been deleted.
queue-participant-not-found = This participant is no longer in the queue.
queue-title-empty = The title cannot be empty.
queue-title-too-long = The title is too long: { $length } characters, at most { $max }.
queue-title-control-chars = The title must be one line without control characters.
queue-description-empty = The description cannot be empty — or /skip.
queue-description-too-long = The description is too long: { $length } characters, at most { $max }.
queue-description-control-chars = The description contains control characters — please remove them.
queue-max-invalid = A whole number from { $min } to { $max } is needed — or /skip for no limit.
queue-position-invalid = A place number from 1 to { $max } is needed.

## CSV export

queue-csv-position = Place
queue-csv-name = Name
queue-csv-username = Username
queue-csv-joined = Joined
queue-export-caption = 📄 Queue “{ $title }”: { $count } { $count ->
        [one] participant
       *[other] participants
    }

## Opening at a set time, lottery, away, no-show

queue-opens-at = 🕒 Opens at { $at } — joining is not possible before that.
queue-draw-at = 🎲 Lottery: the order of everyone who joins before { $at } will be drawn at random.
queue-away-mark = 🚶 away
queue-btn-away = 🚶 Stepped away
queue-btn-back-here = ✅ I am back
queue-btn-no-show = ⏭ No-show — to the end
queue-btn-edit-opening = 🕒 Opening time
queue-btn-edit-lottery = 🎲 Lottery
queue-btn-no-opening = Open at once
queue-btn-no-lottery = No lottery
queue-joined-lottery-toast = You are in the lottery: the order will be drawn at { $at }
queue-not-yet-open-toast = The queue opens at { $at } — press then
queue-not-yet-open = The queue is not open yet.
queue-lottery-needs-opening = Set the opening time first: the lottery draws the presses of the first minutes after it.
queue-all-away = Everyone in the queue stepped away — there is nobody to call.
queue-not-first = This participant is no longer first — refresh the queue.
queue-away-toast = You stepped away; place #{ $position } is kept
queue-back-toast = Welcome back! Your place: #{ $position }
queue-opening-none = not set
queue-edit-ask-opening = When should the queue open? Date and time in the group's time zone ({ $zone }): DD.MM HH:MM or DD.MM.YYYY HH:MM. Now: { $current }. Nobody can join before then; members are notified when it opens. /skip — open at once.
queue-edit-ask-lottery = For how many minutes after the opening should the order be drawn? A number from { $min } to { $max }: everyone who presses within those minutes gets a place by lot, later ones join at the end. /skip — no lottery.
queue-lottery-invalid = A whole number of minutes from { $min } to { $max } is needed — or /skip for no lottery.
# Opening notices scheduled before they named the event.
queue-opened-notice = 🟢 The queue “{ $title }” is open — you can join now.
queue-opened-event-notice =
    🟢 The queue “{ $title }” is open — you can join now.
    📅 { $event }, { $date }
queue-drawn-notice =
    🎲 The lottery of the queue “{ $title }” is drawn: your place is #{ $position }.
    📅 { $event }, { $date }
queue-skipped-notice =
    🚶 You stepped away and were skipped in the queue “{ $title }”. Your place is kept for { $turns } more { $turns ->
            [one] turn
           *[other] turns
        }.
    📅 { $event }, { $date }
queue-away-moved-notice =
    🚶 You were away too long: in the queue “{ $title }” you were moved to the end, now #{ $position }.
    📅 { $event }, { $date }

## Swapping places

queue-btn-swap = 🔁 Swap
queue-btn-swap-answer = 🔁 Answer
queue-btn-swap-accept = ✅ Swap
queue-btn-swap-decline = 🚫 Decline
queue-choose-swap = Whom to ask to swap places in the queue “{ $title }”? They will have to agree.
queue-swap-nobody = Nobody to swap with: you need to be in the queue, and someone else too.
queue-swap-sent-toast = Request sent: { $name }
queue-swap-self = You cannot swap with yourself.
queue-swap-gone = This request is gone — it was answered or replaced by a new one.
queue-swap-asked =
    🔁 { $name } (#{ $theirs }) asks to swap places in the queue “{ $title }”: you are #{ $yours } now.
    📅 { $event }, { $date }
queue-swap-question = 🔁 { $name } (#{ $theirs }) asks to swap places in the queue “{ $title }”. You are #{ $yours } now. Agree?
queue-swap-done-toast = Done: your place is now #{ $position }
queue-swap-declined-toast = You declined the swap
queue-swap-stale-toast = The swap did not happen: one of you has already moved in the queue
queue-swap-done =
    🔁 { $name } agreed: in the queue “{ $title }” you are now #{ $position }.
    📅 { $event }, { $date }
queue-swap-declined =
    🔁 { $name } declined to swap places in the queue “{ $title }”.
    📅 { $event }, { $date }
queue-swap-stale =
    🔁 The swap with { $name } in the queue “{ $title }” did not happen: one of you has already moved.
    📅 { $event }, { $date }

## Wait estimate

queue-wait-estimate = ⏱ About { $minutes } { $minutes ->
        [one] minute
       *[other] minutes
    } until your turn (from the average time between calls).

## My queues and topics

mine-title = 🙋 <b>My queues and topics</b>
mine-empty = You are in no queue and have picked no topic yet. The queues and topic lists of the coming events will show up here.
mine-queue-place = 👉 Place <b>{ $place }</b> of { $total } — “{ $queue }” · { $event }, { $date }
mine-queue-open = ➕ “{ $queue }” · { $event }, { $date } — open to join
mine-topic-picked = 📌 Topic “{ $topic }” ({ $confirmed ->
        [1] confirmed
       *[0] awaiting confirmation
    }) — “{ $list }” · { $event }, { $date }
mine-topic-open = 📋 “{ $list }” · { $event }, { $date } — no topic picked yet
mine-btn-queue = 👉 { $place } · { $queue }
mine-btn-join = ➕ Join: { $queue }
mine-btn-topics = 📋 Pick a topic: { $list }
mine-btn-refresh = 🔄 Refresh
queue-deleted-notice =
    🗑 The queue “{ $title }” was deleted; your place in it is gone.
    📅 { $event }, { $date }
