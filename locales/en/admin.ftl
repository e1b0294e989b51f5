## Bot administration: access codes, the panel, the change history

cmd-admin = Admin panel

admin-granted = ✅ You are a bot administrator now. /admin opens the panel.
admin-already = You are already a bot administrator.
admin-code-wrong = ❌ This code does not work: wrong, used, deactivated or expired.
admin-code-too-many = ⛔ Too many wrong codes. Try again in an hour.
admin-not-found = Not found: it may have been deleted already.

admin-panel = 🛠 <b>Admin panel</b>
admin-btn-stats = 📊 Statistics
admin-btn-groups = 👥 Groups
admin-btn-search = 🔎 Find a group
admin-btn-broadcast-all = 📢 Message everyone
admin-btn-broadcast-leaders = 📢 Message leaders
admin-btn-log = 📜 Change log
admin-btn-codes = 🔑 Access codes
admin-btn-back = ◀️ To the panel
admin-btn-back-group = ◀️ To the group
admin-btn-cancel = ❌ Cancel

admin-stats =
    📊 <b>Statistics</b>

    Users: { $users }
    Groups: { $groups }
    Events: { $events }
    Active in 7 days: { $active }

admin-groups = 👥 <b>Groups</b> (total: { $count })
admin-group-row = { $name } · { $members } people
admin-search-ask = 🔎 Type a part of the group's name.
admin-search-result = 🔎 Groups with “{ $query }” in the name: { $count }
admin-role-leader = leader
admin-role-assistant = assistant
admin-role-member = member
admin-group-card =
    👥 <b>{ $name }</b>

    Time zone: { $timezone }
    Created: { $created }
    Members: { $members }
    Events: { $events }
admin-btn-group-log = 📜 Group's log
admin-btn-delete-group = 🗑 Delete the group
admin-delete-confirm =
    Delete the group <b>{ $name }</b> with all its events, queues and topics? Members: { $members }. They will be told. This cannot be undone.
admin-btn-delete-confirm = 🗑 Yes, delete
admin-group-deleted = The group <b>{ $name }</b> is deleted. Members told: { $members }.
admin-group-deleted-notice = 🗑 The group “{ $name }” was deleted by the bot's administrators. You are no longer in a group.

admin-broadcast-ask = 📢 Type the message to send (up to { $max } characters).
admin-broadcast-not-text = A broadcast is text. Send it as a message.
admin-audience-all = all users
admin-audience-leaders = group leaders
admin-broadcast-preview = This is what the recipients ({ $audience }) will see. Send it?
admin-btn-broadcast-send = ✅ Send
admin-broadcast-message =
    📢 <b>A message from the administrators</b>

    { $text }
admin-broadcast-sent = ✅ The message is queued for { $count } recipients.
admin-broadcast-cancelled = The broadcast is cancelled.
admin-broadcast-nothing = Nothing to send: the broadcast was already sent or cancelled.

admin-log-header = 📜 <b>Change log</b> (times in UTC)

admin-codes = 🔑 <b>Access codes</b> (valid: { $count })
admin-code-line = • { $id } — { $kind }, until { $expires }
admin-code-one-time = one-time
admin-code-reusable = reusable
admin-code-no-expiry = deactivated
admin-code-created =
    New code (shown only once):
    <code>{ $code }</code>
    It is sent to the bot with /admin.
admin-btn-code-one-time = ➕ One-time, 24 h
admin-btn-code-reusable = ➕ Reusable, 7 days
admin-btn-code-deactivate = 🚫 Deactivate { $id }
admin-code-deactivated = The code is deactivated.

settings-btn-history = 📜 Change history
history-header = 📜 <b>Change history of { $name }</b> (times: { $timezone })
history-empty = No changes yet.
history-system = system
history-about-event = event “{ $title }”
history-about-queue = queue “{ $title }”
history-about-topics = topic list “{ $title }”

history-action-group-create = group created
history-action-group-rename = group renamed
history-action-group-description = description changed
history-action-group-timezone = time zone changed
history-action-group-delete = group deleted
history-action-group-transfer = leadership transferred
history-action-group-ics-regenerate = new calendar link
history-action-invite-create = invitation created
history-action-invite-revoke = invitation revoked
history-action-member-join = joined the group
history-action-member-appoint = assistant appointed
history-action-member-revoke = assistant revoked
history-action-member-remove = member removed
history-action-member-leave = left the group
history-action-profile-fio = full name changed
history-action-profile-language = language changed
history-action-event-create = event created
history-action-event-edit = event edited
history-action-event-delete = event deleted
history-action-deadline-add = deadline added
history-action-deadline-remove = deadline removed
history-action-queue-create = queue created
history-action-queue-edit = queue edited
history-action-queue-delete = queue deleted
history-action-queue-join = joined a queue
history-action-queue-leave = left a queue
history-action-queue-next = next in queue called
history-action-queue-remove = removed from a queue
history-action-queue-move = moved in a queue
history-action-queue-clear = queue cleared
history-action-topics-create = topic list created
history-action-topics-add = topics added
history-action-topics-remove = topic removed
history-action-topics-delete = topic list deleted
history-action-topic-pick = topic picked
history-action-topic-unpick = topic given up
history-action-topic-confirm = topic confirmed
history-action-topic-reject = topic rejected
history-action-admin-redeem = became an administrator
history-action-admin-code-create = access code created
history-action-admin-code-deactivate = access code deactivated
history-action-admin-group-delete = group deleted by an administrator
history-action-admin-broadcast = broadcast
history-action-groupchat-bind = linking the group chat
history-action-groupchat-bot-removed = bot removed from the group chat
history-action-groupchat-migrate = group chat became a supergroup
history-action-groupchat-post-reminders = reminders in the group chat
history-action-groupchat-publish = posted to the group chat
history-action-groupchat-unbind = unlinking the group chat
history-action-announcement-send = announcement
history-action-queue-away = marked away in a queue
history-action-queue-back = back in a queue
history-action-queue-close = queue closed or reopened
history-action-queue-draw = queue lottery drawn
history-action-queue-open = queue opened
history-action-queue-skip = skipped in a queue
history-action-queue-swap = places swapped in a queue
history-action-queue-swap-ask = swap of places requested
history-action-queue-swap-decline = swap of places declined
history-action-queue-swap-stale = swap of places no longer possible
history-action-timetable-bells = bell schedule changed
history-action-timetable-class-delete = class deleted
history-action-timetable-class-edit = class edited
history-action-timetable-classes-add = classes added
history-action-timetable-date-change = class changed on a date
history-action-timetable-extra-remove = extra class removed
history-action-timetable-import = timetable imported from .ics
history-action-timetable-post-changes = posting changes to the chat switched
history-action-timetable-post-digest = posting the evening digest to the chat switched
history-action-timetable-semester = semester set
history-action-timetable-subgroup = subgroup chosen
history-action-topics-allocate = topics allocated
history-action-topics-by-preference = topics by preference
history-action-topics-rank = topics ranked
history-action-topics-rank-clear = topic ranking cleared
