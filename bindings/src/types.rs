//! The small types every feature shares: ids (strings on the other side),
//! instants (milliseconds) and days ("YYYY-MM-DD"), and text with its
//! easy-read and translated variants.

use crate::error::lift_error;
use equally_core::ids::{
    ActionId, AgendaItemId, CheckInId, ContributionId, MeetingId, NeedId, OfferId, OpId,
    OrganisationId, PersonId, ProjectId, ProposalId, ReviewItemId, RiskId, StatementId, UpdateId,
};
use equally_core::text::{ShownText, Text, Wording};
use equally_core::time::{Day, Timestamp};

// Each id crosses as its string form and is checked on the way in, so a
// mangled id from a screen is an `Invalid` error naming the field.
macro_rules! id_as_string {
    ($($name:ident),* $(,)?) => {$(
        uniffi::custom_type!($name, String, {
            remote,
            lower: |id| id.to_string(),
            try_lift: |text| $name::parse(&text).map_err(lift_error),
        });
    )*};
}

id_as_string!(
    OrganisationId,
    PersonId,
    ProjectId,
    OfferId,
    NeedId,
    ContributionId,
    StatementId,
    UpdateId,
    ActionId,
    ReviewItemId,
    RiskId,
    MeetingId,
    AgendaItemId,
    CheckInId,
    ProposalId,
    OpId,
);

uniffi::custom_type!(Timestamp, i64, {
    remote,
    lower: |at| at.millis(),
    try_lift: |ms| Ok(Timestamp::from_millis(ms)),
});

uniffi::custom_type!(Day, String, {
    remote,
    lower: |day| day.to_string(),
    try_lift: |text| Day::parse("day", &text).map_err(lift_error),
});

/// One language's wording, plain and (optionally) easy-read.
#[uniffi::remote(Record)]
pub struct Wording {
    pub lang: String,
    pub text: String,
    #[uniffi(default)]
    pub easy_read: Option<String>,
}

/// A text with its variants: the wording it was written in first, then any
/// translations. Named so it cannot be mistaken for SwiftUI's or Compose's
/// `Text` in a screen that imports both.
#[uniffi::remote(Record)]
#[uniffi(name = "TextVariants")]
pub struct Text {
    pub original: Wording,
    #[uniffi(default)]
    pub translations: Vec<Wording>,
}

/// The variant of a text chosen for one reader.
#[uniffi::remote(Record)]
pub struct ShownText {
    pub text: String,
    pub lang: String,
    pub is_easy_read: bool,
    pub right_to_left: bool,
}
