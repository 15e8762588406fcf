use super::*;

#[test]
fn tags_are_known_codes_each_once_in_order() {
    let tags = parse_tags(&["fixed".into(), "new".into(), "fixed".into()]).unwrap();
    assert_eq!(tags, [ChangeTag::New, ChangeTag::Fixed]);
    assert!(parse_tags(&["shiny".into()]).is_err());
}
