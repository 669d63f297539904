//! The organisation, the people in it and how each person likes to be
//! reached: languages, easy-read, read-aloud, text size, time zone, reminder
//! times and quiet hours, access needs and times they cannot do. Also the link between a person and
//! the staff who support them, which opens their personal tier to those staff.

use crate::Equally;
use crate::error::{Error, Result};
use crate::ids::{OrganisationId, PersonId};
use crate::meetings::{AccessFeature, ReminderPreferences, Unavailability};
use crate::rules::{Entity, Facts, Scope};
use crate::text::{Reader, check_length, parse_language};
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
        Preferences {
            languages: vec!["en-GB".into()],
            easy_read: false,
            read_aloud: false,
            text_size: TextSize::Standard,
            time_zone: "Europe/London".into(),
            reminders: ReminderPreferences::default(),
            access_needs: Vec::new(),
            unavailable: Vec::new(),
            access_notes: None,
            recognition: Recognition::Thanks,
        }
    }
}

impl Preferences {
    pub fn validate(&self) -> Result<()> {
        if self.languages.is_empty() {
            return Err(Error::invalid("languages", "needs at least one language"));
        }
        if self.languages.len() > 10 {
            return Err(Error::invalid("languages", "lists more than 10 languages"));
        }
        for lang in &self.languages {
            parse_language("languages", lang)?;
        }
        parse_time_zone("time_zone", &self.time_zone)?;
        self.reminders.validate()?;
        if self.unavailable.len() > 50 {
            return Err(Error::invalid("unavailable", "lists more than 50 times"));
        }
        for window in &self.unavailable {
            window.validate()?;
        }
        if let Some(notes) = &self.access_notes {
            check_length("access_notes", notes, 1000)?;
        }
        Ok(())
    }

    pub fn reader(&self) -> Reader {
        Reader {
            languages: self.languages.clone(),
            easy_read: self.easy_read,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    pub organisation_id: OrganisationId,
    pub name: String,
    pub pronouns: Option<String>,
    pub kind: PersonKind,
    pub preferences: Preferences,
    pub created_at: Timestamp,
}

impl Entity for Person {
    const KIND: &'static str = "person";
    const TABLE: &'static str = "people";
    fn id(&self) -> &str {
        self.id.as_str()
    }
    fn scope(&self) -> Scope {
        // Names are seen across the organisation so people can find each
        // other; preferences travel with the person but are only shown to
        // them and their support staff (see `Equally::person`).
        Scope::Organisation
    }
    fn validate(&self) -> Result<()> {
        check_length("name", &self.name, MAX_NAME)?;
        if let Some(p) = &self.pronouns {
            check_length("pronouns", p, 40)?;
        }
        self.preferences.validate()
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

/// What a new person gives when they are added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPerson {
    pub name: String,
    pub pronouns: Option<String>,
    pub kind: PersonKind,
    pub preferences: Preferences,
}

/// A person as another person may see them: the name and pronouns always;
/// preferences and access needs only for themselves and their supporters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonView {
    pub id: PersonId,
    pub name: String,
    pub pronouns: Option<String>,
    pub kind: PersonKind,
    pub preferences: Option<Preferences>,
}

impl Equally {
    /// Sets up the organisation on this device (its first run).
    pub fn create_organisation(&self, name: &str) -> Result<Organisation> {
        let org = Organisation {
            id: OrganisationId::new(),
            name: name.trim().to_string(),
            created_at: self.now(),
        };
        // Nobody exists yet to be the author: the organisation is its own.
        let founder = PersonId::new();
        self.write(&founder, |w| w.put(&org))?;
        Ok(org)
    }

    pub fn organisation(&self) -> Result<Option<Organisation>> {
        self.read(|r| {
            Ok(r.select::<Organisation>("ORDER BY created_at LIMIT 1", [])?
                .pop())
        })
    }

    /// Adds a person. `added_by` is `None` when a person registers
    /// themselves on their own phone; otherwise it must be a member of staff.
    pub fn add_person(&self, added_by: Option<&PersonId>, new: NewPerson) -> Result<Person> {
        let org = self
            .organisation()?
            .ok_or_else(|| Error::conflict("set up the organisation first"))?;
        let person = Person {
            id: PersonId::new(),
            organisation_id: org.id,
            name: new.name.trim().to_string(),
            pronouns: new
                .pronouns
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty()),
            kind: new.kind,
            preferences: new.preferences,
            created_at: self.now(),
        };
        let author = added_by.cloned().unwrap_or_else(|| person.id.clone());
        self.write(&author, |w| w.put(&person))?;
        Ok(person)
    }

    pub fn update_preferences(
        &self,
        actor: &PersonId,
        person: &PersonId,
        preferences: Preferences,
    ) -> Result<Person> {
        self.write(actor, |w| {
            let mut p: Person = w.require(person.as_str())?;
            p.preferences = preferences;
            w.put(&p)?;
            Ok(p)
        })
    }

    /// Records that `staff` supports `person`.
    pub fn add_supporter(
        &self,
        actor: &PersonId,
        person: &PersonId,
        staff: &PersonId,
    ) -> Result<()> {
        let link = SupportLink {
            id: SupportLink::id_for(person, staff),
            person_id: person.clone(),
            staff_id: staff.clone(),
            active: true,
            created_at: self.now(),
        };
        self.write(actor, |w| w.put(&link))
    }

    pub fn end_support(&self, actor: &PersonId, person: &PersonId, staff: &PersonId) -> Result<()> {
        self.write(actor, |w| {
            let mut link: SupportLink = w.require(&SupportLink::id_for(person, staff))?;
            link.active = false;
            w.put(&link)
        })
    }

    /// A person as `reader` may see them.
    pub fn person(&self, reader: &PersonId, id: &PersonId) -> Result<PersonView> {
        self.read(|r| {
            r.require::<Person>(reader.as_str())?;
            let p: Person = r.require(id.as_str())?;
            let close = reader == id || r.facts().supports(reader, id)?;
            Ok(PersonView {
                id: p.id,
                name: p.name,
                pronouns: p.pronouns,
                kind: p.kind,
                preferences: close.then_some(p.preferences),
            })
        })
    }
}
