//! The organisation and its people: setting up a device, adding people,
//! their preferences (languages, easy-read, reminders, access needs) and the
//! staff who support them.

use crate::error::EquallyError;
use crate::handle::EquallyCore;
use equally_core::ids::{OrganisationId, PersonId};
use equally_core::meetings::{AccessFeature, ReminderPreferences, Unavailability};
use equally_core::people::{
    NewPerson, Organisation, Person, PersonKind, PersonView, Preferences, Recognition, TextSize,
};
use equally_core::phone::{PhoneStart, ThisPhone};
use equally_core::time::Timestamp;

#[uniffi::remote(Record)]
pub struct Organisation {
    pub id: OrganisationId,
    pub name: String,
    pub created_at: Timestamp,
}

/// How a person is connected to the charity. It changes what the app
/// flags, never how much say they have.
#[uniffi::remote(Enum)]
pub enum PersonKind {
    SupportedPerson,
    Staff,
    Carer,
    Volunteer,
    Partner,
}

#[uniffi::remote(Enum)]
pub enum TextSize {
    Standard,
    Large,
    ExtraLarge,
}

/// What a person would like as thanks for what they give.
#[uniffi::remote(Enum)]
pub enum Recognition {
    // Swift would read `.none` on a `Recognition?` as "no value".
    #[uniffi(name = "NotWanted")]
    None,
    Thanks,
    Certificate,
    Voucher,
    Payment,
}

/// How a person likes to be reached. Languages are BCP 47 tags in order of
/// preference; the time zone is an IANA name such as "Europe/London"; the
/// reminder, access and unavailability types are in `meetings.rs`.
#[uniffi::remote(Record)]
pub struct Preferences {
    pub languages: Vec<String>,
    pub easy_read: bool,
    pub read_aloud: bool,
    pub text_size: TextSize,
    pub time_zone: String,
    pub reminders: ReminderPreferences,
    #[uniffi(default)]
    pub access_needs: Vec<AccessFeature>,
    #[uniffi(default)]
    pub unavailable: Vec<Unavailability>,
    #[uniffi(default)]
    pub access_notes: Option<String>,
    pub recognition: Recognition,
}

#[uniffi::remote(Record)]
pub struct Person {
    pub id: PersonId,
    pub organisation_id: OrganisationId,
    pub name: String,
    pub pronouns: Option<String>,
    pub kind: PersonKind,
    /// What everyone in the organisation sees of their preferences, so any
    /// member can organise a meeting they can come to; the rest stays with
    /// them and the staff who support them.
    pub time_zone: String,
    pub access_needs: Vec<AccessFeature>,
    pub unavailable: Vec<Unavailability>,
    pub recognition: Recognition,
    pub created_at: Timestamp,
}

#[uniffi::remote(Record)]
pub struct NewPerson {
    pub name: String,
    #[uniffi(default)]
    pub pronouns: Option<String>,
    pub kind: PersonKind,
    pub preferences: Preferences,
}

/// A person as someone else may see them: preferences only for themselves
/// and the staff who support them.
#[uniffi::remote(Record)]
pub struct PersonView {
    pub id: PersonId,
    pub name: String,
    pub pronouns: Option<String>,
    pub kind: PersonKind,
    pub preferences: Option<Preferences>,
}

/// How this phone came to be someone's.
#[uniffi::remote(Enum)]
pub enum PhoneStart {
    Offline,
    Joined,
}

/// The person this phone belongs to, and since when.
#[uniffi::remote(Record)]
pub struct ThisPhone {
    pub person_id: PersonId,
    pub started: PhoneStart,
    pub since: Timestamp,
}

#[uniffi::export]
impl EquallyCore {
    /// First start without a server: a new group with this person as its
    /// first member, and the phone theirs. Refused on a phone that already
    /// belongs to someone.
    pub async fn start_offline(
        &self,
        organisation_name: String,
        me: NewPerson,
    ) -> Result<Person, EquallyError> {
        self.run(move |core| core.start_offline(&organisation_name, me))
            .await
    }

    /// Whose phone this is (null before anyone has started or joined).
    pub async fn this_phone(&self) -> Result<Option<ThisPhone>, EquallyError> {
        self.run(|core| core.this_phone()).await
    }

    pub async fn organisation(&self) -> Result<Option<Organisation>, EquallyError> {
        self.run(|core| core.organisation()).await
    }

    /// The preferences a new person starts with (British English, London
    /// time, standard text), for a sign-up screen to adjust.
    pub fn default_preferences(&self) -> Preferences {
        Preferences::default()
    }

    /// Adds someone to a group started offline on this phone (staff only).
    /// A phone connected to the charity's server refuses: there, staff
    /// invite people (`invite_person`).
    pub async fn add_person(&self, person: NewPerson) -> Result<Person, EquallyError> {
        self.run_as_me(move |core, me| core.add_person(Some(&me), person))
            .await
    }

    pub async fn update_preferences(
        &self,
        person: PersonId,
        preferences: Preferences,
    ) -> Result<Person, EquallyError> {
        self.run_as_me(move |core, actor| core.update_preferences(&actor, &person, preferences))
            .await
    }

    /// A person's preferences, for themselves or the staff who support
    /// them (anyone else gets a `NotAllowed` error).
    pub async fn preferences(&self, person: PersonId) -> Result<Preferences, EquallyError> {
        self.run_as_me(move |core, reader| core.preferences(&reader, &person))
            .await
    }

    /// A person as `reader` may see them.
    pub async fn person(&self, id: PersonId) -> Result<PersonView, EquallyError> {
        self.run_as_me(move |core, reader| core.person(&reader, &id))
            .await
    }

    /// Records that `staff` supports `person`, opening the person's personal
    /// check-ins and statements to them.
    pub async fn add_supporter(
        &self,
        person: PersonId,
        staff: PersonId,
    ) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.add_supporter(&actor, &person, &staff))
            .await
    }

    pub async fn end_support(&self, person: PersonId, staff: PersonId) -> Result<(), EquallyError> {
        self.run_as_me(move |core, actor| core.end_support(&actor, &person, &staff))
            .await
    }
}
