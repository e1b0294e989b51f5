## Menus and onboarding

welcome-unregistered =
    👋 Welcome! You are not in a group yet.

    Create your group — you will become its leader — or join a group with an invite link from its leader.
welcome-leader = Welcome, leader of “{ $group }”!
welcome-assistant = Welcome! You are an assistant in “{ $group }”.
welcome-member = Welcome! You are a member of “{ $group }”.
main-menu = Main menu.

btn-create-group = 🚀 Create a group
btn-join-by-link = 🔗 Join by link
btn-events = 📅 Events and booking
btn-timetable = 🗓 Timetable
btn-my-places = 🙋 My queues and topics
btn-members = 👥 Group members
btn-settings = ⚙️ Group settings
btn-profile = 👤 Profile
btn-cancel = ❌ Cancel

help =
    <b>Study group bot</b> — calendar, deadlines, defence queues and topic booking in one place.

    /start — main menu
    /menu — show the menu
    /calendar — events calendar
    /deadlines — upcoming deadlines
    /invite — invite link (leader and assistants)
    /profile — profile and notifications
    /cancel — cancel the current action

unknown-text = I don't understand this message. Use the menu buttons or /help.
section-coming-soon = This section is coming soon.
cancelled = Cancelled.
nothing-to-cancel = There is nothing to cancel.
error-temporary = ⚠️ Temporary problems. Please try again in a minute.
callback-outdated = This button is outdated. Open the menu again.

## Forms interrupted

form-interrupted = ✋ The form is not finished; the draft is kept. Continue or cancel?
form-btn-resume = ▶️ Continue
form-btn-discard = ✖️ Cancel the form
form-resumed = Continuing from the same step.
form-resume-above = Continuing: answer the last question above, or press “❌ Cancel”.
form-gone = This form is already finished.

## Groups

group-ask-name = Great! Enter a name for your new group:
group-name-empty = The name cannot be empty. Enter the group's name:
group-name-too-long =
    The name is too long ({ $length } { $length ->
        [one] character
       *[other] characters
    }). Please enter a name of at most { $max } characters.
group-name-control-chars = The name must not contain control characters. Enter the group's name:
group-name-not-text = Send the group's name as text.
group-created = 🎉 The group “{ $name }” has been created! You are its leader now.
group-already-member = You are already in the group “{ $group }”. You cannot create another one.

members-count = { $count } { $count ->
        [one] member
       *[other] members
    }

## Commands (setMyCommands)

cmd-start = Main menu
cmd-help = Help
cmd-menu = Show the menu
cmd-calendar = Events calendar
cmd-deadlines = Upcoming deadlines
cmd-invite = Invite link
cmd-profile = Profile and notifications
cmd-cancel = Cancel the current action

## Access

access-not-in-group = You are not in a group. Create one or join by an invite link.
access-forbidden = ⛔ You are not allowed to do this.
