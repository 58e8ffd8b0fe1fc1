//! Small maud components the law pages share (the question form's problems, a verdict in plain
//! words, a citation link, a vocabulary word as its phrase, a technical-details disclosure and a
//! pager). Everything here escapes by construction: text goes in as text, never as markup.

use maud::{Markup, html};
use remit_law::Verdict;
use remit_law::vocabulary::{Vocabulary, WordKind};

use crate::components::{self, Column};
use crate::html::{is_web_url, without_counterparty, words};
use crate::i18n::{self, Common, Lang};

/// A verdict as a badge in plain words (`must not`, `no rule found`; `no debe` in Spanish), with
/// colour as a second cue only.
pub fn verdict(verdict: Verdict) -> Markup {
    html! {
        span class={ "verdict v-" (verdict.name()) } { (verdict_words(verdict)) }
    }
}

/// A verdict in plain words in the request's language.
pub fn verdict_words(verdict: Verdict) -> &'static str {
    remit_law::lang::verdict_words(verdict, i18n::lang())
}

/// Text from data that stays in English (a source's title, a rule's summary) as a page shows it:
/// as it is on an English page, marked `lang="en"` on a Spanish one (for screen readers, and so
/// that it is told apart from the page's own words).
pub fn english(text: &str) -> Markup {
    html! {
        @match i18n::lang() {
            Lang::En => (text),
            Lang::Es => span lang="en" { (text) },
        }
    }
}

/// A sentence of the law engine's with the rules it names by id (in backticks) named as readers
/// know them, by their citations: "`us-ca/gov-7284.6-a4` (Cal. Gov. Code § 7284.6(a)(4)) prohibits
/// this" becomes "Cal. Gov. Code § 7284.6(a)(4) prohibits this", and a bare "`us-ca/...`" the
/// rule's citation. Text in backticks that is not a rule's id is kept as it is.
pub fn cited(corpus: &remit_law::Corpus, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let Some(length) = rest[open + 1..].find('`') else {
            break;
        };
        let id = &rest[open + 1..open + 1 + length];
        let after = &rest[open + length + 2..];
        out.push_str(&rest[..open]);
        let Some(rule) = corpus.rule(id) else {
            out.push_str(&rest[open..open + length + 2]);
            rest = after;
            continue;
        };
        // "`id` (citation)": the citation alone, its own brackets kept.
        if let Some(inner) = after.strip_prefix(" (") {
            let mut depth = 1;
            let close = inner.char_indices().find_map(|(at, c)| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                (depth == 0).then_some(at)
            });
            if let Some(close) = close {
                out.push_str(&inner[..close]);
                rest = &inner[close + 1..];
                continue;
            }
        }
        out.push_str(&rule.source.citation);
        rest = after;
    }
    out.push_str(rest);
    out
}

/// `lang="en"` for text from data on a Spanish page; nothing on an English one.
pub fn english_data() -> Option<&'static str> {
    (i18n::lang() == Lang::Es).then_some("en")
}

/// A link to an outside source (its text from data: a citation, a source's name, marked as
/// English on a Spanish page), or its text alone when the address is not a web address (never a
/// `javascript:` or `data:` link).
pub fn external(url: &str, text: &str) -> Markup {
    html! {
        @if is_web_url(url) {
            a href=(url) rel="noreferrer" lang=[english_data()] { (text) }
        } @else {
            (english(text))
        }
    }
}

/// A vocabulary word as readers say it, in the request's language: an action's phrase without
/// its counterparty slot (`share ALPR data`, `compartir datos de lectores automáticos de placas
/// (ALPR)`), another word's phrase, or the word with spaces when it has none.
pub fn phrase(vocabulary: &Vocabulary, kind: WordKind, name: &str) -> String {
    let lang = i18n::lang();
    match vocabulary.phrase_in(kind, name, lang) {
        Some(phrase) if kind == WordKind::Action => without_counterparty_in(phrase, lang),
        Some(phrase) => phrase.to_string(),
        None if kind == WordKind::Fact => vocabulary
            .fact(name)
            .map_or_else(|_| words(name), |id| vocabulary.fact_condition_in(id, lang)),
        None if lang == Lang::Es => match actor_group_es(name) {
            Some(group) => group.to_string(),
            None => words(name),
        },
        None => words(name),
    }
}

/// The actor groups of `vocabulary.toml` (which a rule may bind, and which have no phrase of
/// their own) in Spanish.
fn actor_group_es(name: &str) -> Option<&'static str> {
    match name {
        "any_law_enforcement" => Some("cualquier agencia estatal o local del orden público"),
        "local_law_enforcement" => Some("cualquier agencia local del orden público"),
        "any_government" => Some("cualquier entidad o funcionario estatal o local"),
        "local_entity" => {
            Some("cualquier organismo, funcionario o agencia del orden público local")
        }
        _ => None,
    }
}

/// An action's phrase where no counterparty is chosen yet (a menu, a heading): the slot and the
/// words that join it go, and a slot that cannot go reads "the other agency" ("la otra
/// agencia").
pub fn without_counterparty_in(phrase: &str, lang: Lang) -> String {
    match lang {
        Lang::En => without_counterparty(phrase),
        Lang::Es => crate::html::without_slot(
            phrase,
            &[
                ", con participación de {counterparty}",
                " con {counterparty}",
                " de {counterparty}",
                " a {counterparty}",
            ],
            "la otra agencia",
        ),
    }
}

/// Internal identifiers (rule ids, division ids, file names) in a closed disclosure, so that the
/// page speaks plain words and the identifiers are still there for whoever needs them.
pub fn technical(inner: Markup) -> Markup {
    html! {
        details.technical {
            summary { (Common::current().technical_details) }
            (inner)
        }
    }
}

/// What stands in the way of an answer, above the form that is kept filled in: each problem with
/// what to do about it.
pub fn problems(heading: &str, problems: &[(String, Option<String>)]) -> Markup {
    html! {
        @if !problems.is_empty() {
            div.error role="alert" {
                p { strong { (heading) } }
                ul {
                    @for (message, help) in problems {
                        li {
                            (message)
                            @if let Some(help) = help {
                                br;
                                span.note { (Common::current().what_to_do) " " (help) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Links to the previous and next page of a long list, with "showing a-b of n"; nothing when
/// the list fits on one page.
pub fn pager(offset: usize, size: usize, total: usize, url: impl Fn(usize) -> String) -> Markup {
    let last = (offset + size).min(total);
    let t = Common::current();
    html! {
        @if total > size || offset > 0 {
            p.pager {
                span { (i18n::showing((offset + 1).min(total) as u64, last as u64, total as u64)) }
                @if offset > 0 {
                    a href=(url(offset.saturating_sub(size))) rel="prev" { (t.previous) " " (size) }
                }
                @if last < total {
                    a href=(url(last)) rel="next" { (t.next) " " (size) " →" }
                }
            }
        }
    }
}

/// A table of rows already written as markup, with plain text headings that do not sort: the
/// common case of [`components::table`], which draws it.
pub fn table(columns: &[&str], rows: Markup) -> Markup {
    let columns: Vec<Column<'_>> = columns
        .iter()
        .map(|heading| Column::text(heading))
        .collect();
    components::table(&columns, None, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_only_web_addresses_link() {
        assert_eq!(
            external("javascript:alert(1)", "<b>x</b>").into_string(),
            "&lt;b&gt;x&lt;/b&gt;"
        );
        assert_eq!(
            external("https://example.org/?a=1&b=2", "law").into_string(),
            "<a href=\"https://example.org/?a=1&amp;b=2\" rel=\"noreferrer\">law</a>"
        );
        let shown = problems(
            "Cannot answer",
            &[("`where`: <script>".to_string(), Some("a & b".to_string()))],
        )
        .into_string();
        assert!(shown.contains("`where`: &lt;script&gt;"), "{shown}");
        assert!(shown.contains("What to do: a &amp; b"), "{shown}");
        assert_eq!(problems("x", &[]).into_string(), "");
    }

    #[test]
    fn verdicts_read_as_words() {
        assert_eq!(
            verdict(Verdict::NoRule).into_string(),
            "<span class=\"verdict v-no_rule\">no rule found</span>"
        );
    }

    #[test]
    fn the_pager_says_where_the_reader_is() {
        let shown = pager(50, 50, 120, |o| format!("/x?a=1&offset={o}")).into_string();
        assert!(shown.contains("Showing 51–100 of 120"), "{shown}");
        assert!(shown.contains("href=\"/x?a=1&amp;offset=0\""), "{shown}");
        assert!(shown.contains("href=\"/x?a=1&amp;offset=100\""), "{shown}");
        assert_eq!(pager(0, 50, 10, |o| o.to_string()).into_string(), "");
    }

    #[test]
    fn words_read_as_the_vocabulary_phrases_them() {
        let corpus = match remit_law::Corpus::embedded() {
            Ok(corpus) => corpus,
            Err(error) => panic!("the embedded corpus does not load: {error}"),
        };
        let v = corpus.vocabulary();
        let action = phrase(v, WordKind::Action, "share_alpr_data");
        assert!(!action.contains('_') && !action.contains('{'), "{action}");
        assert_ne!(action, "share alpr data");
        let actor = phrase(v, WordKind::Actor, "local_police");
        assert!(!actor.contains('_'), "{actor}");
    }

    #[test]
    fn regression_issue_17_caveats_name_rules_by_their_citations_not_their_ids() {
        let corpus = remit_law::Corpus::embedded_with(remit_law::Scenarios::Skip).unwrap();
        let rule = &corpus.rules()[0];
        let (id, citation) = (rule.id.as_str(), rule.source.citation.as_str());
        assert_eq!(
            cited(
                &corpus,
                &format!("`{id}` ({citation}) prohibits this for a jail")
            ),
            format!("{citation} prohibits this for a jail")
        );
        // Brackets inside the citation are kept.
        assert_eq!(
            cited(
                &corpus,
                &format!("preempted by `{id}` (Code § 1(a)(2)), a higher level")
            ),
            "preempted by Code § 1(a)(2), a higher level"
        );
        assert_eq!(
            cited(&corpus, &format!("`{id}` is an exception to it")),
            format!("{citation} is an exception to it")
        );
        // What is not a rule's id stays as it is.
        assert_eq!(
            cited(&corpus, "run `remit audit` again"),
            "run `remit audit` again"
        );
        assert_eq!(cited(&corpus, "an open ` quote"), "an open ` quote");
    }
}
