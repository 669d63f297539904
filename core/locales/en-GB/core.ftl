# The core's own words, British English. Every message here must exist in
# every other locale (a test checks). `-easy` forms are for easy-read readers.

## Projects
project-set-up-by-staff-only = Set up by employees only: invite people who use services to co-found it.
project-set-up-by-staff-only-easy = Only staff started this project. Ask people we support to join from the start.
stage-idea = Idea
stage-shaping = Shaping
stage-doing = Doing
stage-reviewing = Reviewing
stage-resting = Resting
stage-done = Done

## Contributions
time-given = { $hours ->
    [one] One hour given
   *[other] { $hours } hours given
}
time-given-easy = { $hours ->
    [one] You gave 1 hour. Thank you!
   *[other] You gave { $hours } hours. Thank you!
}

## Home
home-waiting-updates = { $count ->
    [one] One new update to read
   *[other] { $count } new updates to read
}
home-waiting-actions = { $count ->
    [one] One action is yours
   *[other] { $count } actions are yours
}

## Errors people may see
error-not-found = We could not find that. It may have been removed, or not reached this phone yet.
error-not-found-easy = We could not find that.
error-invalid = { $field } { $reason }
error-not-allowed = You can't do that here: { $reason }
error-conflict = That can't be done now: { $reason }
error-storage = Something went wrong saving on this phone. Nothing was changed.
error-busy = This phone is busy just now. Please try again in a moment.
error-busy-easy = The phone is busy. Try again soon.
error-corrupt = Equally's saved data on this phone cannot be read. Nothing was changed. Ask staff for help.
error-corrupt-easy = We cannot read the saved data. Ask staff for help.
error-interrupted = That was stopped before it finished. Nothing was changed.
error-offline = There is no connection just now. Your changes are kept on this phone and will be sent later.
error-offline-easy = No signal just now. Your changes are safe on this phone.
error-network = The server could not take this just now: { $reason }. Your changes are kept on this phone.

## Fields, as people name them in error messages
field-time-zone = Time zone
field-invite-code = The invite code
field-server-url = The server address
field-device-token = The device's sign-in
field-encryption-key = The key for this phone's data
field-database-path = The place for Equally's data
field-expenses-pence = Expenses
field-starts-at = The start time
field-ends-at = The end time
field-due-on = The date it is due
field-done-on = The day it was done
field-review-on = The review date
field-how-much = How much
field-what = What
field-name = The name
field-title = The title
field-purpose = The purpose
field-description = The description
field-reason = The reason
field-note = The note
field-minutes = The time
field-capacity = The number of places
field-languages = Languages
field-quiet-hours = Quiet hours
field-offsets-minutes = Reminder times
field-options = The options
field-code = The code
