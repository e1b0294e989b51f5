## Invitations (F3)

invite-days = { $days } { $days ->
        [one] day
       *[other] days
    }

invite-menu =
    <b>🔗 Invite to the group</b>

    Valid for: { $days } { $days ->
        [one] day
       *[other] days
    }.
    { $single ->
        [1] Single-use: only one person can join with the link.
       *[0] Reusable: any number of classmates can join with the link.
    }

    Choose the options and press “Create link”.
invite-btn-single-use-off = ⬜ Single-use
invite-btn-single-use-on = ✅ Single-use
invite-btn-create = Create link
invite-btn-list = Active links
invite-btn-new-link = ➕ New link
invite-btn-revoke = Revoke #{ $n }

invite-created =
    ✅ Invite link created:

    <code>{ $link }</code>

    Valid for { $days } { $days ->
        [one] day
       *[other] days
    } — until { $until } ({ $timezone }).
    { $single ->
        [1] Single-use: only one person can join with it.
       *[0] Reusable: any number of classmates can join with it.
    }

    Send it to your classmates: opening it, they join the group.

invite-list-title = <b>Active invite links: { $count }</b>
    Times are in the group's time zone ({ $timezone }).
invite-list-item = { $n }. { $link }
    until { $until }, { $single ->
        [1] single-use
       *[0] reusable
    }, { $uses ->
        [0] not used yet
        [one] used once
       *[other] used { $uses } times
    }
invite-list-more = …and { $count } more { $count ->
        [one] link
       *[other] links
    }.
invite-list-empty = There are no active invite links.
invite-revoke-done = The link has been revoked.
invite-not-found = This link is not among your group's links.

invite-ask-token =
    Send the invite link your group leader gave you (like https://t.me/…?start=…), or the code from it.
invite-not-text = Send the invite link as text.
invite-not-a-token =
    This does not look like an invite link. Send a link like https://t.me/…?start=… or the code from it — or press “❌ Cancel”.
invite-other-bot =
    This is a link to another bot (@{ $bot }). Send an invite link to this bot — or press “❌ Cancel”.

invite-joined = 🎉 You have joined the group “{ $group }”!
invite-member-joined = 👋 { $name } has joined the group “{ $group }”.

invite-unknown = ❌ There is no such invite link. Check that it was copied completely, or ask your group leader for a new one.
invite-expired = ⌛ This invite link has expired. Ask your group leader for a new one.
invite-revoked = 🚫 This invite link has been revoked. Ask your group leader for a new one.
invite-used-up = This single-use invite link has already been used. Ask your group leader for a new one.
invite-already-in-group = You are already in the group “{ $group }”. To join another one, leave it first.
