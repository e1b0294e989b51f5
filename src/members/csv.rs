//! A minimal CSV writer (RFC 4180, with `;` for the separator): CRLF line ends, a field quoted
//! when it holds a semicolon, a quote or a line break, quotes inside doubled. The document
//! starts with a UTF-8 byte-order mark so spreadsheet programs read Cyrillic correctly.
//!
//! Why semicolons: Excel splits a CSV file it opens by the list separator of the system's
//! locale, which is `;` wherever the decimal separator is a comma — Russian among them — so a
//! comma-separated file opened there shows every row in one column. With `;` and the BOM, Excel
//! in Russian (and English) locales opens the file in columns, LibreOffice and Google Sheets
//! detect the separator. (A `sep=;` first line would make Excel ignore the BOM and garble the
//! Cyrillic; an .xlsx writer would be a dependency for what one byte of separator solves.)

/// UTF-8 byte-order mark.
const BOM: char = '\u{feff}';
/// The field separator (see the module's documentation).
const SEPARATOR: char = ';';

/// A CSV document being written row by row.
#[derive(Debug)]
pub struct Csv(String);

impl Csv {
    pub fn new() -> Self {
        Self(BOM.to_string())
    }

    pub fn row<S: AsRef<str>>(&mut self, fields: impl IntoIterator<Item = S>) -> &mut Self {
        for (i, field) in fields.into_iter().enumerate() {
            if i > 0 {
                self.0.push(SEPARATOR);
            }
            write_field(&mut self.0, field.as_ref());
        }
        self.0.push_str("\r\n");
        self
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.0.into_bytes()
    }
}

impl Default for Csv {
    fn default() -> Self {
        Self::new()
    }
}

fn write_field(out: &mut String, field: &str) {
    // A spreadsheet would run a cell starting with one of these as a formula (CSV injection):
    // a leading apostrophe makes it text.
    let formula = field.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let needs_quotes = field.contains([SEPARATOR, '"', '\r', '\n']);
    if needs_quotes {
        out.push('"');
    }
    if formula {
        out.push('\'');
    }
    for c in field.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if needs_quotes {
        out.push('"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn document(rows: &[&[&str]]) -> String {
        let mut csv = Csv::new();
        for row in rows {
            csv.row(row.iter());
        }
        String::from_utf8(csv.into_bytes()).unwrap()
    }

    #[test]
    fn quotes_only_what_needs_quoting() {
        assert_eq!(
            document(&[&["ФИО", "username"], &["Иванов Иван", "ivan"]]),
            "\u{feff}ФИО;username\r\nИванов Иван;ivan\r\n"
        );
        assert_eq!(
            document(&[&["Иванов; \"Ваня\"", "a\nb", "", "a, b"]]),
            "\u{feff}\"Иванов; \"\"Ваня\"\"\";\"a\nb\";;a, b\r\n"
        );
    }

    #[test]
    fn neutralises_formulas() {
        assert_eq!(
            document(&[&["=1+2", "@x", "-", "a=b"]]),
            "\u{feff}'=1+2;'@x;'-;a=b\r\n"
        );
    }

    /// Reads a document back (RFC 4180), for the round-trip property.
    fn read(text: &str) -> Vec<Vec<String>> {
        let text = text.strip_prefix(BOM).expect("BOM");
        let mut rows = Vec::new();
        let mut row = Vec::new();
        let mut field = String::new();
        let mut chars = text.chars().peekable();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => field.push(c),
                (false, '"') => quoted = true,
                (false, SEPARATOR) => row.push(std::mem::take(&mut field)),
                (false, '\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                (false, c) => field.push(c),
            }
        }
        rows
    }

    proptest! {
        #[test]
        fn round_trips(rows in proptest::collection::vec(
            proptest::collection::vec("[^=+@\\-\t\r][a-zа-я ,;\"\r\n]{0,6}", 1..4), 1..4)
        ) {
            let mut csv = Csv::new();
            for row in &rows {
                csv.row(row.iter());
            }
            let text = String::from_utf8(csv.into_bytes()).unwrap();
            prop_assert_eq!(read(&text), rows);
        }
    }
}
