## Group settings (“⚙️ Group settings”)

settings-screen =
    ⚙️ <b>Group settings</b>

    ✏️ Name: <b>{ $name }</b>
    👥 Members: { $members }
    🕒 Time zone: { $timezone } — now { $time } there ({ $offset })
    📝 Description: { $has_description ->
        [0] <i>not set</i>
       *[other] { $description }
    }

settings-btn-rename = ✏️ Name
settings-btn-description = 📝 Description
settings-btn-timezone = 🕒 Time zone
settings-btn-transfer = 👑 Transfer leadership
settings-btn-delete = 🗑 Delete the group
settings-btn-back = ◀️ Back
settings-btn-clear-description = 🧹 Clear
settings-btn-delete-confirm = 🗑 Yes, delete for good
settings-btn-delete-cancel = ◀️ No, keep it

## Rename

group-rename-ask =
    ✏️ Enter the group's new name (at most { $max } characters).

    Now: “{ $name }”
group-renamed = ✅ The group has been renamed.

## Description

group-description-ask =
    📝 Send the group's new description (at most { $max } characters).

    To remove the description, press “🧹 Clear” or send “-”.
group-description-saved = ✅ The description has been saved.
group-description-cleared = ✅ The description has been removed.
group-description-empty = The description cannot be empty. Send its text, or “-” to remove it.
group-description-too-long =
    The description is too long ({ $length } { $length ->
        [one] character
       *[other] characters
    }). Please shorten it to { $max } characters.
group-description-control-chars = The description must not contain control characters (line breaks are fine). Send the description again:
group-description-not-text = Send the group's description as text.

## Time zone

group-timezone-ask =
    🕒 Pick the group's time zone with a button, or send its IANA name, e.g. <code>Europe/Moscow</code> or <code>Asia/Novosibirsk</code>.

    Now: { $timezone }
group-timezone-saved = ✅ The group's time zone: { $timezone }.
group-timezone-empty = Send a time zone name, e.g. <code>Europe/Moscow</code>.
group-timezone-unknown = Unknown time zone “{ $input }”. Send an IANA name, e.g. <code>Europe/Moscow</code> or <code>Asia/Novosibirsk</code>, or pick one with a button.
group-timezone-not-text = Send the time zone's name as text or pick one with a button.

settings-tz-kaliningrad = Kaliningrad ({ $offset })
settings-tz-moscow = Moscow ({ $offset })
settings-tz-samara = Samara ({ $offset })
settings-tz-yekaterinburg = Yekaterinburg ({ $offset })
settings-tz-omsk = Omsk ({ $offset })
settings-tz-novosibirsk = Novosibirsk ({ $offset })
settings-tz-krasnoyarsk = Krasnoyarsk ({ $offset })
settings-tz-irkutsk = Irkutsk ({ $offset })
settings-tz-yakutsk = Yakutsk ({ $offset })
settings-tz-vladivostok = Vladivostok ({ $offset })
settings-tz-magadan = Magadan ({ $offset })
settings-tz-kamchatka = Kamchatka ({ $offset })

## Deleting the group

group-delete-confirm =
    🗑 <b>Delete the group “{ $name }”?</b>

    All its events, deadlines, queues, topic lists, invitations and the memberships of everyone in it ({ $members }) will be deleted for good.
group-deleted = 🗑 The group “{ $name }” has been deleted.
group-deleted-leader = The group “{ $name }” has been deleted. You can create a new group or join another one by an invite link.
group-deleted-notice =
    🗑 The leader has deleted the group “{ $name }”. You are no longer in a group.

    Create your own group or join another one by an invite link.
group-not-found = Group not found: it may have been deleted already, or the button is outdated. Open the menu again.

## Calendar feed (F11)

settings-btn-feed = 📆 Calendar for your phone
feed-screen =
    📆 <b>The group's calendar</b>

    Subscribe with this link in Google Calendar, Apple Calendar or Outlook:
    <code>{ $url }</code>

    The calendar shows all the group's events (all-day) and deadlines.
    Anyone with the link can see the calendar: share it only with the group. If it got out, make a new one — the old one stops working.
feed-no-public-url =
    📆 The calendar link is not available yet: the bot has no public address (PUBLIC_URL). Please tell the bot's administrator.
feed-btn-regenerate = 🔄 New link
feed-regenerate-confirm =
    🔄 Make a new calendar link?

    The old link stops working at once: everyone subscribed has to subscribe again.
feed-btn-regenerate-confirm = 🔄 Yes, new link
feed-btn-regenerate-cancel = ◀️ No, keep it
feed-regenerated = ✅ A new link was made; the old one no longer works.
