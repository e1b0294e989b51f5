//! Escaping user-supplied text for Telegram's HTML parse mode, the only parse mode the bot uses.

/// Escapes `&`, `<` and `>` (all that Telegram's HTML parser needs outside attributes) and `"`
/// (so the result is also safe inside an `href="…"`).
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn unescape(text: &str) -> String {
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(html("<b>&\"x\""), "&lt;b&gt;&amp;&quot;x&quot;");
        assert_eq!(html("ИВТ-21"), "ИВТ-21");
    }

    proptest! {
        #[test]
        fn round_trips_and_leaves_no_markup(text in ".*") {
            let escaped = html(&text);
            prop_assert!(!escaped.contains('<') && !escaped.contains('>'));
            prop_assert_eq!(unescape(&escaped), text);
        }
    }
}
