//! talkfeed's integration tests, in one binary (as ripgrep does) so they
//! build once.

// Shared helpers: paths, fixed clock, running the binary.
mod util;

// The command line: exit codes, the seed talk's listing, JSON output.
mod cli;

// The calendar, read back by an independent parser.
mod calendar;

// The feeds, read back by an independent parser.
mod feeds;

// Failure behaviour: all-or-nothing, --keep-going, faults, hostile input.
mod failures;

// The fuzz corpus replayed on stable Rust.
mod fuzz_replay;

// Every page of ../shared/corpus against what Hugo itself made of it.
mod corpus;

// Fixture sites under tests/fixtures with golden diagnostics.
mod fixtures;

// `talkfeed serve` over a real socket: content types, 304s, traversal.
mod serve;

// Per-tag and per-section calendars and feeds against the main ones.
mod groups;

// Schedules for conference apps, against the c3voc schemas.
mod schedules;

// Hugo's date rules ([frontmatter], enableGitInfo) against Hugo's own.
mod hugo_dates;

// Multilingual sites: a calendar and feeds per language.
mod languages;

// Lenient where Hugo is, strict where it fails: config, examples, undated talks.
mod leniency;

// Empty and near-empty outputs stay valid and honest.
mod empty;

// Hostile files, folders and clients: no hang, no escape, no blow-up.
mod hostile;

// The documentation: a README under 10 KB, links that lead somewhere, every flag documented.
mod docs;

// The up-to-date check: nothing rendered only when nothing changed.
mod uptodate;

// Time zones: TZID and VTIMEZONE, DST gaps and folds, rules that changed.
mod zones;

// Online and hybrid talks: CONFERENCE, IMAGE, the join-link warning.
mod online;

// The subscribe page of a large site: every talk listed, the JSON-LD whole.
mod page;

// Where the talks are: default sections, and never a silent zero.
mod sections;

// The Hugo module in a real Hugo build: every link it writes leads to a file talkfeed wrote.
mod hugo;
