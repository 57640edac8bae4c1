//! talkfeed reads the talks of a Hugo site (Academic / Wowchemy / Hugo Blox
//! themes, every era of their front matter) into a checked model, for a
//! subscribable iCalendar and RSS, Atom and JSON feeds.
//!
//! The pipeline runs one way: [`discover`] finds the pages, [`frontmatter`]
//! splits and parses them, [`normalize`] turns each into a [`model::Talk`]
//! (dates with [`dates`], URLs with [`permalink`]), and [`site::load`] ties
//! these together. Every problem is a [`diag::Diagnostic`].

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
pub mod model;
pub mod normalize;
pub mod permalink;
pub mod publish;
pub mod serve;
pub mod settings;
pub mod site;
pub mod write;
