//! Every problem of a custom-integration file, each with its path. The file is read as a stream: each user and
//! each licence is decoded, checked and dropped, and only the emails and licence names stay (for uniqueness).

use std::io::BufReader;
use std::path::Path;

use super::report::Report;
use super::stream::run;
use crate::Result;

/// Checks a file given as JSON bytes.
pub fn validate(json: &[u8]) -> Report {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    run(&mut deserializer)
}

/// Checks a file read from `reader` (buffer it: the JSON parser reads byte by byte).
pub fn validate_reader(reader: impl std::io::Read) -> Report {
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    run(&mut deserializer)
}

/// Checks the file at `path`, streamed from disk. Only a regular file is read (a pipe or a directory is an error
/// naming the argument `file`); dropping the future stops the reading.
pub async fn validate_file(path: &Path) -> Result<Report> {
    let file = crate::local_file::open_async("file", path).await?;
    crate::local_file::read_on_blocking_thread(file, |reader| {
        validate_reader(BufReader::with_capacity(1 << 20, reader))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(report: &Report) -> Vec<&str> {
        report.errors.iter().map(|p| p.path.as_str()).collect()
    }

    #[test]
    fn six_different_problems_are_all_reported_with_their_paths() {
        let report = validate(include_bytes!("../../../../spec/custom-integration/examples/six-problems.json"));
        let expected = "users[1].email users[2].email users[2].status users[3].email users[3].lastUsedDate \
                        licenses[0].pricePerUser";
        assert_eq!(paths(&report).join(" "), expected, "{report:#?}");
        let price = &report.errors[5].message;
        assert!(price.contains("cents") && price.contains("3520"), "{price}");
        assert!(report.errors[1].message.contains("users[0]"), "{:?}", report.errors[1]);
    }

    #[test]
    fn the_docs_example_is_valid() {
        let report = validate(include_bytes!("../../../../spec/custom-integration/examples/docs-example.json"));
        assert_eq!(report, Report::default());
    }

    #[test]
    fn a_licence_user_who_is_no_user_is_a_warning_even_when_licences_come_first() {
        let report = validate(br#"{"licenses": [{"name": "Pro", "users": [{"email": "ghost@example.com"}, {"email": "ADA@example.com"}]}],
                                  "users": [{"email": "ada@example.com"}]}"#);
        assert!(report.is_valid(), "{report:?}");
        assert_eq!(report.warnings.len(), 1);
        assert_eq!(report.warnings[0].path, "licenses[0].users[0].email");
    }

    #[test]
    fn shapes_that_are_not_the_file_are_problems_not_crashes() {
        for (json, path) in [
            (&b"[]"[..], ""),
            (b"null", ""),
            (b"{}", "users"),
            (b"{\"users\": []}", "users"),
            (b"{\"users\": {\"email\": \"a@b.co\"}}", "users"),
            (b"{\"users\": [7]}", "users[0]"),
            (b"{\"users\": [{\"email\": \"a@b.co\", \"roles\": \"admin\"}]}", "users[0].roles"),
            (b"{\"users\": [{\"email\": \"a@b.co\", \"roles\": [\"a\", 1]}]}", "users[0].roles[1]"),
            (
                b"{\"users\": [{\"email\": \"a@b.co\"}], \"licenses\": [{\"name\": \"P\", \"unassignedAmount\": -1}]}",
                "licenses[0].unassignedAmount",
            ),
            (
                b"{\"users\": [{\"email\": \"a@b.co\"}], \"licenses\": [{\"name\": \"P\"}, {\"name\": \"P\"}]}",
                "licenses[1].name",
            ),
            (b"{\"users\": [{\"email\": \"a@b.co\", \"lastUsedDate\": \"2021-02-30\"}]}", "users[0].lastUsedDate"),
            (b"{\"users\": [{\"email\": \"a@b.co\"}", ""),
        ] {
            let report = validate(json);
            assert_eq!(
                report.errors.first().map(|p| p.path.as_str()),
                Some(path),
                "{}: {report:?}",
                String::from_utf8_lossy(json)
            );
        }
    }
}
