//! Meetings as pure rules over plain data: their checked facts, the access
//! concerns an organiser should see, each person's reminder plan, and the
//! iCalendar export. No database and no clock: callers pass `now`.

pub mod meeting;

pub use meeting::{
    AccessFeature, Meeting, MeetingFormat, MeetingState, MeetingStatus, MeetingTimes, QuietHours,
    ReminderPreferences, Rsvp, Unavailability, Weekday,
};
