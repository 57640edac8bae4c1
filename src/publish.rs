//! Which talks are published where, as Hugo's `shouldBuild` decides, with
//! one deliberate difference for the calendar.
//!
//! Hugo leaves out drafts (unless `-D`), pages whose publish date is in the
//! future (unless `-F`) and pages whose expiry date has passed (unless `-E`).
//! Because Hugo's publish date falls back to `date`, an upcoming talk without
//! `publishDate` is "future" and Hugo builds no page for it. A calendar of
//! talks exists to show upcoming talks, so talkfeed decides:
//!
//! * calendar: every talk that is not a draft and not expired;
//! * feeds: only talks Hugo publishes (also not in the future), so every feed
//!   item links to a page that exists.

use serde::Serialize;

use chrono::{DateTime, Utc};

use crate::model::Talk;

/// Which pages are published, as Hugo's `shouldBuild` decides (with the
/// `-D`/`-F`/`-E` flags and `--clock`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublishPolicy {
    /// Include drafts.
    pub drafts: bool,
    /// Include pages whose publish date is after `now` in the feeds.
    pub future: bool,
    /// Include pages whose expiry date is before `now`.
    pub expired: bool,
    /// The current time.
    pub now: DateTime<Utc>,
}

/// Where a talk appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Visibility {
    /// In the iCalendar outputs.
    pub in_calendar: bool,
    /// In the RSS, Atom and JSON feeds.
    pub in_feeds: bool,
    /// `draft: true` (and drafts not included).
    pub draft: bool,
    /// Expired (and expired pages not included).
    pub expired: bool,
    /// Publish date after now (and future pages not included).
    pub future: bool,
    /// No start date: in no calendar.
    pub undated: bool,
}

/// The instants at which [`visibility`] of `talk` may change while the
/// clock alone moves: its publish date and its expiry date.
pub fn clock_boundaries(talk: &Talk) -> impl Iterator<Item = chrono::DateTime<chrono::Utc>> {
    [talk.dates.publish, talk.dates.expiry].into_iter().flatten().map(|d| d.to_utc())
}

/// Decides where `talk` appears under `policy`.
pub fn visibility(talk: &Talk, policy: &PublishPolicy) -> Visibility {
    let now = policy.now;
    let draft = talk.draft && !policy.drafts;
    let expired = !policy.expired && talk.dates.expiry.is_some_and(|e| e < now);
    let future = !policy.future && talk.dates.publish.is_some_and(|p| p > now);
    let undated = talk.when.is_none();
    let dated_for_feeds = !undated || talk.dates.publish.is_some();
    Visibility {
        in_calendar: !draft && !expired && !undated,
        in_feeds: !draft && !expired && !future && dated_for_feeds,
        draft,
        expired,
        future,
        undated,
    }
}
