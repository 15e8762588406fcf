//! The e-mail channel's rules: which ticket a message belongs to, which messages are machines
//! talking (and must not be answered), whether the receiving server vouched for the sender, and
//! which part of a reply is new. Parsing and sending live in the channels crate.

pub mod auth_results;
pub mod noise;
pub mod quote;
pub mod threading;

pub use auth_results::sender_authenticated;
pub use noise::{Noise, classify};
pub use quote::new_text;
pub use threading::{Placement, SubjectTag, place};

/// A header as received: name (any case) and unfolded value.
pub type Header<'a> = (&'a str, &'a str);

/// The value of the first header called `name`, compared without case.
pub fn header<'a>(headers: &[Header<'a>], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| *v)
}

/// The domain of an address (`ana@acme.example` → `acme.example`), lowercased.
pub fn domain_of(address: &str) -> Option<String> {
    let (_, domain) = address.rsplit_once('@')?;
    let domain = domain.trim().trim_end_matches('>').to_ascii_lowercase();
    (!domain.is_empty()).then_some(domain)
}
