//! Whose phone this is. A phone belongs to one person: the one who started
//! Equally on it offline, or who joined the charity's server with an invite.
//! Every change made on it is theirs (the store refuses any other author),
//! and acting for someone else — a vote entered on behalf, an RSVP for
//! someone — is an explicit call that records them as the one who did it.

pub use crate::store::owner::{PhoneStart, ThisPhone};

use crate::Equally;
use crate::error::{Error, Result};
use crate::ids::{OrganisationId, PersonId};
use crate::people::{NewPerson, Organisation, Person};
use crate::store::owner::{set_this_phone, this_phone};

impl Equally {
    /// Whose phone this is, or `None` before anyone has started.
    pub fn this_phone(&self) -> Result<Option<ThisPhone>> {
        self.read(|r| this_phone(r.conn()))
    }

    /// The person this phone acts as.
    pub fn me(&self) -> Result<PersonId> {
        self.this_phone()?.map(|p| p.person_id).ok_or_else(|| {
            Error::conflict("nobody has started Equally on this phone yet: join with an invite code, or start a new group")
        })
    }

    /// What only a phone with no server may do (the server makes these
    /// itself, and refuses them from a phone): refused before anything is
    /// touched, with `why`.
    pub(crate) fn refuse_when_joined(&self, why: &str) -> Result<()> {
        match self.this_phone()? {
            Some(phone) if phone.started == PhoneStart::Joined => Err(Error::conflict(why)),
            _ => Ok(()),
        }
    }

    /// First start without a server: sets up a new group (the
    /// organisation) with `me` as its first person, and makes this phone
    /// theirs, in one transaction. Refused on a phone that already holds
    /// anything, so nothing stored is touched.
    pub fn start_offline(&self, organisation_name: &str, me: NewPerson) -> Result<Person> {
        let name = organisation_name.trim().to_string();
        if self.this_phone()?.is_some() || self.organisation()?.is_some() {
            return Err(Error::conflict(
                "this phone has already been started: it belongs to someone",
            ));
        }
        let org = Organisation {
            id: OrganisationId::new(),
            name,
            created_at: self.now(),
        };
        let (person, settings) = me.into_records(org.id.clone(), self.now());
        let phone = ThisPhone {
            person_id: person.id.clone(),
            started: PhoneStart::Offline,
            since: self.now(),
        };
        self.write(&person.id, |w| {
            w.put(&org)?;
            w.put(&person)?;
            w.put(&settings)?;
            set_this_phone(w.conn(), &phone)
        })?;
        Ok(person)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;
    use crate::people::{PersonKind, Preferences};
    use crate::projects::{JoinPolicy, NewProject};
    use crate::text::Text;

    fn phone() -> (tempfile::TempDir, Equally) {
        let dir = tempfile::tempdir().unwrap();
        let core = Equally::open(Config {
            database_path: dir.path().join("phone.db"),
        })
        .unwrap();
        (dir, core)
    }

    fn new_sam() -> NewPerson {
        NewPerson {
            name: "Sam".into(),
            pronouns: None,
            kind: PersonKind::SupportedPerson,
            preferences: Preferences::default(),
        }
    }

    #[test]
    fn a_phone_started_offline_is_its_first_persons() {
        let (_dir, core) = phone();
        assert!(core.me().is_err());
        let sam = core
            .start_offline("Riverside Gardeners", new_sam())
            .unwrap();
        assert_eq!(core.me().unwrap(), sam.id);
        assert_eq!(
            core.this_phone().unwrap().unwrap().started,
            PhoneStart::Offline
        );
        assert_eq!(
            core.organisation().unwrap().unwrap().name,
            "Riverside Gardeners"
        );
    }

    #[test]
    fn a_phone_cannot_be_started_twice() {
        let (_dir, core) = phone();
        let sam = core
            .start_offline("Riverside Gardeners", new_sam())
            .unwrap();
        let before = core.store().fingerprint().unwrap();
        let err = core
            .start_offline("Another group", sam_again())
            .unwrap_err();
        assert!(matches!(err, Error::Conflict { .. }), "{err}");
        assert_eq!(core.store().fingerprint().unwrap(), before);
        assert_eq!(core.me().unwrap(), sam.id);
    }

    fn sam_again() -> NewPerson {
        NewPerson {
            name: "Someone else".into(),
            ..new_sam()
        }
    }

    #[test]
    fn a_phone_acts_only_for_its_own_person() {
        let (_dir, core) = phone();
        // Priya, staff, starts a group on her phone and adds Sam to it.
        let priya = core
            .start_offline(
                "Riverside Gardeners",
                NewPerson {
                    name: "Priya".into(),
                    kind: PersonKind::Staff,
                    ..new_sam()
                },
            )
            .unwrap();
        let sam = core.add_person(Some(&priya.id), new_sam()).unwrap();
        let before = core.store().fingerprint().unwrap();
        let err = core
            .start_project(
                &sam.id,
                NewProject {
                    title: Text::new("en-GB", "Not Priya's idea"),
                    purpose: Text::new("en-GB", "Made by someone who is not holding the phone"),
                    join_policy: JoinPolicy::Open,
                    co_founders: vec![],
                },
            )
            .unwrap_err();
        assert!(matches!(err, Error::NotAllowed { .. }), "{err}");
        assert_eq!(core.store().fingerprint().unwrap(), before);
        core.start_project(
            &priya.id,
            NewProject {
                title: Text::new("en-GB", "A garden"),
                purpose: Text::new("en-GB", "Grow vegetables together"),
                join_policy: JoinPolicy::Open,
                co_founders: vec![],
            },
        )
        .unwrap();
    }
}
