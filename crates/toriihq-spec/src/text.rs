//! The spec's descriptions are HTML fragments written for its web page (`<br>`, `<p><ul><li>…`, `&lt;`); editors
//! show docstrings and TSDoc as text, so the generators get them as plain text: tags gone, lists as `- ` lines,
//! entities decoded, blank lines between paragraphs, and the rate-limit list (stated on its own) left out.

/// `html` as plain text; `None` when nothing is left.
pub fn plain_text(html: &str) -> Option<String> {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            text.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let tag = rest[open + 1..open + close].trim().trim_start_matches('/').to_ascii_lowercase();
        let name = tag.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or_default();
        match name {
            "br" | "p" | "div" | "ul" | "ol" | "hr" => text.push('\n'),
            "li" if !rest[open + 1..].starts_with('/') => text.push_str("\n- "),
            _ => {}
        }
        rest = &rest[open + close + 1..];
    }
    text.push_str(rest);
    let text = decode_entities(&text);
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        let line = if line.starts_with("- ") || line == "-" { line } else { line.trim_start_matches("- ").to_string() };
        if line.starts_with("- Rate limit:") || line.starts_with("Rate limit:") || line == "-" {
            continue;
        }
        match (line.is_empty(), lines.last().is_some_and(String::is_empty)) {
            (true, true) => {}
            _ => lines.push(line),
        }
    }
    while lines.first().is_some_and(String::is_empty) {
        lines.remove(0);
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::plain_text;

    #[test]
    fn tags_go_lists_stay_and_the_rate_limit_is_left_out() {
        let html = "Returns a list of apps.<br/><br/><hr /><br/>Use `fields=` &amp; filters &lt;here&gt;.\n<p><ul><li>Rate limit: 200 requests per minute</li></ul></p>";
        assert_eq!(plain_text(html).unwrap(), "Returns a list of apps.\n\nUse `fields=` & filters <here>.");
        assert_eq!(
            plain_text("<p>Triggers:</p><ul><li>User left</li><li>App event</li></ul>").unwrap(),
            "Triggers:\n\n- User left\n- App event"
        );
        assert_eq!(plain_text("\n<p><ul><li>Rate limit: 50 requests per minute</li></ul></p>"), None);
    }
}
