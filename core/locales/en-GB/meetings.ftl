# Meetings, reminders and calendars, British English. Every message here must
# exist in every other locale (a test checks). `-easy` forms are for easy-read
# readers. Times are already in the reader's own time zone.

## When something happens, said from the moment a reminder rings
when-today = today at { $time }
when-tomorrow = tomorrow at { $time }
when-date = { $weekday } { $day } { $month }, { $time }
when-date-easy = { $weekday } { $day } { $month } at { $time }
day-today = today
day-tomorrow = tomorrow
day-date = { $weekday } { $day } { $month }

weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday

month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Reminders
reminder-meeting-title = Meeting: { $title }
reminder-meeting-title-easy = You have a meeting: { $title }
reminder-meeting-moved-title = New time for meeting: { $title }
reminder-meeting-moved-title-easy = Your meeting has a new time: { $title }
reminder-meeting-body = Starts { $when }. Place: { $place }
reminder-meeting-body-easy = It starts { $when }. Go to: { $place }
reminder-meeting-body-online = Starts { $when }. Online: open Equally to join.
reminder-meeting-body-online-easy = It starts { $when }. It is online. Open the app to join.
reminder-meeting-body-no-place = Starts { $when }.
reminder-meeting-body-no-place-easy = It starts { $when }.
reminder-proposal-title = Vote closing soon: { $title }
reminder-proposal-title-easy = Please vote: { $title }
reminder-proposal-body = Voting closes { $when }. Your vote counts the same as everyone's.
reminder-proposal-body-easy = You can vote until { $when }. Your vote matters as much as anyone's.
reminder-action-title = Action due: { $title }
reminder-action-title-easy = Your job: { $title }
reminder-action-body = Due { $when }. If it can't be done, "not today" is an answer too.
reminder-action-body-easy = Due { $when }. You can say "not today". That is OK.

## Access: what a meeting offers
access-feature-step-free = Step-free access
access-feature-hearing-loop = Hearing loop
access-feature-quiet-room = Quiet room
access-feature-interpreter = Interpreter
access-feature-bsl = British Sign Language (BSL) interpreter
access-feature-childcare = Childcare
access-feature-accessible-toilet = Accessible toilet
access-feature-large-print = Large-print papers
access-feature-easy-read-papers = Easy-read papers
access-feature-captions = Live captions

## Access concerns, shown only to the organiser
access-concern-need = { $need ->
    [step-free] { $name } needs step-free access; this meeting has none.
    [hearing-loop] { $name } needs a hearing loop; this meeting has none.
    [quiet-room] { $name } needs a quiet room; this meeting has none.
    [interpreter] { $name } needs an interpreter; this meeting has none.
    [bsl] { $name } needs a BSL interpreter; this meeting has none.
    [childcare] { $name } needs childcare; this meeting has none.
    [accessible-toilet] { $name } needs an accessible toilet; this meeting has none.
    [large-print] { $name } needs large-print papers; this meeting has none.
    [easy-read-papers] { $name } needs easy-read papers; this meeting has none.
    [captions] { $name } needs live captions; this meeting has none.
   *[other] { $name } has an access need this meeting does not meet.
}
access-concern-need-easy = { $need ->
    [step-free] { $name } needs a way in with no steps. This meeting does not have one.
    [hearing-loop] { $name } needs a hearing loop. This meeting does not have one.
    [quiet-room] { $name } needs a quiet room. This meeting does not have one.
    [interpreter] { $name } needs someone to translate. This meeting does not have one.
    [bsl] { $name } needs someone who signs BSL. This meeting does not have one.
    [childcare] { $name } needs someone to look after their children. This meeting does not have this.
    [accessible-toilet] { $name } needs an accessible toilet. This meeting does not have one.
    [large-print] { $name } needs papers in big print. This meeting does not have them.
    [easy-read-papers] { $name } needs easy-read papers. This meeting does not have them.
    [captions] { $name } needs words on the screen. This meeting does not have them.
   *[other] { $name } needs something this meeting does not have.
}
access-concern-unavailable = This meeting falls in times { $name } said they can't do.
access-concern-unavailable-easy = { $name } said they can't come at this time.

## Calendar export
calendar-my-meetings = My meetings
calendar-access = Access:
calendar-join-online = Join online:
calendar-online = Online

## Check-ins: the five faces of the mood scale, read aloud
mood-1 = Very low
mood-2 = Low
mood-3 = Okay
mood-4 = Good
mood-5 = Very good

## What is waiting on the home screen
home-waiting-meeting-moved = { $title } has moved to { $when }.
home-waiting-meeting-moved-easy = { $title } is at a new time: { $when }.
home-waiting-meeting-cancelled = { $title } is cancelled.
home-waiting-meeting-cancelled-easy = { $title } is not happening. It is cancelled.
home-waiting-meeting-changed = { $title } has changed place or how to join. Please check the details.
home-waiting-meeting-changed-easy = { $title } has changed. Please look at where it is.
home-waiting-place = A place came up for you at { $title }.
home-waiting-place-easy = Good news: you can go to { $title } now.
home-waiting-follow-up = Follow up with { $name }, due { $when }.
home-waiting-follow-up-group = Follow up: { $title }, due { $when }.
