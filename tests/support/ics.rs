//! A strict reader of the iCalendar the calendar feed writes (RFC 5545), for the tests.

#[derive(Debug, Default)]
pub struct Component {
    pub name: String,
    /// (name, parameters, value), unfolded.
    pub props: Vec<(String, String, String)>,
    pub children: Vec<Component>,
}

impl Component {
    pub fn prop(&self, name: &str) -> Option<(&str, &str)> {
        self.props
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, params, value)| (params.as_str(), value.as_str()))
    }

    pub fn value(&self, name: &str) -> &str {
        self.prop(name)
            .unwrap_or_else(|| panic!("{} has no {name}: {:?}", self.name, self.props))
            .1
    }
}

/// A strict reader of RFC 5545 for what the feed uses: CRLF line ends only, physical lines of
/// at most 75 octets, folding with one leading space, `NAME[;PARAMS]:VALUE` content lines,
/// properly nested BEGIN/END, one VCALENDAR with VERSION and PRODID, each VEVENT with UID,
/// DTSTAMP and DTSTART, each VTIMEZONE with TZID and observances (DTSTART, TZOFFSETFROM,
/// TZOFFSETTO), and every `TZID=` parameter naming a VTIMEZONE of the calendar.
pub fn parse_ics(text: &str) -> Component {
    assert!(text.ends_with("\r\n"), "the last line ends with CRLF");
    let physical: Vec<&str> = text[..text.len() - 2].split("\r\n").collect();
    let mut logical: Vec<String> = Vec::new();
    for line in physical {
        assert!(
            !line.contains('\r') && !line.contains('\n'),
            "bare CR or LF in {line:?}"
        );
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        if let Some(rest) = line.strip_prefix(' ') {
            logical
                .last_mut()
                .expect("a continuation follows a line")
                .push_str(rest);
        } else {
            assert!(!line.is_empty(), "an empty line");
            logical.push(line.to_owned());
        }
    }
    let mut stack: Vec<Component> = vec![Component::default()];
    for line in logical {
        let (head, value) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("no ':' in {line:?}"));
        let (name, params) = head.split_once(';').unwrap_or((head, ""));
        assert!(
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'),
            "bad property name in {line:?}"
        );
        match name {
            "BEGIN" => stack.push(Component {
                name: value.to_owned(),
                ..Component::default()
            }),
            "END" => {
                let done = stack.pop().expect("END without BEGIN");
                assert_eq!(done.name, value, "END:{value} closes {}", done.name);
                stack
                    .last_mut()
                    .expect("END:VCALENDAR left the root")
                    .children
                    .push(done);
            }
            _ => {
                assert!(
                    stack.len() > 1,
                    "a property outside any component: {line:?}"
                );
                let current = stack.last_mut().expect("a component");
                current
                    .props
                    .push((name.to_owned(), params.to_owned(), value.to_owned()));
            }
        }
    }
    assert_eq!(stack.len(), 1, "unclosed components");
    let mut root = stack.pop().expect("root");
    assert_eq!(root.children.len(), 1, "exactly one VCALENDAR");
    let calendar = root.children.pop().expect("VCALENDAR");
    assert_eq!(calendar.name, "VCALENDAR");
    assert_eq!(calendar.value("VERSION"), "2.0");
    assert!(!calendar.value("PRODID").is_empty());
    let zones: Vec<&str> = calendar
        .children
        .iter()
        .filter(|c| c.name == "VTIMEZONE")
        .map(|zone| {
            assert!(!zone.children.is_empty(), "a VTIMEZONE without observances");
            for observance in &zone.children {
                assert!(matches!(observance.name.as_str(), "STANDARD" | "DAYLIGHT"));
                for required in ["DTSTART", "TZOFFSETFROM", "TZOFFSETTO"] {
                    assert!(
                        observance.prop(required).is_some(),
                        "{} without {required}",
                        observance.name
                    );
                }
            }
            zone.value("TZID")
        })
        .collect();
    for event in calendar.children.iter().filter(|c| c.name != "VTIMEZONE") {
        assert_eq!(event.name, "VEVENT");
        for required in ["UID", "DTSTAMP", "DTSTART"] {
            assert!(event.prop(required).is_some(), "VEVENT without {required}");
        }
        for (name, params, _) in &event.props {
            if let Some(zone) = params.strip_prefix("TZID=") {
                assert!(
                    zones.contains(&zone),
                    "{name} names {zone}, which has no VTIMEZONE"
                );
            }
        }
    }
    calendar
}
