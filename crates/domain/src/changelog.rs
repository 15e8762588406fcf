//! The changelog's vocabulary: what kind of change an entry announces.

code_enum!(ChangeTag, "tags", "new, improved, fixed", {
    New => "new",
    Improved => "improved",
    Fixed => "fixed",
});

/// Tags from their codes, each once, in the vocabulary's order.
pub fn parse_tags(codes: &[String]) -> Result<Vec<ChangeTag>, crate::ParseError> {
    let mut tags = codes
        .iter()
        .map(|c| c.trim().parse::<ChangeTag>())
        .collect::<Result<Vec<_>, _>>()?;
    tags.sort();
    tags.dedup();
    Ok(tags)
}

#[cfg(test)]
#[path = "changelog_test.rs"]
mod tests;
