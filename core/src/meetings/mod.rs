//! Meetings as pure rules over plain data: their checked facts, the access
//! concerns an organiser should see, each person's reminder plan, and the
//! iCalendar export. No database and no clock: callers pass `now`.

pub mod access;
pub mod ical;
pub mod meeting;
pub mod reminders;

pub use access::{AccessConcern, AccessConcernKind, MemberAccess, access_concerns};
pub use ical::{meeting_calendar, my_meetings_calendar};
pub use meeting::{
    AccessFeature, Meeting, MeetingFormat, MeetingState, MeetingStatus, MeetingTimes, QuietHours,
    ReminderPreferences, Rsvp, Unavailability, Weekday,
};
pub use reminders::{
    ActionDue, DeepLink, LinkKind, MAX_REMINDERS, MeetingToAttend, ProposalClosing, Reminder,
    ReminderInput, plan_reminders,
};
