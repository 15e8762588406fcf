//! The texts live with the use cases (`atende_app::i18n`), which send messages too; the web
//! shows them. The test that every key exists everywhere scans the web's sources as well.

pub use atende_app::i18n::*;

#[cfg(test)]
#[path = "i18n_test.rs"]
mod tests;
