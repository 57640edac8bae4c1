//! The links that put talkfeed's calendars into calendar apps: subscribing
//! to a calendar (`webcal://`, Google Calendar, Outlook.com) and adding one
//! talk (its own `.ics`, Google Calendar's and Outlook.com's "add event"
//! forms). The subscribe page ([`super::page`]) and the manifest for the
//! site's own templates ([`super::manifest`]) both take them from here, so
//! a site's pages link exactly what the subscribe page does.

use super::formats::{self, Kind};
use super::{Context, Dated};
use crate::model::EventTime;
use crate::view::TalkView;

/// The links that subscribe calendar apps to a calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscribe {
    /// The calendar's address (absolute where the output folder's public
    /// URL is known, else relative).
    pub calendar: String,
    /// `webcal://` for it: Apple Calendar, Outlook, Thunderbird subscribe.
    pub webcal: Option<String>,
    /// Google Calendar's "add by URL" (it takes the `webcal://` address).
    pub google: Option<String>,
    /// Outlook.com's "add from web", named `title`.
    pub outlook: String,
}

impl Subscribe {
    /// The links to the main calendar of `ctx`, named `title`.
    pub fn of(ctx: &Context<'_>, title: &str) -> Subscribe {
        Subscribe::to(ctx, title, formats::file(Kind::Calendar))
    }

    /// The links to the calendars with reminders, all talks and upcoming
    /// ones (`None` without `--alarm`, when they are not written).
    pub fn with_reminders(ctx: &Context<'_>, title: &str) -> Option<(Subscribe, Subscribe)> {
        if ctx.options.alarms.is_empty() {
            return None;
        }
        let all = Subscribe::to(ctx, title, formats::file(Kind::CalendarWithReminders));
        Some((all, Subscribe::to(ctx, title, formats::file(Kind::UpcomingWithReminders))))
    }

    /// The links to the calendar `file` of `ctx`, named `title`.
    pub fn to(ctx: &Context<'_>, title: &str, file: &str) -> Subscribe {
        let calendar = ctx.output_url(file).unwrap_or_else(|| String::from(file));
        let webcal = webcal(&calendar);
        let google = webcal.as_ref().map(|w| format!("https://calendar.google.com/calendar/r?cid={}", query(w)));
        let outlook =
            format!("https://outlook.live.com/calendar/0/addfromweb?url={}&name={}", query(&calendar), query(title));
        Subscribe { calendar, webcal, google, outlook }
    }
}

/// The links that add one talk to a calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddTalk {
    /// Its own `.ics`, relative to the edition's folder (`talks/NAME.ics`).
    pub ics: String,
    /// Google Calendar's "add event" form, filled in.
    pub google: String,
    /// Outlook.com's "add event" form, filled in.
    pub outlook: String,
}

impl AddTalk {
    /// The links of `dated`.
    pub fn of(dated: &Dated<'_>) -> AddTalk {
        let details = details(dated.view);
        AddTalk {
            ics: format!("{}/{}.ics", formats::TALKS_DIR, dated.file),
            google: google(dated, &details),
            outlook: outlook(dated, &details),
        }
    }
}

/// `webcal://` for an `http(s)://` calendar address: the scheme that makes
/// calendar apps subscribe instead of importing once.
pub fn webcal(calendar: &str) -> Option<String> {
    calendar.strip_prefix("https://").or(calendar.strip_prefix("http://")).map(|rest| format!("webcal://{rest}"))
}

/// Percent-encodes a URL for use as a query value.
fn query(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// What an "add event" form is filled with besides the times: the talk's
/// short text, its event and its page, at most a few hundred characters
/// (the whole link must stay a usable URL).
fn details(view: &TalkView<'_>) -> String {
    let mut text = String::new();
    if let Some(lead) = &view.lead {
        let mut lead: String = lead.chars().take(400).collect();
        if lead.len() < view.lead.as_ref().map_or(0, String::len) {
            lead.push('…');
        }
        text.push_str(&lead);
        text.push_str("\n\n");
    }
    for join in view.join.iter().filter_map(|j| Some((j.label.as_str(), j.target.href()?))) {
        text.push_str(&format!("{}: {}\n", join.0, join.1));
    }
    if let Some(event) = &view.event {
        text.push_str(&format!("Event: {event}\n"));
    }
    text.push_str(&view.page_url);
    text
}

/// Google Calendar's "add event" link: times in UTC (`20250918T120000Z`),
/// all-day dates with the day after the last (`20191005/20191006`), the
/// talk's zone as `ctz` where it has one.
fn google(dated: &Dated<'_>, details: &str) -> String {
    let view = dated.view;
    let dates = match dated.when {
        EventTime::AllDay(r) => {
            format!("{}/{}", r.first().format("%Y%m%d"), r.last().succ_opt().unwrap_or(r.last()).format("%Y%m%d"))
        }
        EventTime::Timed(_) => {
            format!("{}/{}", dated.start().format("%Y%m%dT%H%M%SZ"), dated.end().format("%Y%m%dT%H%M%SZ"))
        }
    };
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("action", "TEMPLATE");
    query.append_pair("text", &view.talk.title);
    query.append_pair("dates", &dates);
    query.append_pair("details", details);
    if let Some(place) = &view.place {
        query.append_pair("location", place);
    }
    if let EventTime::Timed(r) = dated.when
        && let Some(tz) = r.zone().tz()
    {
        query.append_pair("ctz", tz.name());
    }
    format!("https://calendar.google.com/calendar/render?{}", query.finish())
}

/// Outlook.com's "add event" link: times in UTC (`2025-09-18T12:00:00Z`),
/// all-day dates with the day after the last, as the other calendars.
fn outlook(dated: &Dated<'_>, details: &str) -> String {
    let view = dated.view;
    let (start, end, all_day) = match dated.when {
        EventTime::AllDay(r) => (r.first().to_string(), r.last().succ_opt().unwrap_or(r.last()).to_string(), "true"),
        EventTime::Timed(_) => (
            dated.start().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            dated.end().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            "false",
        ),
    };
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("path", "/calendar/action/compose");
    query.append_pair("rru", "addevent");
    query.append_pair("subject", &view.talk.title);
    query.append_pair("startdt", &start);
    query.append_pair("enddt", &end);
    query.append_pair("allday", all_day);
    query.append_pair("body", details);
    if let Some(place) = &view.place {
        query.append_pair("location", place);
    }
    format!("https://outlook.live.com/calendar/0/deeplink/compose?{}", query.finish())
}
