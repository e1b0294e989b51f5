//! Decoding request parameters the ways the Bot API accepts them: query string,
//! JSON, `application/x-www-form-urlencoded` and `multipart/form-data`.
//!
//! Everything becomes one JSON object. Form and multipart values are strings,
//! except that parameters the Bot API defines as JSON-serialised objects
//! (`reply_markup`, `entities`, ...) are decoded, and an uploaded file part
//! becomes `{"filename", "content", "encoding"}` under the name of the
//! parameter that referred to it via `attach://`.

use serde_json::{Map, Value, json};

/// Parameters whose form/multipart value is a JSON-serialised object or array.
const JSON_PARAMS: &[&str] = &[
    "reply_markup",
    "entities",
    "caption_entities",
    "reply_parameters",
    "link_preview_options",
    "allowed_updates",
    "commands",
    "scope",
    "menu_button",
    "media",
    "results",
    "permissions",
    "message_ids",
    "options",
    "rights",
    "reaction",
    "prices",
    "suggested_post_parameters",
];

/// Decodes a request into a JSON object of parameters.
pub fn decode(
    content_type: Option<&str>,
    query: Option<&str>,
    body: &[u8],
) -> Result<Map<String, Value>, String> {
    let mut params = Map::new();
    if let Some(query) = query {
        for (key, value) in url_decode_pairs(query.as_bytes()) {
            params.insert(key, Value::String(value));
        }
    }
    let mime = content_type
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim();
    match mime.to_ascii_lowercase().as_str() {
        _ if body.is_empty() => {}
        "application/json" => match serde_json::from_slice(body) {
            Ok(Value::Object(map)) => params.extend(map),
            Ok(_) => return Err("JSON object expected".into()),
            Err(e) => return Err(format!("can't parse JSON object: {e}")),
        },
        "application/x-www-form-urlencoded" => {
            for (key, value) in url_decode_pairs(body) {
                params.insert(key, Value::String(value));
            }
        }
        "multipart/form-data" => {
            let boundary = boundary(content_type.unwrap_or(""))
                .ok_or("multipart/form-data without a boundary")?;
            params.extend(multipart(body, &boundary)?);
        }
        other => return Err(format!("unsupported Content-Type \"{other}\"")),
    }
    for (key, value) in params.iter_mut() {
        if let Value::String(s) = value
            && JSON_PARAMS.contains(&key.as_str())
            && s.starts_with(['{', '['])
            && let Ok(decoded) = serde_json::from_str(s)
        {
            *value = decoded;
        }
    }
    Ok(params)
}

fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.trim().split_once('=')?;
        key.eq_ignore_ascii_case("boundary")
            .then(|| value.trim_matches('"').to_owned())
    })
}

/// Splits a multipart body into fields; file parts are resolved against
/// `attach://<name>` references.
fn multipart(body: &[u8], boundary: &str) -> Result<Map<String, Value>, String> {
    let delimiter = format!("--{boundary}");
    let mut fields = Map::new();
    let mut files = Map::new();
    let Some(first) = find(body, delimiter.as_bytes(), 0) else {
        return Err("multipart body without the boundary".into());
    };
    let mut pos = first + delimiter.len();
    let closing = format!("\r\n{delimiter}");
    loop {
        if body[pos..].starts_with(b"--") {
            break;
        }
        pos += 2; // CRLF after the delimiter
        let headers_end =
            find(body, b"\r\n\r\n", pos).ok_or("multipart part without a header terminator")?;
        let headers = String::from_utf8_lossy(&body[pos..headers_end]);
        let content_start = headers_end + 4;
        let content_end =
            find(body, closing.as_bytes(), content_start).ok_or("unterminated multipart part")?;
        let content = &body[content_start..content_end];
        pos = content_end + closing.len();

        let disposition = headers
            .lines()
            .find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.trim()
                    .eq_ignore_ascii_case("content-disposition")
                    .then_some(value)
            })
            .ok_or("multipart part without Content-Disposition")?;
        let name = header_param(disposition, "name").ok_or("multipart part without a name")?;
        match header_param(disposition, "filename") {
            Some(filename) => {
                let (content, encoding) = match std::str::from_utf8(content) {
                    Ok(text) => (text.to_owned(), "utf-8"),
                    Err(_) => (base64_encode(content), "base64"),
                };
                let file = json!({"filename": filename, "content": content, "encoding": encoding});
                files.insert(name, file);
            }
            None => {
                fields.insert(
                    name,
                    Value::String(String::from_utf8_lossy(content).into_owned()),
                );
            }
        }
        if pos + 2 > body.len() {
            return Err("truncated multipart body".into());
        }
    }
    // `document=attach://<part name>` refers to the file part of that name.
    for value in fields.values_mut() {
        if let Value::String(s) = value
            && let Some(part) = s.strip_prefix("attach://")
            && let Some(file) = files.remove(part)
        {
            *value = file;
        }
    }
    // A file sent directly under the parameter name.
    for (name, file) in files {
        fields.entry(name).or_insert(file);
    }
    Ok(fields)
}

/// Reads `key="value"` (with backslash escapes, as reqwest writes them) or
/// `key*=utf-8''percent-encoded` from a Content-Disposition header value.
fn header_param(header: &str, key: &str) -> Option<String> {
    let mut rest = header;
    while let Some(semicolon) = rest.find(';') {
        rest = rest[semicolon + 1..].trim_start();
        let Some((name, value)) = rest.split_once('=') else {
            continue;
        };
        if name.eq_ignore_ascii_case(key) {
            let Some(quoted) = value.strip_prefix('"') else {
                return Some(value.split(';').next().unwrap_or("").trim().to_owned());
            };
            let mut out = String::new();
            let mut chars = quoted.chars();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => out.extend(chars.next()),
                    '"' => break,
                    c => out.push(c),
                }
            }
            return Some(out);
        }
        if name
            .strip_suffix('*')
            .is_some_and(|n| n.eq_ignore_ascii_case(key))
        {
            let encoded = value.split(';').next()?.trim();
            let encoded = encoded.split_once("''").map_or(encoded, |(_, v)| v);
            return Some(
                String::from_utf8_lossy(&percent_decode(encoded.as_bytes(), false)).into(),
            );
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let first = *needle.first()?;
    let mut pos = from;
    while pos + needle.len() <= haystack.len() {
        let offset = haystack[pos..].iter().position(|&b| b == first)?;
        pos += offset;
        if haystack[pos..].starts_with(needle) {
            return Some(pos);
        }
        pos += 1;
    }
    None
}

fn url_decode_pairs(input: &[u8]) -> Vec<(String, String)> {
    input
        .split(|&b| b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = match pair.iter().position(|&b| b == b'=') {
                Some(eq) => (&pair[..eq], &pair[eq + 1..]),
                None => (pair, &[][..]),
            };
            let decode = |s| String::from_utf8_lossy(&percent_decode(s, true)).into_owned();
            (decode(key), decode(value))
        })
        .collect()
}

fn percent_decode(input: &[u8], plus_is_space: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match input[i] {
            b'+' if plus_is_space => out.push(b' '),
            b'%' if i + 2 < input.len() => match (hex(input[i + 1]), hex(input[i + 2])) {
                (Some(hi), Some(lo)) => {
                    out.push((hi * 16 + lo) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    out
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(BASE64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Inverse of [`base64_encode`]; `None` on malformed input.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for b in text.bytes() {
        let value = BASE64.iter().position(|&c| c == b)? as u32;
        acc = acc << 6 | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}
