//! The organisation, the people in it and how each person likes to be
//! reached: languages, easy-read, read-aloud, text size, time zone, reminder
//! times and quiet hours, access needs and times they cannot do. Also the link between a person and
//! the staff who support them, which opens their personal tier to those staff.

pub use equally_rules::people::*;

use crate::Equally;
use crate::error::{Error, Result};
use crate::ids::{OrganisationId, PersonId};
use crate::text::Reading;

impl crate::store::Reader<'_> {
    /// The languages and easy-read setting `person` reads in; the defaults
    /// until their settings have arrived on this phone.
    pub fn reading_of(&self, person: &PersonId) -> Result<Reading> {
        Ok(self.settings_of(person)?.reader())
    }

    /// Their settings as stored here, or the defaults.
    pub fn settings_of(&self, person: &PersonId) -> Result<PersonalSettings> {
        Ok(self
            .get::<PersonalSettings>(person.as_str())?
            .unwrap_or_else(|| PersonalSettings::default_for(person)))
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

impl NewPerson {
    /// The two records a new person is kept as: the person (organisation
    /// tier) and their own settings (personal tier).
    pub(crate) fn into_records(
        self,
        organisation: OrganisationId,
        now: crate::time::Timestamp,
    ) -> (Person, PersonalSettings) {
        let person = Person::new(
            organisation,
            &self.name,
            self.pronouns,
            self.kind,
            self.preferences.shared(),
            now,
        );
        let settings = self.preferences.settings_for(&person.id);
        (person, settings)
    }
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
        self.refuse_when_joined(
            "a phone connected to the charity's server cannot start another organisation",
        )?;
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
        self.refuse_when_joined(
            "on a phone connected to the charity's server, new people join with an invite from staff",
        )?;
        let org = self
            .organisation()?
            .ok_or_else(|| Error::conflict("set up the organisation first"))?;
        let (person, settings) = new.into_records(org.id, self.now());
        let author = added_by.cloned().unwrap_or_else(|| person.id.clone());
        self.write(&author, |w| {
            w.put(&person)?;
            w.put(&settings)
        })?;
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
            // Refused even when nothing would change, so the screen learns
            // at once who may use it.
            if actor != person && !w.facts().is_staff(actor)? {
                return Err(Error::not_allowed(
                    "people change their own details, or staff do for them",
                ));
            }
            let (shared, settings) = preferences.split(person);
            if p.shared() != shared {
                p.set_shared(shared);
                w.put(&p)?;
            }
            // Only the parts that changed are written (and sent), so a
            // member of staff who may change someone's details but does not
            // support them can still fix their time zone.
            let stored: Option<PersonalSettings> = w.get(person.as_str())?;
            if stored.as_ref() != Some(&settings) {
                w.put(&settings)?;
            }
            Ok(p)
        })
    }

    /// A person's preferences, for themselves or the staff who support them.
    pub fn preferences(&self, reader: &PersonId, person: &PersonId) -> Result<Preferences> {
        self.read(|r| {
            r.require::<Person>(reader.as_str())?;
            let p: Person = r.require(person.as_str())?;
            if reader != person && !r.facts().supports(reader, person)? {
                return Err(Error::not_allowed(
                    "preferences are seen only by the person and the staff who support them",
                ));
            }
            Ok(Preferences::from_parts(
                &p.shared(),
                &r.settings_of(person)?,
            ))
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
            let preferences = if close {
                Some(Preferences::from_parts(&p.shared(), &r.settings_of(id)?))
            } else {
                None
            };
            Ok(PersonView {
                id: p.id,
                name: p.name,
                pronouns: p.pronouns,
                kind: p.kind,
                preferences,
            })
        })
    }
}
