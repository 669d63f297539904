//! Meetings' plain rules: a meeting's times, format, status and access
//! information; the stored meeting with its agenda, answers and attendance
//! (`records`); and the check-ins staff write on the go.

pub mod checkins;
pub mod meeting;
pub mod records;

pub use checkins::{CheckIn, CheckInTier, Mood};
pub use meeting::{
    AccessFeature, Meeting, MeetingFormat, MeetingState, MeetingStatus, MeetingTimes, QuietHours,
    ReminderPreferences, Rsvp, Unavailability, Weekday,
};
pub use records::{AgendaItem, Attendance, AttendanceMethod, MeetingRecord, MeetingRsvp};
