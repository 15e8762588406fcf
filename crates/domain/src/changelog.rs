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
mod tests {
    use super::*;

    #[test]
    fn tags_are_known_codes_each_once_in_order() {
        let tags = parse_tags(&["fixed".into(), "new".into(), "fixed".into()]).unwrap();
        assert_eq!(tags, [ChangeTag::New, ChangeTag::Fixed]);
        assert!(parse_tags(&["shiny".into()]).is_err());
    }
}
