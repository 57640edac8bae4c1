//! Where a talk is: `location`, the `address` map, `coordinates`, and
//! whether it is online, in person or both, with its join links.

use super::fields::Fields;
use super::links::Web;
use super::{Rules, online, when};
use crate::diag::{DiagKind, Diagnostic};
use crate::frontmatter::Value;
use crate::model::{Address, Attendance, Coordinates, JoinLink};

/// Where a talk is.
pub(super) struct Place {
    pub(super) location: Option<String>,
    pub(super) address: Address,
    pub(super) coordinates: Option<Coordinates>,
    pub(super) attendance: Option<Attendance>,
    pub(super) join: Vec<JoinLink>,
}

/// Reads where the talk is; a talk still to come, online and without a
/// way to join, gets a warning.
pub(super) fn read(f: &mut Fields, web: &Web, when: &when::Start, rules: &Rules) -> Place {
    let coordinates = read_coordinates(f);
    let address = read_address(f);
    let join = online::join_links(&web.links, web.event_url.as_deref());
    let location = f.text("location");
    let attendance = online::attendance(location.as_deref(), !address.is_empty(), &join);
    if let when::Start::Dated(w) = when {
        online::no_join_link(f, attendance, &join, w, rules);
    }
    Place { location, address, coordinates, attendance, join }
}

/// `coordinates: {latitude: 52.52, longitude: 13.40}` (the name Wowchemy
/// uses for map coordinates); numbers or numeric text.
fn read_coordinates(f: &mut Fields) -> Option<Coordinates> {
    let m =
        f.map("coordinates", "write `coordinates:` with `latitude: 52.52` and `longitude: 13.40` on their own lines")?;
    let mut number = |key: &str, limit: f64| -> Option<f64> {
        let v = match m.get(key) {
            Some(Value::Int(i)) => Some(*i as f64),
            Some(Value::Float(x)) => Some(*x),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        };
        match v {
            Some(x) if x.is_finite() && x.abs() <= limit => Some(x),
            _ => {
                f.push(
                    Diagnostic::error(
                        DiagKind::InvalidValue,
                        format!("`coordinates.{key}` must be a number from -{limit} to {limit}"),
                    )
                    .hint("write decimal degrees, e.g. `latitude: 52.52`, `longitude: 13.40`"),
                    &["coordinates", key],
                );
                None
            }
        }
    };
    let latitude = number("latitude", 90.0);
    let longitude = number("longitude", 180.0);
    Some(Coordinates { latitude: latitude?, longitude: longitude? })
}

fn read_address(f: &mut Fields) -> Address {
    let Some(m) = f.map("address", "write `address:` with `street`, `city`, `region`, `postcode` and `country` on their own lines; free text goes in `location`") else {
        return Address::default();
    };
    Address {
        street: f.text_in(m, "address", "street"),
        city: f.text_in(m, "address", "city"),
        region: f.text_in(m, "address", "region"),
        postcode: f.text_in(m, "address", "postcode"),
        country: f.text_in(m, "address", "country"),
    }
}
