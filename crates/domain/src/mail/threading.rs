//! Which ticket an incoming message joins.
//!
//! A reference to a message we know (`In-Reply-To`, `References`) is proof enough: only someone
//! who received that message can quote its id. A ticket tag in the subject is not: anyone can type
//! `[#123]`, so a tag alone lets in only people who already take part in the ticket; a stranger's
//! message opens a new ticket linked to the one it named.

/// The `[#123]` mark put in the subjects we send, with a configurable prefix (`#` by default,
/// `[Acme #123]` with `Acme #`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectTag {
    prefix: String,
}

impl Default for SubjectTag {
    fn default() -> Self {
        SubjectTag { prefix: "#".into() }
    }
}

impl SubjectTag {
    /// A prefix of up to 20 characters, without brackets.
    pub fn new(prefix: &str) -> Option<SubjectTag> {
        let prefix = prefix.trim_start();
        let ok = !prefix.is_empty()
            && prefix.chars().count() <= 20
            && !prefix.contains(['[', ']'])
            && !prefix.chars().any(char::is_control);
        ok.then(|| SubjectTag {
            prefix: prefix.to_owned(),
        })
    }

    pub fn format(&self, ticket_id: i64) -> String {
        format!("[{}{ticket_id}]", self.prefix)
    }

    /// `subject` with the tag in front, once (a reply's subject may carry it already).
    pub fn tagged(&self, ticket_id: i64, subject: &str) -> String {
        if self.find(subject) == Some(ticket_id) {
            subject.to_owned()
        } else {
            format!("{} {}", self.format(ticket_id), subject.trim())
        }
    }

    /// The ticket number of the first well-formed tag in `subject`.
    pub fn find(&self, subject: &str) -> Option<i64> {
        let mut rest = subject;
        while let Some(at) = rest.find('[') {
            rest = &rest[at + 1..];
            let Some(close) = rest.find(']') else { break };
            let inside = &rest[..close];
            if let Some(number) = strip_prefix_ignore_case(inside, &self.prefix) {
                let number = number.trim();
                if !number.is_empty()
                    && number.len() <= 18
                    && number.bytes().all(|b| b.is_ascii_digit())
                    && let Ok(id) = number.parse::<i64>()
                {
                    return Some(id);
                }
            }
        }
        None
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

/// What the store knows about the tickets a message points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clues {
    /// The ticket of a Message-ID the message refers to (we sent or received it).
    pub referenced: Option<i64>,
    /// The ticket its subject tag names, if that ticket exists.
    pub tagged: Option<i64>,
    /// Whether the sender takes part in the tagged ticket (requester, copied, or a member of
    /// its contract).
    pub sender_takes_part: bool,
}

/// Where an incoming message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Appended to this ticket.
    Join(i64),
    /// A new ticket, linked to the one its subject named (a stranger used another ticket's tag).
    NewLinked(i64),
    /// A new ticket.
    New,
}

pub fn place(clues: Clues) -> Placement {
    match clues {
        Clues {
            referenced: Some(ticket),
            ..
        } => Placement::Join(ticket),
        Clues {
            tagged: Some(ticket),
            sender_takes_part: true,
            ..
        } => Placement::Join(ticket),
        Clues {
            tagged: Some(ticket), ..
        } => Placement::NewLinked(ticket),
        _ => Placement::New,
    }
}

/// The Message-IDs a message refers to, newest first: `In-Reply-To`, then `References` from the
/// end (RFC 5322 §3.6.4 lists them oldest first).
pub fn referenced_ids(in_reply_to: &[String], references: &[String]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for id in in_reply_to.iter().chain(references.iter().rev()) {
        let id = normalize_id(id);
        if !id.is_empty() && !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// A Message-ID without angle brackets or surrounding space, as we store them.
pub fn normalize_id(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_owned()
}

#[cfg(test)]
#[path = "threading_test.rs"]
mod tests;
