//! The hybrid logical clock that stamps every change. A stamp is wall-clock
//! milliseconds plus a counter for changes in the same millisecond, plus the
//! node that made it, so any two stamps compare the same way on every device.
//! Stamps from elsewhere move our clock forward, but never further than
//! `MAX_DRIFT_MS` past our own wall clock: a phone whose clock is set to 2035
//! must not win every edit for the next nine years.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How far ahead of local wall time a remote stamp may pull our clock.
pub const MAX_DRIFT_MS: u64 = 5 * 60 * 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hlc {
    pub wall_ms: u64,
    pub counter: u32,
    pub node: u32,
}

impl Hlc {
    pub const ZERO: Hlc = Hlc {
        wall_ms: 0,
        counter: 0,
        node: 0,
    };

    /// This stamp with its wall time pulled back to at most `limit_ms`:
    /// used by the server to clamp device clocks to its own.
    pub fn clamped_to(self, limit_ms: u64) -> Hlc {
        if self.wall_ms > limit_ms {
            Hlc {
                wall_ms: limit_ms,
                ..self
            }
        } else {
            self
        }
    }
}

/// Fixed-width hex so that the text form sorts exactly as the stamps do,
/// which lets SQLite compare stamps as plain strings.
impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:012x}-{:08x}-{:08x}",
            self.wall_ms, self.counter, self.node
        )
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("“{0}” is not a clock stamp")]
pub struct BadStamp(pub String);

impl std::str::FromStr for Hlc {
    type Err = BadStamp;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadStamp(s.chars().take(40).collect());
        let mut parts = s.split('-');
        let (Some(w), Some(c), Some(n), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        if w.len() != 12 || c.len() != 8 || n.len() != 8 {
            return Err(bad());
        }
        Ok(Hlc {
            wall_ms: u64::from_str_radix(w, 16).map_err(|_| bad())?,
            counter: u32::from_str_radix(c, 16).map_err(|_| bad())?,
            node: u32::from_str_radix(n, 16).map_err(|_| bad())?,
        })
    }
}

impl Serialize for Hlc {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Hlc {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// On the wire a stamp is its text form; the sync server publishes that
/// shape in its OpenAPI document.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Hlc {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some("^[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{8}$"))
            .description(Some(
                "hybrid clock stamp: wall-clock ms, counter, node, each fixed-width hex",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Hlc {}

/// One device's clock. Pure: the caller passes the wall time it read.
#[derive(Clone, Debug)]
pub struct HlcClock {
    last: Hlc,
    node: u32,
}

impl HlcClock {
    pub fn new(node: u32) -> Self {
        Self {
            last: Hlc { node, ..Hlc::ZERO },
            node,
        }
    }

    /// Resumes a clock after a restart from the newest stamp it ever made.
    pub fn resume(node: u32, last: Hlc) -> Self {
        Self {
            last: Hlc { node, ..last },
            node,
        }
    }

    pub fn last(&self) -> Hlc {
        self.last
    }

    /// A stamp for a local change, later than every stamp seen so far.
    pub fn tick(&mut self, wall_ms: u64) -> Hlc {
        self.last = if wall_ms > self.last.wall_ms {
            Hlc {
                wall_ms,
                counter: 0,
                node: self.node,
            }
        } else {
            self.bump(self.last.wall_ms, self.last.counter)
        };
        self.last
    }

    /// A stamp for a local change that is also later than `floor`, the
    /// newest stamp stored for what is being changed. A person edits what
    /// they see, so their edit must win over it even when this device's
    /// wall clock runs behind (and `observe` clamped what it was shown).
    pub fn tick_after(&mut self, wall_ms: u64, floor: Hlc) -> Hlc {
        if floor > self.last {
            self.last = Hlc {
                node: self.node,
                ..floor
            };
        }
        self.tick(wall_ms)
    }

    /// Takes in a stamp from another device or the server. A remote stamp
    /// too far in the future is clamped to `wall_ms + MAX_DRIFT_MS` first.
    pub fn observe(&mut self, remote: Hlc, wall_ms: u64) -> Hlc {
        let remote = remote.clamped_to(wall_ms.saturating_add(MAX_DRIFT_MS));
        let top_wall = wall_ms.max(self.last.wall_ms).max(remote.wall_ms);
        self.last = if top_wall == self.last.wall_ms && top_wall == remote.wall_ms {
            self.bump(top_wall, self.last.counter.max(remote.counter))
        } else if top_wall == self.last.wall_ms {
            self.bump(top_wall, self.last.counter)
        } else if top_wall == remote.wall_ms {
            self.bump(top_wall, remote.counter)
        } else {
            Hlc {
                wall_ms: top_wall,
                counter: 0,
                node: self.node,
            }
        };
        self.last
    }

    fn bump(&self, wall_ms: u64, counter: u32) -> Hlc {
        // A counter overflow within one millisecond borrows the next one
        // rather than wrapping, so order is never lost.
        match counter.checked_add(1) {
            Some(counter) => Hlc {
                wall_ms,
                counter,
                node: self.node,
            },
            None => Hlc {
                wall_ms: wall_ms + 1,
                counter: 0,
                node: self.node,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn text_form_round_trips_and_sorts_like_the_stamp() {
        let a = Hlc {
            wall_ms: 1_700_000_000_000,
            counter: 3,
            node: 9,
        };
        let b = Hlc {
            wall_ms: 1_700_000_000_000,
            counter: 10,
            node: 1,
        };
        assert_eq!(a.to_string().parse::<Hlc>().unwrap(), a);
        assert!(a < b);
        assert!(a.to_string() < b.to_string());
    }

    #[test]
    fn a_garbled_stamp_is_refused() {
        assert!("12-34".parse::<Hlc>().is_err());
        assert!("zzzzzzzzzzzz-00000000-00000000".parse::<Hlc>().is_err());
    }

    #[test]
    fn a_phone_clock_set_years_ahead_cannot_drag_ours_there() {
        let mut clock = HlcClock::new(1);
        let now = 1_700_000_000_000;
        let far = Hlc {
            wall_ms: now + 10 * 365 * 24 * 3600 * 1000,
            counter: 0,
            node: 2,
        };
        let seen = clock.observe(far, now);
        assert!(seen.wall_ms <= now + MAX_DRIFT_MS);
    }

    fn stamp() -> impl Strategy<Value = Hlc> {
        (0u64..2_000_000_000_000, 0u32..5, 0u32..4).prop_map(|(wall_ms, counter, node)| Hlc {
            wall_ms,
            counter,
            node,
        })
    }

    #[derive(Debug, Clone)]
    enum Event {
        Local(u64),
        Remote(Hlc, u64),
    }

    fn event() -> impl Strategy<Value = Event> {
        prop_oneof![
            (0u64..2_000_000_000_000).prop_map(Event::Local),
            (stamp(), 0u64..2_000_000_000_000).prop_map(|(h, w)| Event::Remote(h, w)),
        ]
    }

    proptest! {
        #[test]
        fn stamps_only_ever_move_forward(events in proptest::collection::vec(event(), 1..60)) {
            let mut clock = HlcClock::new(7);
            let mut previous = clock.last();
            for e in events {
                let next = match e {
                    Event::Local(w) => clock.tick(w),
                    Event::Remote(h, w) => clock.observe(h, w),
                };
                prop_assert!(next > previous, "{next} after {previous}");
                previous = next;
            }
        }

        #[test]
        fn after_observing_a_stamp_our_next_change_is_later(remote in stamp(), wall in 0u64..2_000_000_000_000) {
            let mut clock = HlcClock::new(3);
            clock.observe(remote, wall);
            let next = clock.tick(wall);
            let effective = remote.clamped_to(wall + MAX_DRIFT_MS);
            prop_assert!((next.wall_ms, next.counter) > (effective.wall_ms, effective.counter));
        }

        #[test]
        fn remote_stamps_are_clamped_to_the_drift_limit(remote in stamp(), wall in 0u64..1_000_000_000_000) {
            let mut clock = HlcClock::new(3);
            let seen = clock.observe(remote, wall);
            prop_assert!(seen.wall_ms <= wall + MAX_DRIFT_MS + 1);
        }

        #[test]
        fn an_edit_is_later_than_the_value_it_replaces(floor in stamp(), wall in 0u64..2_000_000_000_000) {
            let mut clock = HlcClock::new(3);
            prop_assert!(clock.tick_after(wall, floor) > floor);
        }

        #[test]
        fn a_stamp_survives_its_text_form(h in stamp()) {
            prop_assert_eq!(h.to_string().parse::<Hlc>().unwrap(), h);
        }
    }
}
