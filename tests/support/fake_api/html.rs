//! Telegram's `parse_mode = "HTML"`: turns marked-up text into visible text plus
//! message entities, rejecting what Telegram rejects.
//!
//! The accepted tags and error wording follow the Bot API documentation and
//! Telegram's server. Two rules are deliberately *stricter* than Telegram, to
//! catch escaping bugs early:
//! - a `&` must start one of `&lt;` `&gt;` `&amp;` `&quot;` `&#N;` `&#xH;`
//!   (terminated by `;`); Telegram would silently keep a stray `&`;
//! - `<a>` must have a non-empty `href`.

use serde_json::{Value, json};

/// Visible text and entities produced by parsing a formatted text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedText {
    pub text: String,
    pub entities: Vec<Entity>,
}

/// A message entity; offsets and lengths are in UTF-16 code units, as in the Bot API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    /// The Bot API `type`: "bold", "italic", "text_link", "pre", ...
    pub kind: &'static str,
    pub offset: usize,
    pub length: usize,
    /// The type-specific field, e.g. `("url", "https://…")` for `text_link`.
    pub extra: Option<(&'static str, String)>,
}

impl Entity {
    /// The entity as a Bot API `MessageEntity` object.
    pub fn to_json(&self) -> Value {
        let mut value = json!({"type": self.kind, "offset": self.offset, "length": self.length});
        if let Some((key, extra)) = &self.extra {
            value[*key] = Value::String(extra.clone());
        }
        value
    }
}

/// Length of `s` as Telegram counts it: in UTF-16 code units.
pub fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// Strips leading and trailing whitespace like Telegram does, moving entities along.
pub fn trim(parsed: ParsedText) -> ParsedText {
    let start = parsed.text.len() - parsed.text.trim_start().len();
    let text = parsed.text.trim();
    if start == 0 && text.len() == parsed.text.len() {
        return parsed;
    }
    let shift = utf16_len(&parsed.text[..start]);
    let len = utf16_len(text);
    let entities = parsed
        .entities
        .into_iter()
        .filter_map(|mut entity| {
            let begin = entity.offset.saturating_sub(shift);
            let end = (entity.offset + entity.length)
                .saturating_sub(shift)
                .min(len);
            (end > begin).then(|| {
                entity.offset = begin;
                entity.length = end - begin;
                entity
            })
        })
        .collect();
    ParsedText {
        text: text.to_owned(),
        entities,
    }
}

/// Parses `source` in Telegram's HTML style. The error is the part of the
/// description after `"Bad Request: can't parse entities: "`.
pub fn parse_html(source: &str) -> Result<ParsedText, String> {
    Parser {
        src: source,
        pos: 0,
        out: String::with_capacity(source.len()),
        utf16: 0,
    }
    .run()
}

/// Tags Telegram understands.
const TAGS: &[&str] = &[
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
];

struct OpenTag {
    name: String,
    /// UTF-16 offset in the visible text where the tag's content starts.
    offset: usize,
    kind: &'static str,
    extra: Option<(&'static str, String)>,
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    out: String,
    /// UTF-16 length of `out`.
    utf16: usize,
}

impl Parser<'_> {
    fn run(mut self) -> Result<ParsedText, String> {
        let mut open: Vec<OpenTag> = Vec::new();
        let mut entities = Vec::new();
        let bytes = self.src.as_bytes();
        let mut run_start = 0;
        while self.pos < bytes.len() {
            match bytes[self.pos] {
                b'&' => {
                    self.push_text(run_start);
                    let at = self.pos;
                    let (ch, len) = decode_entity(&self.src[at..]).ok_or_else(|| {
                        format!(
                            "Character '&' at byte offset {at} does not start an HTML entity \
                             (&lt; &gt; &amp; &quot; &#N; or &#xH;); escape it as &amp;"
                        )
                    })?;
                    self.out.push(ch);
                    self.utf16 += ch.len_utf16();
                    self.pos += len;
                    run_start = self.pos;
                }
                b'<' => {
                    self.push_text(run_start);
                    if bytes.get(self.pos + 1) == Some(&b'/') {
                        self.end_tag(&mut open, &mut entities)?;
                    } else {
                        open.push(self.start_tag()?);
                    }
                    run_start = self.pos;
                }
                _ => self.pos += 1,
            }
        }
        self.push_text(run_start);
        if let Some(tag) = open.last() {
            return Err(format!(
                "Can't find end tag corresponding to start tag \"{}\"",
                tag.name
            ));
        }
        entities.sort_by_key(|e: &Entity| (e.offset, std::cmp::Reverse(e.length)));
        Ok(ParsedText {
            text: self.out,
            entities,
        })
    }

    /// Copies `src[from..pos]` verbatim into the visible text.
    fn push_text(&mut self, from: usize) {
        let run = &self.src[from..self.pos];
        self.out.push_str(run);
        self.utf16 += utf16_len(run);
    }

    fn peek(&self) -> Option<u8> {
        self.src.as_bytes().get(self.pos).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    /// Advances while `pred` holds and returns the skipped slice.
    fn take_while(&mut self, pred: impl Fn(u8) -> bool) -> &str {
        let start = self.pos;
        while self.peek().is_some_and(&pred) {
            self.pos += 1;
        }
        &self.src[start..self.pos]
    }

    fn start_tag(&mut self) -> Result<OpenTag, String> {
        let begin = self.pos;
        self.pos += 1;
        let name = self
            .take_while(|b| !b.is_ascii_whitespace() && b != b'>')
            .to_ascii_lowercase();
        if self.peek().is_none() {
            return Err(format!("Unclosed start tag at byte offset {begin}"));
        }
        if !TAGS.contains(&name.as_str()) {
            return Err(format!(
                "Unsupported start tag \"{name}\" at byte offset {begin}"
            ));
        }
        let mut attributes = Vec::new();
        loop {
            self.skip_spaces();
            match self.peek() {
                None => return Err(format!("Unclosed start tag at byte offset {begin}")),
                Some(b'>') => break,
                Some(_) => {}
            }
            let attribute = self
                .take_while(|b| !b.is_ascii_whitespace() && b != b'=' && b != b'>')
                .to_ascii_lowercase();
            if attribute.is_empty() {
                return Err(format!(
                    "Empty attribute name in the tag \"{name}\" at byte offset {begin}"
                ));
            }
            self.skip_spaces();
            if self.peek() != Some(b'=') {
                // A boolean attribute such as `expandable`.
                attributes.push((attribute, String::new()));
                continue;
            }
            self.pos += 1;
            self.skip_spaces();
            let value = self.attribute_value(&name, begin)?;
            attributes.push((attribute, value));
        }
        self.pos += 1; // '>'

        let attr = |key: &str| {
            attributes
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        };
        let (kind, extra) = match name.as_str() {
            "b" | "strong" => ("bold", None),
            "i" | "em" => ("italic", None),
            "u" | "ins" => ("underline", None),
            "s" | "strike" | "del" => ("strikethrough", None),
            "tg-spoiler" => ("spoiler", None),
            "span" if attr("class") == Some("tg-spoiler") => ("spoiler", None),
            "span" => {
                return Err(format!(
                    "Tag \"span\" must have class \"tg-spoiler\" at byte offset {begin}"
                ));
            }
            "a" => match attr("href") {
                Some(href) if !href.is_empty() => ("text_link", Some(("url", href.to_owned()))),
                _ => {
                    return Err(format!(
                        "Tag \"a\" must have a non-empty href attribute at byte offset {begin}"
                    ));
                }
            },
            "code" => {
                let language = attr("class").and_then(|c| c.strip_prefix("language-"));
                ("code", language.map(|l| ("language", l.to_owned())))
            }
            "pre" => ("pre", None),
            "blockquote" if attr("expandable").is_some() => ("expandable_blockquote", None),
            "blockquote" => ("blockquote", None),
            "tg-emoji" => match attr("emoji-id") {
                Some(id) if !id.is_empty() => {
                    ("custom_emoji", Some(("custom_emoji_id", id.to_owned())))
                }
                _ => {
                    return Err(format!(
                        "Tag \"tg-emoji\" must have attribute \"emoji-id\" at byte offset {begin}"
                    ));
                }
            },
            _ => unreachable!("checked against TAGS"),
        };
        Ok(OpenTag {
            name,
            offset: self.utf16,
            kind,
            extra,
        })
    }

    /// Reads a quoted string (entities decoded) or a bare name token.
    fn attribute_value(&mut self, tag: &str, begin: usize) -> Result<String, String> {
        let Some(quote @ (b'"' | b'\'')) = self.peek() else {
            let token_start = self.pos;
            let token = self
                .take_while(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
                .to_owned();
            return match self.peek() {
                Some(b) if b.is_ascii_whitespace() || b == b'>' => Ok(token.to_ascii_lowercase()),
                None => Err(format!(
                    "Unclosed start tag \"{tag}\" at byte offset {begin}"
                )),
                Some(_) => Err(format!(
                    "Unexpected end of name token at byte offset {token_start}"
                )),
            };
        };
        self.pos += 1;
        let mut value = String::new();
        loop {
            let run = self.take_while(|b| b != quote && b != b'&');
            value.push_str(run);
            match self.peek() {
                None => return Err(format!("Unclosed start tag at byte offset {begin}")),
                Some(b'&') => {
                    let at = self.pos;
                    let (ch, len) = decode_entity(&self.src[at..]).ok_or_else(|| {
                        format!("Character '&' at byte offset {at} does not start an HTML entity")
                    })?;
                    value.push(ch);
                    self.pos += len;
                }
                Some(_) => {
                    self.pos += 1; // closing quote
                    return Ok(value);
                }
            }
        }
    }

    fn end_tag(
        &mut self,
        open: &mut Vec<OpenTag>,
        entities: &mut Vec<Entity>,
    ) -> Result<(), String> {
        let begin = self.pos;
        self.pos += 2; // "</"
        let name = self
            .take_while(|b| !b.is_ascii_whitespace() && b != b'>')
            .to_ascii_lowercase();
        self.skip_spaces();
        if self.peek() != Some(b'>') {
            return Err(format!("Unclosed end tag at byte offset {begin}"));
        }
        self.pos += 1;
        let Some(tag) = open.pop() else {
            return Err(format!("Unexpected end tag at byte offset {begin}"));
        };
        if !name.is_empty() && name != tag.name {
            return Err(format!(
                "Unmatched end tag at byte offset {begin}, expected \"</{}>\", found \"</{name}>\"",
                tag.name
            ));
        }
        let length = self.utf16 - tag.offset;
        if length == 0 {
            return Ok(()); // Telegram drops empty entities.
        }
        let mut entity = Entity {
            kind: tag.kind,
            offset: tag.offset,
            length,
            extra: tag.extra,
        };
        // `<pre><code class="language-x">…</code></pre>` is one `pre` entity with a language.
        if entity.kind == "pre"
            && let Some(last) = entities.last()
            && last.kind == "code"
            && (last.offset, last.length) == (entity.offset, entity.length)
        {
            let code = entities.pop().expect("just looked at it");
            entity.extra = code.extra;
        }
        entities.push(entity);
        Ok(())
    }
}

/// Decodes the HTML entity at the start of `s` (which starts with `&`), returning
/// the character and the entity's length in bytes.
fn decode_entity(s: &str) -> Option<(char, usize)> {
    // The longest entity is `&#1114111;`: never look further than that.
    let end = s.bytes().take(12).position(|b| b == b';')?;
    let body = &s[1..end];
    let ch = match body {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        _ => {
            let number = body.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex)
                    if !hex.is_empty()
                        && hex.len() <= 6
                        && hex.bytes().all(|b| b.is_ascii_hexdigit()) =>
                {
                    u32::from_str_radix(hex, 16).ok()?
                }
                Some(_) => return None,
                None if !number.is_empty()
                    && number.len() <= 7
                    && number.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    number.parse().ok()?
                }
                None => return None,
            };
            if code == 0 {
                return None;
            }
            char::from_u32(code)?
        }
    };
    Some((ch, end + 1))
}
