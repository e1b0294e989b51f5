## Homework: tasks on classes, the «Done» tick, members' proposals

btn-homework = 📚 Homework
homework-title = 📚 <b>Homework</b>
homework-empty = No tasks for today or later.
homework-line = { $mark }<b>{ $date }</b> { $subject } — { $body }
homework-no-subject = no subject
homework-btn-new = ➕ Add a task
homework-btn-propose = ➕ Propose a task
homework-card-class = 📚 <b>{ $subject }</b> — for the class on { $date }, { $time }
homework-card-date = 📚 <b>Task</b> — due by { $date }
homework-card-subgroup = Subgroup { $subgroup }
homework-card-files = 📎 Attachments: { $count }
homework-card-proposed = 🕓 Proposed by a member, waiting for approval.
homework-card-done = ✅ Marked done.
homework-btn-done = ✅ Done
homework-btn-undo = ↩️ Not done
homework-btn-delete = 🗑 Delete
homework-btn-edit = ✏️ Edit the text
homework-ask-edit = Type the task's new text (up to { $max } characters).
homework-ask-edit-again = Type the task's new text as a message.
homework-edited = ✅ The task's text is changed.
homework-btn-approve = 👍 Approve
homework-btn-reject = 👎 Reject
homework-btn-back = ◀️ To the list
homework-btn-cancel = ❌ Cancel
homework-delete-confirm = Delete the task «{ $body }»?
homework-btn-delete-yes = 🗑 Yes, delete
homework-btn-delete-no = ◀️ Back
homework-done-toast = Marked done
homework-undone-toast = Mark removed
homework-deleted-toast = Task deleted
homework-approved-toast = Task published
homework-rejected-toast = Proposal rejected
homework-ask-due = Which class is the task for? Choose a subject — or type the due date: DD.MM.YYYY, DD.MM, «tomorrow», «friday».
homework-ask-due-no-classes = The timetable has no classes yet. Type the due date: DD.MM.YYYY, DD.MM, «tomorrow», «friday».
homework-ask-date = <b>{ $subject }</b>: which class?
homework-no-dates = No upcoming classes of «{ $subject }». Type a due date or choose another subject.
homework-btn-next = Next: { $date }
homework-btn-date = { $date }
homework-btn-subjects = ◀️ Subjects
homework-date-past = That date has passed. Type today's date or a later one.
homework-ask-body = Type the task (up to { $max } characters).
homework-body-empty = The task is empty. Type it as text.
homework-body-too-long = Too long: { $length } { $length ->
        [one] character
       *[other] characters
    }, up to { $max } allowed.
homework-body-control-chars = The text has control characters. Type the task as plain text.
homework-ask-files = Send photos or files for the task — or press «Save».
homework-file-added = 📎 { $count ->
        [one] { $count } attachment taken
       *[other] { $count } attachments taken
    }. Send more or press «Save».
homework-too-many-files = No more than { $max } attachments fit. Press «Save».
homework-btn-save = ✅ Save
homework-saved = ✅ Task saved.
homework-proposed = ✅ Task sent to the group leader for approval.
homework-proposed-notice = 📚 A task is proposed: <b>{ $subject }</b>, { $date }
    { $body }
homework-approved-notice = ✅ The proposed task is published: <b>{ $subject }</b>, { $date }
homework-rejected-notice = The proposed task was rejected: <b>{ $subject }</b>, { $date }
homework-btn-open = 📚 Open
homework-not-found = Task not found: it was deleted, or it is not for you.
homework-no-such-class = That class is not held on that day. Choose the date again.
homework-already-saved = This task is already saved.
homework-not-proposed = This proposal was already decided.
homework-too-many = Too many attachments.
homework-in-timetable = 📚 { $body }

history-about-homework = task “{ $title }”
history-action-homework-create = task added
history-action-homework-propose = task proposed
history-action-homework-approve = task approved
history-action-homework-reject = task rejected
history-action-homework-delete = task deleted
history-action-homework-edit = task edited
history-action-homework-done = task marked done
history-action-homework-undone = task mark removed
