//! The organisation, the people in it and how each person likes to be
//! reached: languages, easy-read, read-aloud, text size, time zone, reminder
//! times and quiet hours, access needs and times they cannot do. Also the link between a person and
//! the staff who support them, which opens their personal tier to those staff.

use crate::entity::{Entity, Facts, Scope};
use crate::error::{Error, Result};
use crate::ids::{OrganisationId, PersonId};
use crate::meetings::{AccessFeature, ReminderPreferences, Unavailability};
use crate::text::{Reading, check_length, parse_language};
use crate::time::{Timestamp, parse_time_zone};
use serde::{Deserialize, Serialize};

pub const MAX_NAME: usize = 80;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: OrganisationId,
    pub name: String,
    pub created_at: Timestamp,
}

impl Entity for Organisation {
    const KIND: &'static str = "organisation";
    const TABLE: &'static str = "organisations";
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn scope(&self) -> Scope {
        Scope::Organisation
    }
    fn validate(&self) -> Result<()> {
        check_length("name", &self.name, 120)
    }
    fn authorise(&self, before: Option<&Self>, author: &PersonId, facts: &dyn Facts) -> Result<()> {
        // The organisation is set up once (by `init` on the server, or the
        // first run of a device); renaming it is a staff task.
        match before {
            None => Ok(()),
            Some(_) if facts.is_staff(author)? => Ok(()),
            Some(_) => Err(Error::not_allowed("only staff can rename the organisation")),
        }
    }
}

/// How a person is connected to the charity. It changes what the app
/// flags, never how much say they have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonKind {
    SupportedPerson,
    Staff,
    Carer,
    Volunteer,
    Partner,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextSize {
    #[default]
    Standard,
    Large,
    ExtraLarge,
}

/// What a person would like as thanks for what they give.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recognition {
    None,
    #[default]
    Thanks,
    Certificate,
    Voucher,
    Payment,
}

/// How a person likes to be reached and what they need to take part: the
/// one shape the settings screen reads and writes. It is stored in two
/// records of different tiers (see [`Person`] and [`PersonalSettings`]), so
/// each part travels only to the phones that need it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preferences {
    /// Language tags in order of preference, e.g. `["pl", "en-GB"]`.
    pub languages: Vec<String>,
    pub easy_read: bool,
    pub read_aloud: bool,
    pub text_size: TextSize,
    /// IANA time zone, e.g. `Europe/London`.
    pub time_zone: String,
    /// When and how to remind (offsets before meetings, quiet hours).
    pub reminders: ReminderPreferences,
    /// What a meeting must have for this person to take part.
    pub access_needs: Vec<AccessFeature>,
    /// Times in the week this person said they can't do.
    pub unavailable: Vec<Unavailability>,
    /// Anything else, in the person's own words.
    pub access_notes: Option<String>,
    pub recognition: Recognition,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences::from_parts(
            &SharedPreferences::default(),
            &PersonalSettings::default_for(&PersonId::new()),
        )
    }
}

impl Preferences {
    pub fn validate(&self) -> Result<()> {
        // Checked as the two records it becomes (the id does not matter).
        let (shared, own) = self.split(&PersonId::new());
        shared.validate()?;
        own.validate()
    }

    /// The whole picture from its two stored parts.
    pub fn from_parts(shared: &SharedPreferences, own: &PersonalSettings) -> Preferences {
        Preferences {
            languages: own.languages.clone(),
            easy_read: own.easy_read,
            read_aloud: own.read_aloud,
            text_size: own.text_size,
            time_zone: shared.time_zone.clone(),
            reminders: own.reminders.clone(),
            access_needs: shared.access_needs.clone(),
            unavailable: shared.unavailable.clone(),
            access_notes: own.access_notes.clone(),
            recognition: shared.recognition,
        }
    }

    /// The part organisers see and the part that stays with the person.
    pub fn split(&self, person: &PersonId) -> (SharedPreferences, PersonalSettings) {
        (self.shared(), self.settings_for(person))
    }

    /// The part organisers see.
    pub fn shared(&self) -> SharedPreferences {
        SharedPreferences {
            time_zone: self.time_zone.clone(),
            access_needs: self.access_needs.clone(),
            unavailable: self.unavailable.clone(),
            recognition: self.recognition,
        }
    }

    /// The part that stays with `person` and their supporters.
    pub fn settings_for(&self, person: &PersonId) -> PersonalSettings {
        PersonalSettings {
            id: person.clone(),
            languages: self.languages.clone(),
            easy_read: self.easy_read,
            read_aloud: self.read_aloud,
            text_size: self.text_size,
            reminders: self.reminders.clone(),
            access_notes: self.access_notes.clone(),
        }
    }
}

/// The part of a person's preferences that the people they organise with
/// need, kept on the [`Person`] record (organisation tier): any member may
/// organise a meeting, and the organiser's check ("who would this meeting
/// leave out?") needs their access needs and the times they can't do, read
/// in their own time zone. Their preferred recognition is copied onto every
/// contribution logged for them, which their project sees anyway.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedPreferences {
    /// IANA time zone, e.g. `Europe/London`.
    pub time_zone: String,
    /// What a meeting must have for this person to take part.
    pub access_needs: Vec<AccessFeature>,
    /// Times in the week this person said they can't do.
    pub unavailable: Vec<Unavailability>,
    pub recognition: Recognition,
}

impl Default for SharedPreferences {
    fn default() -> Self {
        SharedPreferences {
            time_zone: "Europe/London".into(),
            access_needs: Vec::new(),
            unavailable: Vec::new(),
            recognition: Recognition::Thanks,
        }
    }
}

impl SharedPreferences {
    pub fn validate(&self) -> Result<()> {
        parse_time_zone("time_zone", &self.time_zone)?;
        if self.unavailable.len() > 50 {
            return Err(Error::invalid("unavailable", "lists more than 50 times"));
        }
        for window in &self.unavailable {
            window.validate()?;
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    pub organisation_id: OrganisationId,
    pub name: String,
    pub pronouns: Option<String>,
    pub kind: PersonKind,
    // What organisers see of their preferences ([`SharedPreferences`], kept
    // as plain fields so they map one-to-one onto the uniffi record and
    // decode without serde's flatten buffering); the rest is in their
    // [`PersonalSettings`].
    /// IANA time zone, e.g. `Europe/London`.
    pub time_zone: String,
    /// What a meeting must have for this person to take part.
    pub access_needs: Vec<AccessFeature>,
    /// Times in the week this person said they can't do.
    pub unavailable: Vec<Unavailability>,
    pub recognition: Recognition,
    pub created_at: Timestamp,
}

impl Person {
    /// A new person, with a fresh id: name trimmed, blank pronouns dropped.
    pub fn new(
        organisation_id: OrganisationId,
        name: &str,
        pronouns: Option<String>,
        kind: PersonKind,
        shared: SharedPreferences,
        created_at: Timestamp,
    ) -> Person {
        let SharedPreferences {
            time_zone,
            access_needs,
            unavailable,
            recognition,
        } = shared;
        Person {
            id: PersonId::new(),
            organisation_id,
            name: name.trim().to_string(),
            pronouns: pronouns
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty()),
            kind,
            time_zone,
            access_needs,
            unavailable,
            recognition,
            created_at,
        }
    }

    /// What organisers see of this person's preferences.
    pub fn shared(&self) -> SharedPreferences {
        SharedPreferences {
            time_zone: self.time_zone.clone(),
            access_needs: self.access_needs.clone(),
            unavailable: self.unavailable.clone(),
            recognition: self.recognition,
        }
    }

    pub fn set_shared(&mut self, shared: SharedPreferences) {
        self.time_zone = shared.time_zone;
        self.access_needs = shared.access_needs;
        self.unavailable = shared.unavailable;
        self.recognition = shared.recognition;
    }
}

impl Entity for Person {
    const KIND: &'static str = "person";
    const TABLE: &'static str = "people";
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn scope(&self) -> Scope {
        // Names are seen across the organisation so people can find each
        // other, and so is what an organiser needs to include them
        // (`SharedPreferences`). Everything else they set is personal.
        Scope::Organisation
    }
    fn validate(&self) -> Result<()> {
        check_length("name", &self.name, MAX_NAME)?;
        if let Some(p) = &self.pronouns {
            check_length("pronouns", p, 40)?;
        }
        self.shared().validate()
    }
    fn authorise(&self, before: Option<&Self>, author: &PersonId, facts: &dyn Facts) -> Result<()> {
        if &self.id == author {
            if let Some(before) = before
                && before.kind != self.kind
                && !facts.is_staff(author)?
            {
                return Err(Error::not_allowed(
                    "how someone is connected to the charity is set by staff",
                ));
            }
            return Ok(());
        }
        if facts.is_staff(author)? {
            return Ok(());
        }
        Err(Error::not_allowed(
            "people change their own details, or staff do for them",
        ))
    }
}

/// The preferences that are nobody else's business: the languages and
/// easy-read setting they read in, read-aloud and text size, when to be
/// reminded and their quiet hours, and access notes in their own words.
/// Personal tier: only their own phones and the staff who support them hold
/// it; a supporter who starts later receives it with the rest of the
/// personal scope, and one who stops has it purged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalSettings {
    /// The person's own id: one record each.
    pub id: PersonId,
    pub languages: Vec<String>,
    pub easy_read: bool,
    pub read_aloud: bool,
    pub text_size: TextSize,
    pub reminders: ReminderPreferences,
    pub access_notes: Option<String>,
}

impl PersonalSettings {
    /// What a person has before they choose: British English, standard text,
    /// reminders a day and an hour before.
    pub fn default_for(person: &PersonId) -> PersonalSettings {
        PersonalSettings {
            id: person.clone(),
            languages: vec!["en-GB".into()],
            easy_read: false,
            read_aloud: false,
            text_size: TextSize::Standard,
            reminders: ReminderPreferences::default(),
            access_notes: None,
        }
    }

    pub fn reader(&self) -> Reading {
        Reading {
            languages: self.languages.clone(),
            easy_read: self.easy_read,
        }
    }
}

impl Entity for PersonalSettings {
    const KIND: &'static str = "personal_settings";
    const TABLE: &'static str = "personal_settings";
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn scope(&self) -> Scope {
        Scope::Personal(self.id.clone())
    }
    fn validate(&self) -> Result<()> {
        if self.languages.is_empty() {
            return Err(Error::invalid("languages", "needs at least one language"));
        }
        if self.languages.len() > 10 {
            return Err(Error::invalid("languages", "lists more than 10 languages"));
        }
        for lang in &self.languages {
            parse_language("languages", lang)?;
        }
        self.reminders.validate()?;
        if let Some(notes) = &self.access_notes {
            check_length("access_notes", notes, 1000)?;
        }
        Ok(())
    }
    fn authorise(&self, before: Option<&Self>, author: &PersonId, facts: &dyn Facts) -> Result<()> {
        facts.person(&self.id)?;
        if author == &self.id || facts.supports(author, &self.id)? {
            return Ok(());
        }
        // Staff who add someone set their first preferences with them.
        if before.is_none() && facts.is_staff(author)? {
            return Ok(());
        }
        Err(Error::not_allowed(
            "only the person, or staff who support them, can change their settings",
        ))
    }
}

/// A staff member who supports a person: they see that person's personal
/// check-ins and the statements shared with support staff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportLink {
    pub id: String,
    pub person_id: PersonId,
    pub staff_id: PersonId,
    pub active: bool,
    pub created_at: Timestamp,
}

impl SupportLink {
    pub fn id_for(person: &PersonId, staff: &PersonId) -> String {
        format!("{person}:{staff}")
    }
}

impl Entity for SupportLink {
    const KIND: &'static str = "support_link";
    const TABLE: &'static str = "support_links";
    fn id(&self) -> &str {
        &self.id
    }
    fn scope(&self) -> Scope {
        Scope::Personal(self.person_id.clone())
    }
    fn validate(&self) -> Result<()> {
        if self.id != Self::id_for(&self.person_id, &self.staff_id) {
            return Err(Error::invalid(
                "id",
                "does not name this person and staff member",
            ));
        }
        Ok(())
    }
    fn authorise(&self, before: Option<&Self>, author: &PersonId, facts: &dyn Facts) -> Result<()> {
        if !facts.is_staff(&self.staff_id)? {
            return Err(Error::invalid("staff_id", "is not a member of staff"));
        }
        facts.person(&self.person_id)?;
        // The person can always end a support link; starting one is done
        // by the person or the staff member themselves.
        let party = author == &self.person_id || author == &self.staff_id;
        match before {
            Some(b) if b.active && !self.active && party => Ok(()),
            _ if party => Ok(()),
            _ => Err(Error::not_allowed(
                "only the person or their supporter can change this link",
            )),
        }
    }
}
