## Members “👥 Group members”

members-header = 👥 <b>Members of “{ $group }”</b>: { $count } { $count ->
        [one] member
       *[other] members
    }
members-page = Page { $page } of { $pages }
members-hint-leader = Tap a member to open their card.
members-btn-invite = ➕ Invite
members-btn-export = 📄 Export CSV

members-role-leader = leader
members-role-assistant = assistant
members-role-member = member
members-no-username = none

members-card =
    👤 <b>{ $name }</b>
    Telegram: { $username }
    Role: { $role }
    Member since { $joined }
members-card-self = This is you.
members-btn-appoint = ⭐ Make assistant
members-btn-revoke = ✖️ Revoke assistant
members-btn-transfer = 👑 Transfer leadership
members-btn-remove = 🚫 Remove from group
members-btn-back = ◀️ Back to the list
members-btn-no = ◀️ No, back

members-confirm-remove =
    Remove <b>{ $name }</b> from “{ $group }”?

    They can only come back with a new invite link.
members-btn-confirm-remove = ✅ Yes, remove
members-confirm-transfer =
    Make <b>{ $name }</b> the leader of “{ $group }”?

    You will become an assistant; the new leader will manage members and group settings.
members-btn-confirm-transfer = ✅ Yes, transfer

members-appointed = ⭐ Now an assistant
members-revoked = No longer an assistant
members-removed = Removed from the group: { $name }
members-transferred = 👑 You have handed the leadership of “{ $group }” to { $name }. You remain an assistant.

members-notify-appointed = ⭐ The leader made you an assistant in “{ $group }”. You can now manage events, queues, topics and invites.
members-notify-revoked = You are no longer an assistant in “{ $group }”.
members-notify-removed = 🚫 The leader removed you from “{ $group }”.
members-notify-leader = 👑 You are now the leader of “{ $group }”! { $name } handed the role to you.
members-notify-left = 🚪 { $name } left “{ $group }”.

members-export-caption = 📄 Members of “{ $group }”: { $count } { $count ->
        [one] member
       *[other] members
    }
members-csv-name = Full name
members-csv-username = username
members-csv-role = Role
members-csv-joined = Joined

members-error-not-found = Member not found: they may have left the group.
members-error-self = You cannot do this to yourself.
members-error-already-assistant = Already an assistant.
members-error-not-assistant = Not an assistant.
members-error-leader-leaves =
    The leader cannot just leave the group.

    First hand the leadership to another member (👥 Group members → a member → “👑 Transfer leadership”) or delete the group in the settings.

## Profile “👤 Profile”

profile-title = 👤 <b>Profile</b>
profile-name = Full name: { $name }
profile-name-from-telegram = Full name: not set (your Telegram name is shown: { $name })
profile-language = Language: { $language }
profile-language-name = English
profile-group = Group: “{ $group }”, { $role }
profile-no-group = Group: you are not in a group
profile-btn-fio = ✏️ Change full name
profile-btn-leave = 🚪 Leave the group
profile-btn-back = ◀️ Back
profile-btn-skip = Skip
profile-btn-confirm-leave = ✅ Yes, leave

profile-ask-fio = Enter your full name: last name, first name and, if you have one, middle name. For example: <i>Ivanov Ivan Ivanovich</i>
profile-ask-fio-after-join =
    How should the group list show you? Enter your full name: last name, first name and, if you have one, middle name — for example, <i>Ivanov Ivan Ivanovich</i>. This way the leader sees real names.

    You can skip this (/skip) and set it later in “👤 Profile”.
profile-fio-saved = ✅ Full name saved: <b>{ $name }</b>
profile-fio-skipped = All right, you can set your full name later in “👤 Profile”.
profile-fio-not-text = Send your full name as text.
profile-fio-too-few = At least two words are needed: last name and first name. For example: <i>Ivanov Ivan</i>. Try again:
profile-fio-too-many = A full name has at most three words: last, first and middle name. Try again:
profile-fio-bad-chars = “{ $word }” does not look like a name: use letters; hyphens and apostrophes only inside a word (<i>Saltykov-Shchedrin</i>, <i>d'Artagnan</i>). Try again:
profile-fio-word-too-long = A word is too long ({ $length } { $length ->
        [one] character
       *[other] characters
    }): at most { $max }. Try again:

profile-language-changed = ✅ Interface language: English.
profile-confirm-leave =
    Leave “{ $group }”?

    You can only come back with a new invite link.
profile-left = 🚪 You have left “{ $group }”.
