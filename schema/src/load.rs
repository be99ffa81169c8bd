//! Finding, reading and loading catalog files.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::ir::Catalog;
use crate::source::SourceMap;
use crate::syntax::Reader;
use crate::yaml::{Limits, load_document};

/// A problem that stops loading before any catalog text is examined
/// (the CLI's exit code 2).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// A path could not be read.
    #[error("cannot read `{path}`: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A directory argument holds no catalog file.
    #[error("`{0}` holds no `*.yaml` or `*.yml` file")]
    EmptyDirectory(PathBuf),
    /// No path was given.
    #[error("no catalog path given")]
    NoPaths,
}

/// The result of loading a catalog: the files, what is wrong with them, and
/// the resolved catalog when nothing is.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Outcome {
    /// Every file read, for rendering diagnostics.
    pub sources: SourceMap,
    /// Errors and warnings, in file and position order.
    pub diagnostics: Diagnostics,
    /// The catalog; `None` exactly when `diagnostics` has an error.
    pub catalog: Option<Catalog>,
}

/// Loads catalogs with configurable resource limits.
///
/// ```
/// let outcome = openedx_hooks_schema::Loader::new()
///     .load_str("learning.yaml", "types: {}\nevents: {}\n");
/// assert!(outcome.catalog.is_some());
/// ```
#[derive(Debug, Clone, Default)]
pub struct Loader {
    limits: Limits,
}

impl Loader {
    /// A loader with the default [`Limits`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Overrides the resource limits.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The files a list of path arguments names: files as given, directories
    /// as every `*.yaml`/`*.yml` directly inside, sorted by path.
    pub fn collect_files(paths: &[impl AsRef<Path>]) -> Result<Vec<PathBuf>, LoadError> {
        if paths.is_empty() {
            return Err(LoadError::NoPaths);
        }
        let mut files = Vec::new();
        for p in paths {
            let p = p.as_ref();
            let meta = fs::metadata(p).map_err(|source| LoadError::Io {
                path: p.to_owned(),
                source,
            })?;
            if !meta.is_dir() {
                files.push(p.to_owned());
                continue;
            }
            let entries = fs::read_dir(p).map_err(|source| LoadError::Io {
                path: p.to_owned(),
                source,
            })?;
            let mut found = Vec::new();
            for entry in entries {
                let entry = entry.map_err(|source| LoadError::Io {
                    path: p.to_owned(),
                    source,
                })?;
                let path = entry.path();
                let is_yaml = path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| e == "yaml" || e == "yml");
                if is_yaml && path.is_file() {
                    found.push(path);
                }
            }
            if found.is_empty() {
                return Err(LoadError::EmptyDirectory(p.to_owned()));
            }
            found.sort();
            files.extend(found);
        }
        files.dedup();
        Ok(files)
    }

    /// Reads and loads the catalog named by `paths` (files or directories).
    pub fn load(&self, paths: &[impl AsRef<Path>]) -> Result<Outcome, LoadError> {
        let files = Self::collect_files(paths)?;
        let named: Vec<(&Path, &Path)> = files.iter().map(|f| (f.as_path(), f.as_path())).collect();
        self.load_named(&named)
    }

    /// Reads and loads the catalog named by `paths` together with extern
    /// catalogs whose types it uses, one catalog per entry of `externs`
    /// (each keeps its own `catalog:` settings; see
    /// [`load_catalogs`](Self::load_catalogs)). Files are named as found.
    pub fn load_with_externs(
        &self,
        paths: &[impl AsRef<Path>],
        externs: &[impl AsRef<Path>],
    ) -> Result<Outcome, LoadError> {
        let mut catalogs = vec![Self::collect_files(paths)?];
        for e in externs {
            catalogs.push(Self::collect_files(&[e])?);
        }
        let named: Vec<Vec<(&Path, &Path)>> = catalogs
            .iter()
            .map(|files| files.iter().map(|f| (f.as_path(), f.as_path())).collect())
            .collect();
        let groups: Vec<&[(&Path, &Path)]> = named.iter().map(Vec::as_slice).collect();
        self.load_catalogs(&groups)
    }

    /// Reads each `(name, path)` pair from `path` and names it `name` in
    /// diagnostics and the catalog: how a build script or macro that reads
    /// from an absolute directory still reports `events/learning.yaml:3:5`.
    pub fn load_named(&self, files: &[(&Path, &Path)]) -> Result<Outcome, LoadError> {
        self.load_catalogs(&[files])
    }

    /// Like [`load_named`](Self::load_named) for several catalogs resolved
    /// together: the first is the catalog being compiled, the others are
    /// extern catalogs whose types it uses. Each catalog's `catalog:`
    /// settings (type prefix, link bases) govern only its own files, so a
    /// plugin keeps its own `type_prefix` while using Open edX types.
    pub fn load_catalogs(&self, catalogs: &[&[(&Path, &Path)]]) -> Result<Outcome, LoadError> {
        let mut builder = SourceMap::builder();
        let mut problems = Vec::new();
        let mut groups = Vec::new();
        for (group, files) in catalogs.iter().enumerate() {
            for (name, path) in files.iter() {
                let (text, problem) = self.read(path)?;
                let id = builder.add(*name, text);
                groups.push(group as u32);
                if let Some(p) = problem {
                    problems.push((id, p));
                }
            }
        }
        let sources = builder.build();
        let mut diags = Diagnostics::default();
        let mut skip = Vec::new();
        for (id, p) in problems {
            skip.push(id);
            diags.push(match p {
                ReadProblem::TooLarge(size) => Diagnostic::file_error(
                    Code::FileTooLarge,
                    id,
                    format!(
                        "the file is {:.1} MiB, over the {:.1} MiB limit",
                        size as f64 / 1048576.0,
                        self.limits.max_file_bytes as f64 / 1048576.0
                    ),
                )
                .with_help("split the catalog into several files"),
                ReadProblem::NotUtf8(offset) => {
                    let span = sources.span(id, offset..offset);
                    Diagnostic::error(Code::InvalidUtf8, span, "the file is not valid UTF-8")
                        .with_label("invalid byte sequence here")
                        .with_help("save the file as UTF-8")
                }
            });
        }
        Ok(self.run(sources, diags, &skip, &groups))
    }

    /// Loads one in-memory file (tests, fuzzing, tools that hold the text).
    pub fn load_str(&self, name: &str, text: &str) -> Outcome {
        self.load_texts(&[(name, text)])
    }

    /// Loads in-memory files, as if each were read from its name.
    pub fn load_texts(&self, files: &[(&str, &str)]) -> Outcome {
        self.load_text_catalogs(&[files])
    }

    /// [`load_catalogs`](Self::load_catalogs) for in-memory files: the first
    /// catalog is the one being checked, the others extern catalogs.
    pub fn load_text_catalogs(&self, catalogs: &[&[(&str, &str)]]) -> Outcome {
        let mut builder = SourceMap::builder();
        let mut groups = Vec::new();
        for (group, files) in catalogs.iter().enumerate() {
            for (name, text) in files.iter() {
                builder.add(*name, (*text).to_owned());
                groups.push(group as u32);
            }
        }
        self.run(builder.build(), Diagnostics::default(), &[], &groups)
    }

    fn run(
        &self,
        sources: SourceMap,
        mut diags: Diagnostics,
        skip: &[crate::FileId],
        groups: &[u32],
    ) -> Outcome {
        let ids: Vec<crate::FileId> = sources
            .iter()
            .map(|(id, _)| id)
            .filter(|id| !skip.contains(id))
            .collect();
        // Files are independent until resolution: read them on all cores,
        // in file order so the outcome does not depend on timing. A
        // panicking reader is a bug; re-raise it rather than lose a file.
        let per_file = crate::parallel::map_ordered(
            &ids,
            true,
            || (),
            |_, &id| (id, self.read_module(&sources, id)),
        )
        .unwrap_or_else(|p| std::panic::resume_unwind(p));
        let mut modules = Vec::with_capacity(per_file.len());
        for (_, (file_diags, module)) in per_file {
            diags.merge(file_diags);
            modules.extend(module);
        }
        let catalog = if diags.has_errors() {
            // Still resolve what parsed, to report every problem at once.
            let _ = crate::resolve::resolve(&sources, modules, groups, &mut diags);
            None
        } else {
            crate::resolve::resolve(&sources, modules, groups, &mut diags)
        };
        diags.sort();
        Outcome {
            sources,
            diagnostics: diags,
            catalog,
        }
    }

    /// Parses one file into module syntax, with its own diagnostics.
    fn read_module(
        &self,
        sources: &SourceMap,
        id: crate::FileId,
    ) -> (Diagnostics, Option<crate::syntax::ModuleSyntax>) {
        let mut diags = Diagnostics::default();
        if sources.file(id).text().len() as u64 > self.limits.max_file_bytes {
            diags.push(Diagnostic::file_error(
                Code::FileTooLarge,
                id,
                format!(
                    "the file is over the {} byte limit",
                    self.limits.max_file_bytes
                ),
            ));
            return (diags, None);
        }
        let Ok(root) = load_document(sources, id, self.limits, &mut diags) else {
            return (diags, None);
        };
        let module = Reader {
            sources,
            diags: &mut diags,
        }
        .module(id, root);
        (diags, module)
    }

    fn read(&self, path: &Path) -> Result<(String, Option<ReadProblem>), LoadError> {
        let io = |source| LoadError::Io {
            path: path.to_owned(),
            source,
        };
        let file = fs::File::open(path).map_err(io)?;
        let size = file.metadata().map_err(io)?.len();
        if size > self.limits.max_file_bytes {
            return Ok((String::new(), Some(ReadProblem::TooLarge(size))));
        }
        let mut bytes = Vec::with_capacity(size as usize);
        // `take` guards against a file that grows while being read.
        file.take(self.limits.max_file_bytes + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        if bytes.len() as u64 > self.limits.max_file_bytes {
            return Ok((
                String::new(),
                Some(ReadProblem::TooLarge(bytes.len() as u64)),
            ));
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok((text, None)),
            Err(e) => {
                let offset = e.utf8_error().valid_up_to();
                // Lossy text keeps the valid prefix byte-identical, so the span holds.
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                Ok((text, Some(ReadProblem::NotUtf8(offset))))
            }
        }
    }
}

enum ReadProblem {
    TooLarge(u64),
    NotUtf8(usize),
}
