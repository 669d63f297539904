//! Invites and device tokens. An invite code is short enough to read out
//! or type from paper, from an alphabet without look-alikes; a device token
//! is 256 random bits. The server keeps only SHA-256 hashes of both.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use equally_rules::error::{Error, Result};
use parking_lot::Mutex;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::IpAddr;
use std::time::Instant;

/// No 0/O, 1/I/L: nothing that reads as something else.
pub const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Eight characters: about 40 bits, ample for a code that is single-use,
/// expires within days and can be guessed only a few times a minute.
pub const CODE_LENGTH: usize = 8;
pub const DEFAULT_INVITE_DAYS: i64 = 7;

pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|_| Error::Storage {
        detail: "no randomness available".into(),
    })?;
    Ok(buf)
}

/// A fresh invite code, e.g. `K7QM-4XHT` (the dash is for reading only).
pub fn new_invite_code() -> Result<String> {
    let mut code = String::with_capacity(CODE_LENGTH + 1);
    while code.len() < CODE_LENGTH + 1 {
        for b in random_bytes::<16>()? {
            // Rejection sampling keeps every character equally likely.
            let limit = 256 - (256 % CODE_ALPHABET.len());
            if (b as usize) < limit && code.len() < CODE_LENGTH + 1 {
                if code.len() == CODE_LENGTH / 2 {
                    code.push('-');
                }
                code.push(CODE_ALPHABET[b as usize % CODE_ALPHABET.len()] as char);
            }
        }
    }
    Ok(code)
}

/// The code as typed, made canonical: case, spaces and dashes do not matter.
/// `None` when it cannot be a code at all.
pub fn normalise_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_LENGTH && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

pub fn hash_code(normalised: &str) -> String {
    hex(&Sha256::digest(normalised.as_bytes()))
}

/// A device token: 256 random bits, base64url without padding.
pub fn new_token() -> Result<String> {
    Ok(URL_SAFE_NO_PAD.encode(random_bytes::<32>()?))
}

pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A token bucket: `capacity` tries at once, refilled at `per_minute`.
#[derive(Clone, Copy, Debug)]
pub struct Rate {
    pub capacity: f64,
    pub per_minute: f64,
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn take(&mut self, rate: Rate, now: Instant) -> bool {
        let minutes = now.saturating_duration_since(self.at).as_secs_f64() / 60.0;
        self.tokens = (self.tokens + minutes * rate.per_minute).min(rate.capacity);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Limits invite redemptions per client address and in total, so codes
/// cannot be guessed by trying many.
pub struct RedeemLimiter {
    per_address: Rate,
    overall: Rate,
    state: Mutex<(Bucket, HashMap<IpAddr, Bucket>)>,
}

impl RedeemLimiter {
    pub fn new(per_address: Rate, overall: Rate) -> Self {
        let now = Instant::now();
        RedeemLimiter {
            per_address,
            overall,
            state: Mutex::new((
                Bucket {
                    tokens: overall.capacity,
                    at: now,
                },
                HashMap::new(),
            )),
        }
    }

    /// Whether one more attempt from `addr` may go ahead at `now`.
    pub fn allow(&self, addr: IpAddr, now: Instant) -> bool {
        let mut state = self.state.lock();
        let (overall, by_address) = &mut *state;
        if by_address.len() > 10_000 {
            // Forget addresses whose buckets have refilled, so the map
            // cannot grow without bound.
            let rate = self.per_address;
            by_address.retain(|_, b| {
                let mut probe = *b;
                probe.take(rate, now);
                probe.tokens + 1.0 < rate.capacity
            });
        }
        let mine = by_address.entry(addr).or_insert(Bucket {
            tokens: self.per_address.capacity,
            at: now,
        });
        let mut trial = *mine;
        if !trial.take(self.per_address, now) {
            *mine = trial;
            return false;
        }
        if !overall.take(self.overall, now) {
            return false;
        }
        *mine = trial;
        true
    }
}

impl Default for RedeemLimiter {
    fn default() -> Self {
        RedeemLimiter::new(
            Rate {
                capacity: 5.0,
                per_minute: 5.0,
            },
            Rate {
                capacity: 60.0,
                per_minute: 60.0,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_code_uses_no_look_alike_characters() {
        for _ in 0..200 {
            let code = new_invite_code().unwrap();
            assert_eq!(code.len(), CODE_LENGTH + 1, "{code}");
            assert!(!code.contains(['0', 'O', '1', 'I', 'L']), "{code}");
            assert_eq!(normalise_code(&code).unwrap().len(), CODE_LENGTH);
        }
    }

    #[test]
    fn a_code_can_be_typed_in_lower_case_with_spaces() {
        assert_eq!(normalise_code("k7qm 4xht").as_deref(), Some("K7QM4XHT"));
        assert_eq!(normalise_code("K7QM-4XH0"), None);
        assert_eq!(normalise_code("short"), None);
    }

    #[test]
    fn a_token_is_256_bits_and_only_its_hash_is_kept() {
        let token = new_token().unwrap();
        assert_eq!(URL_SAFE_NO_PAD.decode(&token).unwrap().len(), 32);
        assert_eq!(hash_token(&token).len(), 64);
        assert_ne!(hash_token(&token), token);
    }

    #[test]
    fn redemptions_are_limited_per_address_and_refill() {
        let limiter = RedeemLimiter::new(
            Rate {
                capacity: 3.0,
                per_minute: 6.0,
            },
            Rate {
                capacity: 100.0,
                per_minute: 100.0,
            },
        );
        let a: IpAddr = "127.0.0.2".parse().unwrap();
        let b: IpAddr = "127.0.0.3".parse().unwrap();
        let t0 = Instant::now();
        assert!((0..3).all(|_| limiter.allow(a, t0)));
        assert!(!limiter.allow(a, t0));
        assert!(limiter.allow(b, t0), "another address has its own bucket");
        assert!(limiter.allow(a, t0 + Duration::from_secs(10)), "refilled");
    }

    #[test]
    fn redemptions_are_limited_overall() {
        let limiter = RedeemLimiter::new(
            Rate {
                capacity: 5.0,
                per_minute: 5.0,
            },
            Rate {
                capacity: 4.0,
                per_minute: 1.0,
            },
        );
        let t0 = Instant::now();
        let allowed = (0..10u8)
            .filter(|i| limiter.allow(IpAddr::from([127, 0, 1, *i]), t0))
            .count();
        assert_eq!(allowed, 4);
    }
}
