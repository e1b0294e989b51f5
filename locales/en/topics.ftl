# Topic lists (F7): forms, the browser, the distribution, errors.

topics-ask-title = 📋 A new topic list for “{ $event }”.
    Enter the list's title (up to { $max } characters), e.g. “Reports”:
topics-ask-capacity = How many students may take one topic? Enter a number from { $min } to { $max }:
topics-ask-topics = Send the topics in one message — one per line — or as a <b>.txt</b> file (UTF-8, up to { $kib } KB).
    At most { $max } topics, each up to { $chars } characters; empty lines are skipped.
topics-ask-more = ➕ Adding topics to “{ $title }”.
    Send the topics in one message (one per line) or as a .txt file. A list holds at most { $max } topics, each up to { $chars } characters.
topics-not-text = Send text or a .txt file — or press “❌ Cancel”.
topics-created = ✅ Topic list “{ $title }” created: { $count ->
        [one] { $count } topic
       *[other] { $count } topics
    }.
topics-added = ✅ Added { $count ->
        [one] { $count } topic
       *[other] { $count } topics
    } to “{ $title }”. It now has { $total ->
        [one] { $total } topic
       *[other] { $total } topics
    }.

topics-title-empty = The title cannot be empty. Enter the list's title:
topics-title-too-long = The title is too long: { $length } of { $max } characters. Enter a shorter one:
topics-title-control-chars = The title must be one line without control characters. Try again:
topics-capacity-not-number = A whole number is needed, e.g. 1 or 2. Try again:
topics-capacity-range = The number must be from { $min } to { $max }. Try again:
topics-lines-empty = No topics found. Send the topics, one per line:
topics-lines-too-many = Too many topics: { $count }, at most { $max }. Send a shorter list:
topics-lines-too-long = The topic on line { $line } is too long: { $length } of { $max } characters. Fix it and send the list again:
topics-lines-control-chars = Line { $line } contains control characters. Fix it and send the list again:
topics-lines-duplicates = Repeated topics ({ $count }): { $topics }. Remove the repeats and send the list again:
topics-doc-empty = The file is empty — it has no topics. Send another file or text:
topics-doc-too-big = The file is too big: at most { $max } KB. Send a smaller file or text:
topics-doc-binary = This is not a text file. Send a .txt file with topics (one per line) or text:
topics-doc-not-utf8 = The file is not UTF-8 (it looks like Windows-1251). Save it as “UTF-8” and send it again — or paste the topics as text:
topics-doc-download = Could not get the file from Telegram. Please send it again:

topics-browser-title = 📋 <b>{ $title }</b> — { $event }
    { $count ->
        [one] { $count } topic
       *[other] { $count } topics
    }, up to { $capacity ->
        [one] { $capacity } student
       *[other] { $capacity } students
    } per topic. Page { $page } of { $pages }.
topics-mine-none = You have not picked a topic yet: tap a free one.
topics-mine-pending = 👉 Your topic: “{ $title }” — awaiting confirmation, you can still change it.
topics-mine-confirmed = ✅ Your topic: “{ $title }” — confirmed.
topics-empty = The list has no topics yet.
topics-state-taken = taken
topics-state-mine = yours
topics-state-open = free
topics-state-free = { $free } of { $capacity } free
topics-browser-line = { $mark }{ $n }. { $title } — { $state }
topics-btn-mine = ⭐ My topic
topics-btn-distribution = 📊 Distribution
topics-btn-back-event = ◀️ To the event
topics-btn-back-list = ◀️ To the topics
topics-btn-back-dist = ◀️ To the distribution
topics-btn-open = 📋 Open the list
topics-btn-unpick = ↩️ Give up the topic

topics-picked = “{ $title }” is yours. The group leader will confirm it.
topics-picked-replaced = Topic changed: now “{ $title }” instead of “{ $old }”.
topics-unpicked = You gave up “{ $title }”.
topics-my-choice-none = You have not picked a topic in “{ $list }” yet.
topics-my-choice-pending = 👉 Your topic in “{ $list }”: <b>{ $title }</b>.
    Not confirmed yet — you can change it or give it up.
topics-my-choice-confirmed = ✅ Your topic in “{ $list }”: <b>{ $title }</b>.
    Confirmed and final.

topics-dist-title = 📊 <b>Distribution: { $title }</b>
    Picked: { $picked }, confirmed: { $confirmed }. Page { $page } of { $pages }.
topics-dist-topic = <b>{ $n }. { $title }</b> ({ $taken }/{ $capacity })
topics-dist-free =     — free
topics-dist-pick-confirmed =     ✅ { $name }{ $username }
topics-dist-pick-pending =     ⏳ { $name }{ $username }
topics-dist-everyone = Every member of the group has a topic.
topics-dist-without = Without a topic ({ $count }):
topics-topic-title = 👥 <b>{ $title }</b> ({ $taken }/{ $capacity })
    List “{ $list }”.
topics-btn-confirm-all = ✅ Confirm all
topics-btn-export = 📄 Export CSV
topics-btn-add = ➕ Add topics
topics-btn-remove = 🗑 Remove a topic
topics-btn-delete = 🗑 Delete the list
topics-btn-confirm = ✅ { $name }
topics-btn-reject = ✖️ { $name }
topics-btn-remove-yes = 🗑 Yes, remove the topic
topics-btn-delete-yes = 🗑 Yes, delete the list
topics-confirmed-toast = Pick confirmed.
topics-confirmed-all-toast = Confirmed: { $count }.
topics-rejected-toast = Pick rejected, the place is free.
topics-removed-toast = Topic removed.
topics-remove-choose = Which topic to remove? Its picks go with it.
topics-remove-confirm = Remove “{ $title }”? { $count ->
        [0] Nobody picked it.
        [one] { $count } student picked it and will be told.
       *[other] { $count } students picked it and will be told.
    }
topics-delete-confirm = Delete the topic list “{ $title }” with all its topics and picks? This cannot be undone.
topics-deleted = 🗑 Topic list “{ $title }” deleted.
topics-confirmed-notice =
    ✅ Your pick “{ $title }” (list “{ $list }”) was confirmed.
    📅 { $event }, { $date }
topics-rejected-notice =
    ✖️ Your pick “{ $title }” (list “{ $list }”) was rejected by the group leader. Please pick another topic.
    📅 { $event }, { $date }
topics-removed-notice =
    🗑 The topic “{ $title }” was removed from “{ $list }”, so your pick is gone. Please pick another topic.
    📅 { $event }, { $date }
topics-csv-topic = Topic
topics-csv-student = Student
topics-csv-username = Username
topics-csv-confirmed = Confirmed
topics-csv-picked-at = Picked at
topics-csv-yes = yes
topics-csv-no = no
topics-export-caption = 📄 Topic distribution “{ $title }”: { $count ->
        [one] { $count } pick
       *[other] { $count } picks
    }.

topics-not-found = This topic list or pick was not found — it may have been deleted.
topics-event-not-found = The event was not found — it may have been deleted.
topics-error-full = “{ $title }” is already taken. Pick another one.
topics-error-already-yours = “{ $title }” is already yours.
topics-error-confirmed = Your pick “{ $title }” is confirmed and final — it cannot be changed.
topics-error-no-pick = You have no topic in this list.
topics-error-too-many-total = The list would have { $count } topics, at most { $max } are allowed. Send fewer topics:
topics-error-existing = These topics are already in the list ({ $count }): { $topics }. Remove them and send again:
topics-error-busy = Lots of presses right now — please try again.

## Assignment by preference

topics-btn-by-preference = 🗳 By preference
topics-btn-clear-ranking = 🧹 Clear my choices
topics-ask-preferences = 🗳 The list “{ $title }” by preference: everyone marks up to N topics in order, and after the deadline topics are assigned by random serial dictatorship — students in a random order each get the first free topic of their list in turn. Send N (from { $min } to { $max }) and the deadline in the group's time zone ({ $zone }), for example: 3 25.12 18:00
topics-preferences-invalid = First the number of topics from { $min } to { $max }, then the deadline: for example, 3 25.12 18:00.
topics-preferences-set = ✅ The list collects preferences until the deadline.
topics-preference-head = 🗳 <b>Choice by preference</b> until { $deadline }: press topics in the order you want them, up to { $choices }. After the deadline topics are assigned by random serial dictatorship, never above capacity.
topics-ranking-none = You have not chosen anything yet.
topics-ranking-mine = Your choices:
topics-ranked-toast = Choice #{ $rank }: { $title }
topics-ranking-cleared-toast = Your choices are cleared
topics-error-by-preference = This list is assigned by preference: mark topics in order before the deadline.
topics-error-not-collecting = Choices by preference are not taken now.
topics-error-already-ranked = This topic is already your choice #{ $rank }.
topics-error-too-many-choices = At most { $max } { $max ->
        [one] topic
       *[other] topics
    } — clear your choices to start again.
topics-allocated-notice = 🗳 Topics of the list “{ $title }” are assigned: yours is “{ $topic }”.
topics-allocated-none-notice = 🗳 Topics of the list “{ $title }” are assigned, but every topic you chose is full. Pick a free topic or ask the group leader.
