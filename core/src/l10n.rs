//! The core's own words for people (summaries, notification texts, error
//! messages), in Project Fluent. Each locale has one `.ftl` file per feature
//! under `core/locales/<locale>/`; a message `x` may have an easy-read form
//! `x-easy`, used for readers who asked for easy-read.

use crate::text::{Reading, is_right_to_left};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use std::sync::OnceLock;
use unic_langid::LanguageIdentifier;

pub use fluent_bundle::FluentValue;

/// The fallback locale, also the one every other locale is checked against.
pub const DEFAULT_LOCALE: &str = "en-GB";

/// Every locale the core speaks, with its feature files. Adding a feature's
/// messages means adding its file to each locale here.
const SOURCES: &[(&str, &[&str])] = &[
    (
        "en-GB",
        &[
            include_str!("../locales/en-GB/core.ftl"),
            include_str!("../locales/en-GB/meetings.ftl"),
            include_str!("../locales/en-GB/decisions.ftl"),
        ],
    ),
    (
        "pl",
        &[
            include_str!("../locales/pl/core.ftl"),
            include_str!("../locales/pl/meetings.ftl"),
            include_str!("../locales/pl/decisions.ftl"),
        ],
    ),
    (
        "ur",
        &[
            include_str!("../locales/ur/core.ftl"),
            include_str!("../locales/ur/meetings.ftl"),
            include_str!("../locales/ur/decisions.ftl"),
        ],
    ),
];

pub struct Localiser {
    bundles: Vec<(LanguageIdentifier, FluentBundle<FluentResource>)>,
}

/// The localiser, built once from the embedded files.
pub fn localiser() -> &'static Localiser {
    static L: OnceLock<Localiser> = OnceLock::new();
    L.get_or_init(Localiser::build)
}

/// A localised message for a reader; see [`Localiser::message`].
pub fn message(reader: &Reading, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    localiser().message(reader, id, args)
}

impl Localiser {
    fn build() -> Self {
        let bundles = SOURCES
            .iter()
            .map(|(tag, files)| {
                let lang: LanguageIdentifier = tag.parse().expect("locale tags are valid");
                let mut bundle = FluentBundle::new_concurrent(vec![lang.clone()]);
                // Isolation marks keep names the right way round inside
                // right-to-left sentences; elsewhere they only get in the way.
                bundle.set_use_isolating(is_right_to_left(tag));
                for source in *files {
                    let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(
                        |(_, errors)| panic!("{tag} messages do not parse: {errors:?}"),
                    );
                    bundle
                        .add_resource(resource)
                        .unwrap_or_else(|errors| panic!("{tag} has a message twice: {errors:?}"));
                }
                (lang, bundle)
            })
            .collect();
        Localiser { bundles }
    }

    /// The locales the core has messages for.
    pub fn locales(&self) -> Vec<String> {
        self.bundles.iter().map(|(l, _)| l.to_string()).collect()
    }

    /// The locale the core will speak to a reader with these languages.
    pub fn locale_for(&self, languages: &[String]) -> String {
        self.bundle_for(languages).0.to_string()
    }

    fn bundle_for(
        &self,
        languages: &[String],
    ) -> &(LanguageIdentifier, FluentBundle<FluentResource>) {
        let requested: Vec<LanguageIdentifier> =
            languages.iter().filter_map(|l| l.parse().ok()).collect();
        let available: Vec<LanguageIdentifier> =
            self.bundles.iter().map(|(l, _)| l.clone()).collect();
        let default: LanguageIdentifier = DEFAULT_LOCALE.parse().expect("valid");
        let chosen = fluent_langneg::negotiate_languages(
            &requested,
            &available,
            Some(&default),
            fluent_langneg::NegotiationStrategy::Lookup,
        );
        let best = chosen.first().copied().unwrap_or(&default);
        self.bundles
            .iter()
            .find(|(l, _)| l == best)
            .unwrap_or(&self.bundles[0])
    }

    /// The message `id` in the reader's best locale (easy-read when they
    /// asked and the message has one), falling back to British English.
    /// A missing message is a programming error: it shows its id rather than
    /// failing the screen.
    pub fn message(&self, reader: &Reading, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let easy_id = format!("{id}-easy");
        let mut candidates: Vec<&str> = Vec::with_capacity(2);
        if reader.easy_read {
            candidates.push(&easy_id);
        }
        candidates.push(id);
        let preferred = &self.bundle_for(&reader.languages).1;
        let fallback = &self.bundles[0].1;
        for bundle in [preferred, fallback] {
            for candidate in &candidates {
                if let Some(pattern) = bundle.get_message(candidate).and_then(|m| m.value()) {
                    let mut errors = Vec::new();
                    let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
                    if !errors.is_empty() {
                        tracing::warn!(message_id = id, "fluent formatting errors: {errors:?}");
                    }
                    return text.into_owned();
                }
            }
        }
        tracing::warn!(message_id = id, "missing message");
        id.to_string()
    }

    /// Whether the core's British English messages have `id`: every locale
    /// has every message (a test checks), so this answers for all of them.
    pub fn has_message(&self, id: &str) -> bool {
        self.bundles[0].1.has_message(id)
    }

    /// The ids of every message a locale has.
    pub fn message_ids(&self, locale: &str) -> Vec<String> {
        SOURCES
            .iter()
            .filter(|(tag, _)| *tag == locale)
            .flat_map(|(_, files)| files.iter())
            .flat_map(|source| {
                let resource = FluentResource::try_new(source.to_string()).expect("parsed before");
                resource
                    .entries()
                    .filter_map(|entry| match entry {
                        fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn reader(langs: &[&str], easy: bool) -> Reading {
        Reading {
            languages: langs.iter().map(|s| s.to_string()).collect(),
            easy_read: easy,
        }
    }

    #[test]
    fn every_locale_has_every_message() {
        let l = localiser();
        let english: BTreeSet<String> = l.message_ids(DEFAULT_LOCALE).into_iter().collect();
        assert!(!english.is_empty());
        for locale in l.locales() {
            let theirs: BTreeSet<String> = l.message_ids(&locale).into_iter().collect();
            let missing: Vec<_> = english.difference(&theirs).collect();
            let extra: Vec<_> = theirs.difference(&english).collect();
            assert!(missing.is_empty(), "{locale} lacks {missing:?}");
            assert!(
                extra.is_empty(),
                "{locale} has messages English lacks: {extra:?}"
            );
        }
    }

    #[test]
    fn every_message_formats_in_every_locale_without_errors() {
        let l = localiser();
        for (lang, bundle) in &l.bundles {
            for id in l.message_ids(&lang.to_string()) {
                let message = bundle.get_message(&id).unwrap();
                let mut errors = Vec::new();
                if let Some(pattern) = message.value() {
                    let mut args = FluentArgs::new();
                    for name in [
                        "name", "count", "minutes", "hours", "title", "field", "reason", "entity",
                        "when", "option", "project", "place", "weekday", "day", "month", "time",
                        "need", "voted", "eligible", "needed", "options", "agree", "disagree",
                        "abstain",
                    ] {
                        args.set(name, FluentValue::from("x"));
                    }
                    bundle.format_pattern(pattern, Some(&args), &mut errors);
                }
                assert!(errors.is_empty(), "{lang} {id}: {errors:?}");
            }
        }
    }

    #[test]
    fn a_polish_reader_is_spoken_to_in_polish() {
        assert_eq!(localiser().locale_for(&["pl-PL".into()]), "pl");
    }

    #[test]
    fn a_reader_of_an_unsupported_language_gets_british_english() {
        assert_eq!(localiser().locale_for(&["cy".into()]), "en-GB");
    }

    #[test]
    fn an_easy_read_message_is_used_when_asked_for() {
        let plain = message(
            &reader(&["en-GB"], false),
            "project-set-up-by-staff-only",
            &[],
        );
        let easy = message(
            &reader(&["en-GB"], true),
            "project-set-up-by-staff-only",
            &[],
        );
        assert_ne!(plain, easy);
    }
}
