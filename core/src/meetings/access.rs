//! Access needs meet meetings: which members a meeting would leave out, by a
//! need it does not meet or by falling in times they said they can't do. The
//! concerns are for the organiser only: a member's needs are not the group's.

use super::meeting::{AccessFeature, MeetingFormat, MeetingTimes, Unavailability, Weekday};
use crate::ids::PersonId;
use crate::l10n;
use crate::text::Reading;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

/// What the organiser's check needs to know about one member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberAccess {
    pub person: PersonId,
    /// The name the member goes by, to say who a concern is about.
    pub name: String,
    /// Their own time zone (IANA): "Tuesdays 10:00 to 12:00" means their
    /// Tuesday morning.
    pub time_zone: String,
    #[serde(default)]
    pub needs: Vec<AccessFeature>,
    #[serde(default)]
    pub unavailable: Vec<Unavailability>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AccessConcernKind {
    NeedNotMet {
        need: AccessFeature,
    },
    /// The first of the member's windows that the meeting overlaps.
    UnavailableTime {
        window: Unavailability,
    },
}

/// One thing the organiser may want to change so a member can take part.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessConcern {
    pub person: PersonId,
    pub name: String,
    pub concern: AccessConcernKind,
}

impl AccessConcern {
    /// The concern in the organiser's words.
    pub fn describe(&self, organiser: &Reading) -> String {
        let name = self.name.as_str().into();
        match &self.concern {
            AccessConcernKind::NeedNotMet { need } => l10n::message(
                organiser,
                "access-concern-need",
                &[("name", name), ("need", need.slug().into())],
            ),
            AccessConcernKind::UnavailableTime { .. } => {
                l10n::message(organiser, "access-concern-unavailable", &[("name", name)])
            }
        }
    }
}

/// For each member, in the order given: each need the meeting does not meet
/// (in the order of [`AccessFeature`]), then whether it falls in a time they
/// can't do. Needs that belong to a room are not raised for an online-only
/// meeting; for a hybrid one they are, since the member may want to be there.
pub fn access_concerns(
    features: &[AccessFeature],
    format: MeetingFormat,
    times: &MeetingTimes,
    members: &[MemberAccess],
) -> Vec<AccessConcern> {
    let meeting_tz = TimeZone::get(&times.time_zone).unwrap_or(TimeZone::UTC);
    let mut concerns = Vec::new();
    for member in members {
        let mut needs: Vec<AccessFeature> = member
            .needs
            .iter()
            .copied()
            .filter(|need| !features.contains(need))
            .filter(|need| format.has_a_room() || !need.belongs_to_the_room())
            .collect();
        needs.sort_unstable();
        needs.dedup();
        for need in needs {
            concerns.push(AccessConcern {
                person: member.person.clone(),
                name: member.name.clone(),
                concern: AccessConcernKind::NeedNotMet { need },
            });
        }
        // A member's zone that is unknown is read as the meeting's: most
        // members live where their meetings are.
        let tz = TimeZone::get(&member.time_zone).unwrap_or_else(|_| meeting_tz.clone());
        if let Some(window) = member.unavailable.iter().find(|w| overlaps(w, times, &tz)) {
            concerns.push(AccessConcern {
                person: member.person.clone(),
                name: member.name.clone(),
                concern: AccessConcernKind::UnavailableTime {
                    window: window.clone(),
                },
            });
        }
    }
    concerns
}

/// Whether the meeting overlaps the weekly window on any of the member's
/// days it spans.
fn overlaps(window: &Unavailability, times: &MeetingTimes, tz: &TimeZone) -> bool {
    let Ok((from, to)) = window.minutes() else {
        return false;
    };
    let (Some(start), Some(end)) = (
        jiff::Timestamp::from_millisecond(times.starts_at.millis()).ok(),
        jiff::Timestamp::from_millisecond(times.ends_at.millis()).ok(),
    ) else {
        return false;
    };
    if end <= start {
        return false;
    }
    let first_day = tz.to_datetime(start).date();
    let last_day = tz.to_datetime(end).date();
    let mut day = first_day;
    // Meetings are at most a week long, so this visits at most nine days.
    for _ in 0..9 {
        if day > last_day {
            break;
        }
        if Weekday::from_jiff(day.weekday()) == window.weekday {
            let at = |minutes: u32| {
                let midnight = day.at(0, 0, 0, 0);
                // Whole hours and minutes within one day always fit.
                let local = midnight
                    .checked_add(jiff::SignedDuration::from_mins(i64::from(minutes)))
                    .ok()?;
                tz.to_timestamp(local).ok()
            };
            if let (Some(ws), Some(we)) = (at(from), at(to))
                && ws < end
                && start < we
            {
                return true;
            }
        }
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meetings::meeting::MeetingTimes;

    fn english() -> Reading {
        Reading {
            languages: vec!["en-GB".into()],
            easy_read: false,
        }
    }

    fn member(
        name: &str,
        needs: &[AccessFeature],
        unavailable: Vec<Unavailability>,
    ) -> MemberAccess {
        MemberAccess {
            person: PersonId::new(),
            name: name.into(),
            time_zone: "Europe/London".into(),
            needs: needs.to_vec(),
            unavailable,
        }
    }

    /// Tuesday 14 October 2025, 10:00 to 11:30 in London.
    fn tuesday_morning() -> MeetingTimes {
        MeetingTimes::local("2025-10-14T10:00", 90, "Europe/London").unwrap()
    }

    #[test]
    fn a_hearing_loop_need_is_flagged_to_the_organiser() {
        let sam = member(
            "Sam",
            &[AccessFeature::HearingLoop, AccessFeature::StepFree],
            vec![],
        );
        let concerns = access_concerns(
            &[AccessFeature::StepFree],
            MeetingFormat::InPerson,
            &tuesday_morning(),
            std::slice::from_ref(&sam),
        );
        assert_eq!(concerns.len(), 1);
        assert_eq!(concerns[0].person, sam.person);
        assert_eq!(
            concerns[0].concern,
            AccessConcernKind::NeedNotMet {
                need: AccessFeature::HearingLoop
            }
        );
        assert_eq!(
            concerns[0].describe(&english()),
            "Sam needs a hearing loop; this meeting has none."
        );
    }

    #[test]
    fn a_met_need_raises_nothing() {
        let sam = member("Sam", &[AccessFeature::HearingLoop], vec![]);
        let concerns = access_concerns(
            &[AccessFeature::HearingLoop],
            MeetingFormat::InPerson,
            &tuesday_morning(),
            &[sam],
        );
        assert!(concerns.is_empty());
    }

    #[test]
    fn an_online_meeting_does_not_need_a_step_free_room_but_still_needs_captions() {
        let ash = member(
            "Ash",
            &[AccessFeature::StepFree, AccessFeature::Captions],
            vec![],
        );
        let online = access_concerns(
            &[],
            MeetingFormat::Online,
            &tuesday_morning(),
            std::slice::from_ref(&ash),
        );
        assert_eq!(
            online.iter().map(|c| c.concern.clone()).collect::<Vec<_>>(),
            vec![AccessConcernKind::NeedNotMet {
                need: AccessFeature::Captions
            }]
        );
        let hybrid = access_concerns(&[], MeetingFormat::Hybrid, &tuesday_morning(), &[ash]);
        assert_eq!(hybrid.len(), 2);
    }

    #[test]
    fn a_meeting_in_times_jo_cannot_do_is_flagged() {
        let jo = member(
            "Jo",
            &[],
            vec![Unavailability::new(Weekday::Tuesday, "09:00", "12:00").unwrap()],
        );
        let concerns = access_concerns(&[], MeetingFormat::InPerson, &tuesday_morning(), &[jo]);
        assert_eq!(concerns.len(), 1);
        assert_eq!(
            concerns[0].describe(&english()),
            "This meeting falls in times Jo said they can't do."
        );
        let easy = Reading {
            languages: vec!["en-GB".into()],
            easy_read: true,
        };
        assert_eq!(
            concerns[0].describe(&easy),
            "Jo said they can't come at this time."
        );
    }

    #[test]
    fn a_window_that_only_touches_the_meeting_is_not_a_clash() {
        let jo = member(
            "Jo",
            &[],
            vec![
                Unavailability::new(Weekday::Tuesday, "11:30", "13:00").unwrap(),
                Unavailability::new(Weekday::Wednesday, "00:00", "24:00").unwrap(),
            ],
        );
        let concerns = access_concerns(&[], MeetingFormat::InPerson, &tuesday_morning(), &[jo]);
        assert!(concerns.is_empty(), "{concerns:?}");
    }

    #[test]
    fn unavailable_times_are_read_in_the_members_own_time_zone() {
        // 10:00 in London is 11:00 in Warsaw: Kasia can't do Tuesdays
        // 11:00 to 12:00 her time, so the meeting clashes.
        let mut kasia = member(
            "Kasia",
            &[],
            vec![Unavailability::new(Weekday::Tuesday, "11:00", "12:00").unwrap()],
        );
        kasia.time_zone = "Europe/Warsaw".into();
        let concerns = access_concerns(
            &[],
            MeetingFormat::Online,
            &tuesday_morning(),
            &[kasia.clone()],
        );
        assert_eq!(concerns.len(), 1);
        // Read in London time instead, 11:30 onwards would not clash.
        kasia.time_zone = "Europe/London".into();
        kasia.unavailable = vec![Unavailability::new(Weekday::Tuesday, "11:30", "12:00").unwrap()];
        assert!(
            access_concerns(&[], MeetingFormat::Online, &tuesday_morning(), &[kasia]).is_empty()
        );
    }

    #[test]
    fn concerns_are_in_the_organisers_language() {
        let sam = member("Sam", &[AccessFeature::Bsl], vec![]);
        let concerns = access_concerns(&[], MeetingFormat::InPerson, &tuesday_morning(), &[sam]);
        let polish = Reading {
            languages: vec!["pl".into()],
            easy_read: false,
        };
        assert_eq!(
            concerns[0].describe(&polish),
            "Sam potrzebuje tłumacza BSL, a to spotkanie tego nie zapewnia."
        );
    }
}
