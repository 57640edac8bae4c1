//! Markup: a talk's Markdown, as Hugo's content, turned into HTML and plain
//! text. Hugo shortcodes (`{{< youtube … >}}`) cannot be rendered without
//! Hugo's templates; [`shortcodes`] turns them into readable Markdown first.
//! This is the content side: it knows Markdown, not the output formats.

mod html;
mod plain;
pub mod shortcodes;

pub use html::{Rendered, to_html};
pub use plain::to_plain;
