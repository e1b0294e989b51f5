## The group's Telegram chat (F13)

chat-help = 👋 I am the study group's bot.
    The group leader binds this chat with /bind: new events and announcements are then posted here, and queues and topic lists can be published here with buttons.
    Everything else happens in a private chat with me.
chat-bind-prompt = 🔗 Bind this chat to a study group?
    Only the group leader can confirm.
chat-btn-bind = ✅ Bind to my group
chat-bind-only-leader = Only the leader of a study group can bind a chat.
chat-bound = ✅ This chat is bound to the group <b>{ $group }</b>.
    New events and announcements are posted here.
chat-reminders-on = 🔔 Reminders are posted here too.
chat-reminders-off = 🔕 Reminders are not posted here.
chat-btn-reminders-on = 🔔 Post reminders
chat-btn-reminders-off = 🔕 Stop posting reminders
chat-btn-unbind = ✖️ Unbind the chat
chat-bound-toast = Chat bound
chat-reminders-toast = Done
chat-unbound = The chat is no longer bound to the group. To bind it again: /bind
chat-taken = This chat is already bound to another study group.
chat-bot-not-in-chat = The bot is not in this chat: add it to the chat and send /bind again.
chat-not-bound = The group's chat is not bound. Add the bot to the group's chat and send /bind there.
chat-target-not-found = No such queue or topic list in your group.
chat-btn-publish = 📣 Publish to the chat
chat-published = Published to the chat “{ $chat }”
chat-not-member = These buttons are for members of the study group only.

## A queue published to the chat

chat-queue-title = 🚶 <b>{ $title }</b>
    📅 { $event }
chat-queue-open = 🟢 Open · { $count } { $count ->
        [one] participant
       *[other] participants
    }
chat-queue-open-max = 🟢 Open · { $count } of { $max }
chat-queue-closed = 🔒 Closed · { $count } { $count ->
        [one] participant
       *[other] participants
    }
chat-queue-empty = Nobody yet — be the first!
chat-queue-opening = 🕒 Opening: { $at } (no joining before)
chat-queue-line = { $position }. { $name }
chat-more = …and { $count } more
chat-btn-join = Join the queue
chat-btn-leave = Leave
chat-joined = You are number { $position } in the queue
chat-joined-lottery = You are in the lottery: places are drawn when it ends
chat-left = You left the queue
chat-queue-gone = The queue was deleted.

## A topic list published to the chat

chat-topics-title = 📚 <b>{ $title }</b>
    📅 { $event }
    Places per topic: { $capacity }
chat-topic-line = { $n }. { $title } — { $taken }/{ $capacity }
chat-topic-line-full = { $n }. <s>{ $title }</s> — taken
chat-topics-more-free = { $count } more free topics — in a private chat with the bot.
chat-topics-none-free = No free topics left.
chat-picked = Your topic: { $title }
chat-topics-gone = The topic list was deleted.
