//! Every fixture spec's and every kept spec version's generated client, compiled. Output that does not build
//! fails `cargo build`.

include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));

#[cfg(test)]
mod tests {
    /// The generated items are real and usable, not only present.
    #[test]
    fn generated_fixture_types_behave() {
        use super::punctuation_enum::types::DateFormat;
        assert_eq!("DD.MM.YYYY".parse::<DateFormat>().unwrap(), DateFormat::DdDotMmDotYyyy);
        assert_eq!(
            serde_json::to_string(&DateFormat::YyyyDashMmDashDdOpenBracketZCloseBracket).unwrap(),
            "\"YYYY-MM-DD[Z]\""
        );
        assert!("DD MM YYYY".parse::<DateFormat>().is_err());

        let thing: super::openapi_31_syntax::types::Thing =
            serde_json::from_value(serde_json::json!({"kind": "thing", "note": null, "const": "c"})).unwrap();
        assert_eq!(thing.const_.as_deref(), Some("c"));
        assert!(
            serde_json::from_value::<super::openapi_31_syntax::types::Thing>(serde_json::json!({"kind": "other"}))
                .is_err()
        );
    }

    /// The docs spec of the real API (60 operations) generates with no overlay: its paged lists get streams,
    /// its date formats get named variants, its colliding schema names are told apart.
    #[test]
    fn the_docs_spec_generates_a_usable_client() {
        use super::spec_docs_2026_03 as docs;
        let format: docs::types::DateFormat = "MM.DD.YY".parse().unwrap();
        assert_eq!(format.to_string(), "MM.DD.YY");
        let apps: docs::types::AppsList =
            serde_json::from_value(serde_json::json!([{"id": 1, "name": "Slack"}])).unwrap();
        assert_eq!(apps.0.len(), 1);
    }
}
