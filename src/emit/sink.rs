//! Where the emitters put what they render: a [`Sink`], defined on the
//! producer's side so that the emitters know nothing of files and folders.

use std::io::{self, Write};

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Its path under the output folder, `/`-separated (`talks.ics`, `talks/x.ics`).
    pub path: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// Where outputs go: bytes by path under the output folder. The emitters
/// write only through a sink, defined here, on their side: `build` hands
/// them its transaction ([`crate::write::Transaction`], which implements it
/// where the command wires the two), tests and fuzzing a [`Memory`].
pub trait Sink {
    /// Why an output could not be taken.
    type Error;
    /// Takes many small outputs: `(path under the output folder, bytes)`.
    fn put_many(&mut self, outputs: Vec<(String, Vec<u8>)>) -> Result<(), Self::Error>;
    /// Takes one large output that `render` writes (once).
    fn put_stream(
        &mut self,
        path: &str,
        render: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), Self::Error>;
}

/// A sink that keeps every output in memory.
#[derive(Debug, Default)]
pub struct Memory(pub Vec<OutputFile>);

impl Sink for Memory {
    type Error = std::convert::Infallible;

    fn put_many(&mut self, outputs: Vec<(String, Vec<u8>)>) -> Result<(), Self::Error> {
        self.0.extend(outputs.into_iter().map(|(path, bytes)| OutputFile { path, bytes }));
        Ok(())
    }

    fn put_stream(
        &mut self,
        path: &str,
        render: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), Self::Error> {
        let mut bytes = Vec::new();
        render(&mut bytes).expect("writing to memory cannot fail");
        self.0.push(OutputFile { path: path.to_string(), bytes });
        Ok(())
    }
}
