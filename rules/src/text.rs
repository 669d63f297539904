//! Text a person reads. Every title, purpose, update, option and minute can
//! carry an easy-read version and translations; `Text::for_reader` picks the
//! one that suits a reader best. A reader's language comes first: someone who
//! reads Polish gets Polish, even if only the English has an easy-read form.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use unic_langid::{CharacterDirection, LanguageIdentifier};

/// One language's wording, plain and (optionally) easy-read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wording {
    /// A BCP 47 language tag such as `en-GB`, `pl` or `ur`.
    pub lang: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub easy_read: Option<String>,
}

/// A text with its variants: the wording it was written in first, then any
/// translations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub original: Wording,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub translations: Vec<Wording>,
}

/// The variant chosen for one reader.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShownText {
    pub text: String,
    pub lang: String,
    pub is_easy_read: bool,
    /// Urdu and other right-to-left scripts are laid out from the right.
    pub right_to_left: bool,
}

/// How a reader likes to read: languages in order of preference, and whether
/// they asked for easy-read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reading {
    pub languages: Vec<String>,
    pub easy_read: bool,
}

pub fn parse_language(field: &str, tag: &str) -> Result<LanguageIdentifier> {
    if tag.is_empty() || tag.len() > 35 {
        return Err(Error::invalid(
            field,
            format!("“{tag}” is not a language tag"),
        ));
    }
    tag.parse::<LanguageIdentifier>()
        .map_err(|_| Error::invalid(field, format!("“{tag}” is not a language tag")))
}

impl Text {
    /// A text written in one language.
    pub fn new(lang: &str, text: &str) -> Self {
        Text {
            original: Wording {
                lang: lang.to_string(),
                text: text.to_string(),
                easy_read: None,
            },
            translations: Vec::new(),
        }
    }

    pub fn with_easy_read(mut self, easy: &str) -> Self {
        self.original.easy_read = Some(easy.to_string());
        self
    }

    pub fn with_translation(mut self, lang: &str, text: &str, easy_read: Option<&str>) -> Self {
        self.translations.push(Wording {
            lang: lang.to_string(),
            text: text.to_string(),
            easy_read: easy_read.map(str::to_string),
        });
        self
    }

    fn wordings(&self) -> impl Iterator<Item = &Wording> {
        std::iter::once(&self.original).chain(self.translations.iter())
    }

    /// Checks every wording: a real language tag, no language twice, text
    /// present and no longer than `max_chars` (easy-read may be twice that).
    pub fn validate(&self, field: &str, max_chars: usize) -> Result<()> {
        let mut seen: Vec<LanguageIdentifier> = Vec::new();
        for w in self.wordings() {
            let lang = parse_language(&format!("{field}.lang"), &w.lang)?;
            if seen.contains(&lang) {
                return Err(Error::invalid(
                    field,
                    format!("has two versions in {}", w.lang),
                ));
            }
            seen.push(lang);
            check_length(field, &w.text, max_chars)?;
            if let Some(easy) = &w.easy_read {
                check_length(&format!("{field}.easy_read"), easy, max_chars * 2)?;
            }
        }
        Ok(())
    }

    /// The best variant for `reader`: their most preferred language that
    /// this text has, falling back to the original; easy-read when they asked
    /// for it and that language has one.
    pub fn for_reader(&self, reader: &Reading) -> ShownText {
        let wording = self.best_wording(&reader.languages);
        let (text, is_easy_read) = match (&wording.easy_read, reader.easy_read) {
            (Some(easy), true) => (easy.clone(), true),
            _ => (wording.text.clone(), false),
        };
        ShownText {
            text,
            lang: wording.lang.clone(),
            is_easy_read,
            right_to_left: is_right_to_left(&wording.lang),
        }
    }

    fn best_wording(&self, languages: &[String]) -> &Wording {
        let requested: Vec<LanguageIdentifier> =
            languages.iter().filter_map(|l| l.parse().ok()).collect();
        let available: Vec<(LanguageIdentifier, &Wording)> = self
            .wordings()
            .filter_map(|w| w.lang.parse().ok().map(|id| (id, w)))
            .collect();
        // For each language the reader asked for, in their order: the same
        // tag, else a wording in that language with no region ("pl" for
        // "pl-PL"), else one in that language with another region. The
        // first language that finds one wins, so an earlier preference is
        // never passed over for a closer match of a later one.
        requested
            .iter()
            .find_map(|want| {
                let same_language = |id: &LanguageIdentifier| {
                    id.language == want.language
                        && (id.script.is_none()
                            || want.script.is_none()
                            || id.script == want.script)
                };
                available
                    .iter()
                    .find(|(id, _)| id == want)
                    .or_else(|| {
                        available
                            .iter()
                            .find(|(id, _)| same_language(id) && id.region.is_none())
                    })
                    .or_else(|| available.iter().find(|(id, _)| same_language(id)))
                    .map(|(_, w)| *w)
            })
            .unwrap_or(&self.original)
    }
}

pub fn is_right_to_left(lang: &str) -> bool {
    lang.parse::<LanguageIdentifier>()
        .map(|id| id.character_direction() == CharacterDirection::RTL)
        .unwrap_or(false)
}

/// Checks a plain text field: present, not only spaces, and not too long.
pub fn check_length(field: &str, text: &str, max_chars: usize) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::invalid(field, "is empty"));
    }
    let count = text.chars().count();
    if count > max_chars {
        return Err(Error::invalid(
            field,
            format!("is {count} characters long; at most {max_chars} fit"),
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(Error::invalid(field, "contains control characters"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(langs: &[&str], easy: bool) -> Reading {
        Reading {
            languages: langs.iter().map(|s| s.to_string()).collect(),
            easy_read: easy,
        }
    }

    fn garden() -> Text {
        Text::new("en-GB", "Community garden on Elm Street")
            .with_easy_read("We grow food together on Elm Street")
            .with_translation("pl", "Ogród społeczny przy Elm Street", None)
            .with_translation(
                "ur",
                "ایلم سٹریٹ پر کمیونٹی باغ",
                Some("ہم مل کر کھانا اگاتے ہیں"),
            )
    }

    #[test]
    fn an_easy_read_variant_is_chosen_for_a_reader_who_asked() {
        let shown = garden().for_reader(&reader(&["en-GB"], true));
        assert_eq!(shown.text, "We grow food together on Elm Street");
        assert!(shown.is_easy_read);
    }

    #[test]
    fn a_reader_who_did_not_ask_gets_the_plain_words() {
        let shown = garden().for_reader(&reader(&["en-GB"], false));
        assert_eq!(shown.text, "Community garden on Elm Street");
        assert!(!shown.is_easy_read);
    }

    #[test]
    fn a_polish_reader_gets_polish_even_without_an_easy_read_version() {
        let shown = garden().for_reader(&reader(&["pl", "en-GB"], true));
        assert_eq!(shown.lang, "pl");
        assert!(!shown.is_easy_read);
    }

    #[test]
    fn urdu_is_shown_right_to_left() {
        let shown = garden().for_reader(&reader(&["ur"], true));
        assert_eq!(shown.text, "ہم مل کر کھانا اگاتے ہیں");
        assert!(shown.right_to_left);
    }

    #[test]
    fn a_reader_of_british_english_is_served_by_plain_english() {
        let text = Text::new("en", "Hello");
        assert_eq!(text.for_reader(&reader(&["en-GB"], false)).lang, "en");
    }

    #[test]
    fn an_unknown_language_falls_back_to_the_original() {
        let shown = garden().for_reader(&reader(&["cy"], false));
        assert_eq!(shown.lang, "en-GB");
    }

    #[test]
    fn two_versions_in_one_language_are_refused() {
        let text = Text::new("pl", "a").with_translation("pl", "b", None);
        assert!(matches!(
            text.validate("title", 100),
            Err(Error::Invalid { .. })
        ));
    }

    #[test]
    fn a_made_up_language_tag_is_refused() {
        let text = Text::new("not a tag!", "a");
        assert!(text.validate("title", 100).is_err());
    }

    #[test]
    fn an_empty_or_overlong_text_is_refused() {
        assert!(Text::new("en", "   ").validate("title", 10).is_err());
        assert!(
            Text::new("en", "eleven char")
                .validate("title", 10)
                .is_err()
        );
        assert!(Text::new("en", "ten chars!").validate("title", 10).is_ok());
    }
}
