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

    /// The real API's spec (60 operations): its date formats get named variants, `aggregations` decodes as a
    /// number or as nested buckets, ids are integers, and the list keys are the real ones.
    #[test]
    fn the_real_api_spec_generates_a_usable_client() {
        use super::spec_2026_03::types;
        let format: types::DateFormat = "MM.DD.YY".parse().unwrap();
        assert_eq!(format.to_string(), "MM.DD.YY");
        let page: types::AppsPage = serde_json::from_value(serde_json::json!({
            "apps": [{"id": 1, "name": "Slack", "primaryOwner": {"id": 7, "email": "a@b.c"}, "myField": true}],
            "aggregations": [{"key": "active", "value": 3, "groupCount": 1,
                              "aggregations": [{"key": 2024, "value": 1}]}],
            "count": 1, "total": 1
        }))
        .unwrap();
        let apps = page.apps.unwrap();
        assert_eq!(apps.0[0].id, Some(1));
        assert_eq!(apps.0[0].extra["myField"], serde_json::json!(true));
        assert!(matches!(page.aggregations, Some(types::AppsPageAggregations::Aggregations(_))));
        let count: types::UsersPage =
            serde_json::from_value(serde_json::json!({"users": [], "aggregations": 12})).unwrap();
        assert!(matches!(count.aggregations, Some(types::UsersPageAggregations::Number(n)) if n == 12.0));
    }
}
