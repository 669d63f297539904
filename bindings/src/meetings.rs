//! Meetings. For now the meeting types a person's preferences use: how they
//! like reminders, what a meeting must have for them to take part, and the
//! times in the week they can't do. Meeting methods will join them here.

use equally_core::meetings::{
    AccessFeature, QuietHours, ReminderPreferences, Unavailability, Weekday,
};

/// Something a meeting offers so that everyone can take part; the same list
/// says what a person needs.
#[uniffi::remote(Enum)]
pub enum AccessFeature {
    StepFree,
    HearingLoop,
    QuietRoom,
    Interpreter,
    Bsl,
    Childcare,
    AccessibleToilet,
    LargePrint,
    EasyReadPapers,
    Captions,
}

/// When no reminder should ring, local "HH:MM" times; may cross midnight.
#[uniffi::remote(Record)]
pub struct QuietHours {
    pub start: String,
    pub end: String,
}

/// Minutes before each meeting to remind (empty: no reminders), and quiet
/// hours.
#[uniffi::remote(Record)]
pub struct ReminderPreferences {
    pub offsets_minutes: Vec<u32>,
    #[uniffi(default)]
    pub quiet_hours: Option<QuietHours>,
}

/// Monday first, as in the UK.
#[uniffi::remote(Enum)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

/// A time in the week a person can't do, in their own time zone ("24:00"
/// ends the day).
#[uniffi::remote(Record)]
pub struct Unavailability {
    pub weekday: Weekday,
    pub start: String,
    pub end: String,
}
