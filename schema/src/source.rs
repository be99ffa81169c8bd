//! Source files of a catalog and byte spans into them.
//!
//! Spans carry their 1-based line and column next to the byte range so that
//! the IR can be serialized (and diagnostics rendered) without going back to
//! the text.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

/// Index of a file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct FileId(pub u32);

/// A region of one source file.
///
/// `start`/`end` are byte offsets; `line` and `column` (both 1-based, column
/// counted in characters) locate `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    /// The file the span points into.
    pub file: FileId,
    /// Byte offset of the first byte.
    #[serde(skip)]
    pub start: u32,
    /// Byte offset one past the last byte.
    #[serde(skip)]
    pub end: u32,
    /// 1-based line of `start`.
    pub line: u32,
    /// 1-based column (in characters) of `start`.
    pub column: u32,
}

impl Span {
    /// The byte range of the span.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// One loaded catalog file.
#[derive(Debug)]
pub struct SourceFile {
    path: PathBuf,
    name: String,
    text: String,
    line_starts: Vec<u32>,
}

impl SourceFile {
    /// The path the file was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The name used in diagnostics (the path as given, with `/` separators).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The file's text (lossily decoded when it was not valid UTF-8).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The file stem, the default module name.
    pub fn stem(&self) -> &str {
        self.path.file_stem().and_then(|s| s.to_str()).unwrap_or("")
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line_idx = match self.line_starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = self.line_starts[line_idx] as usize;
        let col = self
            .text
            .get(line_start..offset)
            .map_or(offset - line_start, |s| s.chars().count());
        (line_idx as u32 + 1, col as u32 + 1)
    }

    /// Byte offset of a 1-based line and a 0-based character column.
    pub fn offset_of(&self, line: usize, char_col: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let start = start as usize;
        let rest = &self.text[start..];
        match rest.char_indices().nth(char_col) {
            Some((i, _)) => start + i,
            None => self.text.len(),
        }
    }
}

/// The files of one catalog, cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Arc<Vec<SourceFile>>,
}

impl SourceMap {
    /// Creates an empty map; add files with [`SourceMapBuilder`].
    pub fn builder() -> SourceMapBuilder {
        SourceMapBuilder::default()
    }

    /// The file behind an id.
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// All files with their ids, in load order.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the map holds no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// A span covering `range` of `file`, with its line and column filled in.
    pub fn span(&self, file: FileId, range: std::ops::Range<usize>) -> Span {
        let f = self.file(file);
        let (line, column) = f.line_col(range.start);
        Span {
            file,
            start: range.start as u32,
            end: range.end.max(range.start) as u32,
            line,
            column,
        }
    }
}

/// Collects files before they are frozen into a [`SourceMap`].
#[derive(Debug, Default)]
pub struct SourceMapBuilder {
    files: Vec<SourceFile>,
}

impl SourceMapBuilder {
    /// Adds a file and returns its id.
    pub fn add(&mut self, path: impl Into<PathBuf>, text: String) -> FileId {
        let path = path.into();
        let name = path.to_string_lossy().replace('\\', "/");
        let mut line_starts = vec![0u32];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i as u32 + 1),
        );
        self.files.push(SourceFile {
            path,
            name,
            text,
            line_starts,
        });
        FileId(self.files.len() as u32 - 1)
    }

    /// Freezes the map.
    pub fn build(self) -> SourceMap {
        SourceMap {
            files: Arc::new(self.files),
        }
    }
}
