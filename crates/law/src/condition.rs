//! `when` conditions: a small boolean language over facts.
//!
//! Rules write conditions the way the law reads: `judicial_warrant or judicial_probable_cause`,
//! `person_in_custody and not information_publicly_available`. `and` binds tighter than `or`;
//! parentheses group.

use crate::vocabulary::{FactId, FactSet, UnknownWord, Vocabulary};

/// How deeply parentheses and `not` may nest in one condition. No condition in the corpus nests
/// more than 2 deep; the limit keeps a malformed or hostile file from exhausting the stack.
pub const MAX_DEPTH: usize = 64;

/// How much of a condition an error quotes.
const QUOTE_CHARS: usize = 80;

/// The condition as an error quotes it: at most its first 80 characters.
fn quote(text: &str) -> String {
    match text.char_indices().nth(QUOTE_CHARS) {
        Some((end, _)) => format!(
            "{}… ({} characters in all)",
            &text[..end],
            text.chars().count()
        ),
        None => text.to_string(),
    }
}

/// A parsed condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    /// Holds when the fact is among the question's facts.
    Fact(FactId),
    /// Holds when every part holds (`and`).
    All(Vec<Condition>),
    /// Holds when at least one part holds (`or`).
    Any(Vec<Condition>),
    /// Holds when the part does not (`not`).
    Not(Box<Condition>),
}

/// Why a condition could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConditionError {
    /// The condition is not well formed.
    #[error("condition `{text}`: {message} at character {position}")]
    Syntax {
        /// The condition as written.
        text: String,
        /// What is wrong, e.g. an unexpected character.
        message: String,
        /// Where the problem is, in characters counted from 1.
        position: usize,
    },
    /// The condition names a fact that is not in the vocabulary.
    #[error("condition `{text}`: {source}")]
    Unknown {
        /// The condition as written.
        text: String,
        /// The unknown word and the vocabulary's suggestions.
        source: UnknownWord,
    },
}

impl ConditionError {
    /// How to write a condition, or the nearest known facts, for the message under the error.
    pub fn help(&self) -> String {
        match self {
            ConditionError::Syntax { .. } => {
                "write facts joined by `and`, `or`, `not` and parentheses, e.g. `judicial_warrant or judicial_probable_cause`".to_string()
            }
            ConditionError::Unknown { source, .. } => source.help(),
        }
    }
}

#[derive(Debug, PartialEq)]
enum Token<'a> {
    Word(&'a str, usize),
    Open(usize),
    Close(usize),
}

fn tokenize(text: &str) -> Result<Vec<Token<'_>>, ConditionError> {
    let mut tokens = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_whitespace() {
            i += 1;
        } else if b == b'(' {
            tokens.push(Token::Open(i));
            i += 1;
        } else if b == b')' {
            tokens.push(Token::Close(i));
            i += 1;
        } else if b.is_ascii_alphanumeric() || b == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            tokens.push(Token::Word(&text[start..i], start));
        } else {
            return Err(ConditionError::Syntax {
                text: quote(text),
                message: format!("unexpected `{}`", char::from(b)),
                position: i + 1,
            });
        }
    }
    Ok(tokens)
}

struct Parser<'a, 'v> {
    text: &'a str,
    tokens: Vec<Token<'a>>,
    next: usize,
    depth: usize,
    vocabulary: &'v Vocabulary,
}

impl Parser<'_, '_> {
    fn error(&self, message: &str) -> ConditionError {
        let position = match self.tokens.get(self.next) {
            Some(Token::Word(_, p) | Token::Open(p) | Token::Close(p)) => p + 1,
            None => self.text.len() + 1,
        };
        ConditionError::Syntax {
            text: quote(self.text),
            message: message.to_string(),
            position,
        }
    }

    fn peek_word(&self, word: &str) -> bool {
        matches!(self.tokens.get(self.next), Some(Token::Word(w, _)) if *w == word)
    }

    fn or(&mut self) -> Result<Condition, ConditionError> {
        let mut parts = vec![self.and()?];
        while self.peek_word("or") {
            self.next += 1;
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Condition::Any(parts)
        })
    }

    fn and(&mut self) -> Result<Condition, ConditionError> {
        let mut parts = vec![self.unary()?];
        while self.peek_word("and") {
            self.next += 1;
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Condition::All(parts)
        })
    }

    /// Enters one level of `not` or parentheses, refusing to go past [`MAX_DEPTH`].
    fn deeper(&mut self) -> Result<(), ConditionError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(&format!(
                "parentheses and `not` nest more than {MAX_DEPTH} deep"
            )));
        }
        Ok(())
    }

    fn unary(&mut self) -> Result<Condition, ConditionError> {
        if self.peek_word("not") {
            self.deeper()?;
            self.next += 1;
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Condition::Not(Box::new(inner)));
        }
        match self.tokens.get(self.next) {
            Some(Token::Open(_)) => {
                self.deeper()?;
                self.next += 1;
                let inner = self.or()?;
                self.depth -= 1;
                match self.tokens.get(self.next) {
                    Some(Token::Close(_)) => {
                        self.next += 1;
                        Ok(inner)
                    }
                    _ => Err(self.error("expected `)`")),
                }
            }
            Some(Token::Word(word, _)) if !matches!(*word, "and" | "or" | "not") => {
                let fact =
                    self.vocabulary
                        .fact(word)
                        .map_err(|source| ConditionError::Unknown {
                            text: quote(self.text),
                            source,
                        })?;
                self.next += 1;
                Ok(Condition::Fact(fact))
            }
            _ => Err(self.error("expected a fact, `not` or `(`")),
        }
    }
}

impl Condition {
    /// Parses a condition, checking every fact against the vocabulary.
    pub fn parse(text: &str, vocabulary: &Vocabulary) -> Result<Condition, ConditionError> {
        let mut parser = Parser {
            text,
            tokens: tokenize(text)?,
            next: 0,
            depth: 0,
            vocabulary,
        };
        let condition = parser.or()?;
        if parser.next != parser.tokens.len() {
            return Err(parser.error("expected `and`, `or` or the end"));
        }
        Ok(condition)
    }

    /// Whether the condition holds when exactly `facts` hold.
    pub fn holds(&self, facts: &FactSet) -> bool {
        match self {
            Condition::Fact(fact) => facts.contains(*fact),
            Condition::All(parts) => parts.iter().all(|p| p.holds(facts)),
            Condition::Any(parts) => parts.iter().any(|p| p.holds(facts)),
            Condition::Not(inner) => !inner.holds(facts),
        }
    }

    /// The facts named in the condition, in order of appearance, without repeats.
    pub fn facts(&self) -> Vec<FactId> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect(&self, out: &mut Vec<FactId>) {
        match self {
            Condition::Fact(fact) => {
                if !out.contains(fact) {
                    out.push(*fact);
                }
            }
            Condition::All(parts) | Condition::Any(parts) => {
                parts.iter().for_each(|p| p.collect(out));
            }
            Condition::Not(inner) => inner.collect(out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        Vocabulary::from_toml(include_str!("../../../corpus/vocabulary.toml")).unwrap()
    }

    #[test]
    fn precedence_and_grouping() {
        let v = vocabulary();
        let mut facts = FactSet::default();
        let c = Condition::parse(
            "judicial_warrant or person_in_custody and imminent_safety_risk",
            &v,
        )
        .unwrap();
        assert!(!c.holds(&facts));
        facts.insert(v.fact("person_in_custody").unwrap());
        assert!(!c.holds(&facts), "`and` binds tighter than `or`");
        facts.insert(v.fact("imminent_safety_risk").unwrap());
        assert!(c.holds(&facts));
        let grouped = Condition::parse(
            "(judicial_warrant or person_in_custody) and not imminent_safety_risk",
            &v,
        )
        .unwrap();
        assert!(!grouped.holds(&facts));
        assert_eq!(grouped.facts().len(), 3);
    }

    #[test]
    fn reports_errors_with_position_and_suggestion() {
        let v = vocabulary();
        let err = Condition::parse("judicial_warrant or", &v).unwrap_err();
        assert!(err.to_string().contains("expected a fact"), "{err}");
        let err = Condition::parse("judicial_warant", &v).unwrap_err();
        assert_eq!(err.help(), "did you mean `judicial_warrant`?");
        let err = Condition::parse("(judicial_warrant", &v).unwrap_err();
        assert!(err.to_string().contains("expected `)`"), "{err}");
        assert!(Condition::parse("a & b", &v).is_err());
    }

    #[test]
    fn refuses_deep_nesting_without_overflowing_the_stack() {
        let v = vocabulary();
        let at_limit = format!(
            "{}judicial_warrant{}",
            "(".repeat(MAX_DEPTH),
            ")".repeat(MAX_DEPTH)
        );
        assert!(Condition::parse(&at_limit, &v).is_ok());
        for deep in [
            format!(
                "{}judicial_warrant{}",
                "(".repeat(100_000),
                ")".repeat(100_000)
            ),
            format!("{}judicial_warrant", "not ".repeat(100_000)),
            format!(
                "{}judicial_warrant{}",
                "(not ".repeat(50_000),
                ")".repeat(50_000)
            ),
        ] {
            let err = Condition::parse(&deep, &v).unwrap_err();
            let message = err.to_string();
            assert!(message.contains("nest more than 64 deep"), "{message}");
            assert!(
                message.len() < 300,
                "the error quotes only a prefix: {} bytes",
                message.len()
            );
            assert!(message.contains("characters in all"), "{message}");
        }
    }
}
