//! talkfeed reads the talks of a Hugo site (Academic / Wowchemy / Hugo Blox
//! themes, every era of their front matter) into a checked model, for a
//! subscribable iCalendar and RSS, Atom and JSON feeds.

#![warn(missing_docs)]

pub mod dates;
pub mod diag;
pub mod frontmatter;
