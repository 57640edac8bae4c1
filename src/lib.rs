//! talkfeed reads the talks of a Hugo site (Academic / Wowchemy / Hugo Blox
//! themes, every era of their front matter) into a checked model, for a
//! subscribable iCalendar and RSS, Atom and JSON feeds.
//!
//! The pipeline runs one way: [`discover`] finds the pages, [`frontmatter`]
//! splits and parses them, [`normalize`] turns each into a [`model::Talk`]
//! (dates with [`dates`], URLs with [`permalink`], text with [`markup`]),
//! and [`load::load`] ties these together into a [`model::Site`]. Then
//! [`view`] builds one view of each talk, its Markdown rendered once,
//! [`emit`] formats the views as iCalendar, RSS, Atom, JSON Feed and HTML,
//! and [`write`] replaces the output files in one transaction. Every
//! problem is a [`diag::Diagnostic`]; [`settings`] holds what the command
//! line and the config files say, and [`commands`] runs each subcommand.

#![warn(missing_docs)]

pub mod cli;
pub mod commands;
pub mod config;
pub mod dates;
pub mod diag;
pub mod discover;
pub mod emit;
pub mod files;
pub mod frontmatter;
pub mod fuzzing;
pub mod load;
pub mod markup;
pub mod model;
pub mod normalize;
pub mod permalink;
pub mod publish;
pub mod server;
pub mod settings;
pub mod stamp;
pub mod view;
pub mod write;
