//! The filters' configuration: the equivalent of `OPEN_EDX_FILTERS_CONFIG`,
//! from code or from a file, in the reference's three shapes per filter
//! type: a mapping (`pipeline`, `fail_silently`, extra keys handed to every
//! step), a list of step paths, or one path.
//!
//! Stricter than the reference, which is careless here: `fail_silently`
//! must be a boolean (the reference takes `"false"` as true), a string
//! `pipeline` is one step (the reference iterates its characters), and a
//! value of another type is an error (the reference ignores it). Paths and
//! filter types are checked against what is linked when the configuration
//! is applied ([`configure_filters`](super::configure_filters)).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde_json::{Map, Value};

/// One filter type's pipeline, as configured.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PipelineSpec {
    pub(crate) steps: Vec<String>,
    pub(crate) fail_silently: bool,
    pub(crate) extra: Map<String, Value>,
}

/// Pipelines by filter type.
///
/// ```
/// use openedx_hooks::filter::FiltersConfig;
///
/// let config = FiltersConfig::from_json_str(r#"{
///     "org.openedx.learning.course.enrollment.started.v1": {
///         "pipeline": ["my_plugin::steps::refuse_closed_courses"],
///         "fail_silently": false,
///         "closed": ["course-v1:edX+Old+2019"]
///     },
///     "org.openedx.learning.certificate.creation.requested.v1": "my_plugin::steps::honor_mode"
/// }"#)?;
/// assert_eq!(config.steps("org.openedx.learning.certificate.creation.requested.v1"), Some(&["my_plugin::steps::honor_mode".to_owned()][..]));
/// # Ok::<(), openedx_hooks::filter::FilterConfigError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FiltersConfig {
    pub(crate) pipelines: BTreeMap<String, PipelineSpec>,
}

/// One problem with a configuration: which filter type, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfigProblem {
    /// The filter type it is about (empty for the whole configuration).
    pub filter_type: String,
    /// What is wrong, with a suggestion where one is likely.
    pub message: String,
}

/// A configuration that cannot be used: every problem found, not only the
/// first.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub struct FilterConfigError {
    /// Each problem.
    pub problems: Vec<ConfigProblem>,
}

impl fmt::Display for FilterConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid filters configuration")?;
        for p in &self.problems {
            if p.filter_type.is_empty() {
                write!(f, "\n  - {}", p.message)?;
            } else {
                write!(f, "\n  - `{}`: {}", p.filter_type, p.message)?;
            }
        }
        Ok(())
    }
}

impl FilterConfigError {
    pub(crate) fn one(filter_type: &str, message: impl Into<String>) -> Self {
        FilterConfigError {
            problems: vec![ConfigProblem {
                filter_type: filter_type.to_owned(),
                message: message.into(),
            }],
        }
    }
}

/// What runs for one filter type, as [`filter_pipelines`](super::filter_pipelines) lists it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PipelineInfo {
    /// The filter type.
    pub filter_type: &'static str,
    /// The filter's constant name.
    pub name: &'static str,
    /// The step paths, in the order they run.
    pub steps: Vec<String>,
    /// Whether a failing step is skipped.
    pub fail_silently: bool,
}

impl FiltersConfig {
    /// No pipelines: every filter returns its arguments unchanged.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the pipeline of `filter_type` (`fail_silently` true, as the
    /// reference's default, until [`fail_silently`](Self::fail_silently)).
    pub fn pipeline<S: Into<String>>(
        mut self,
        filter_type: impl Into<String>,
        steps: impl IntoIterator<Item = S>,
    ) -> Self {
        let spec = self.entry(filter_type.into());
        spec.steps = steps.into_iter().map(Into::into).collect();
        self
    }

    /// Whether a failing step of `filter_type`'s pipeline is skipped (true)
    /// or propagates (false). Halting exceptions always propagate.
    pub fn fail_silently(mut self, filter_type: impl Into<String>, yes: bool) -> Self {
        self.entry(filter_type.into()).fail_silently = yes;
        self
    }

    /// An extra key handed to every step of `filter_type` ([`StepContext::extra`](super::StepContext::extra)).
    pub fn extra(
        mut self,
        filter_type: impl Into<String>,
        key: impl Into<String>,
        value: Value,
    ) -> Self {
        self.entry(filter_type.into())
            .extra
            .insert(key.into(), value);
        self
    }

    fn entry(&mut self, filter_type: String) -> &mut PipelineSpec {
        self.pipelines
            .entry(filter_type)
            .or_insert_with(|| PipelineSpec {
                fail_silently: true,
                ..PipelineSpec::default()
            })
    }

    /// The configured step paths of `filter_type`.
    pub fn steps(&self, filter_type: &str) -> Option<&[String]> {
        self.pipelines.get(filter_type).map(|s| s.steps.as_slice())
    }

    /// The filter types configured.
    pub fn filter_types(&self) -> impl Iterator<Item = &str> {
        self.pipelines.keys().map(String::as_str)
    }

    /// A configuration from its JSON form: an object keyed by filter type,
    /// each value a mapping, a list of paths or one path (see the module
    /// docs). Every problem is reported.
    pub fn from_value(value: &Value) -> Result<Self, FilterConfigError> {
        let Value::Object(map) = value else {
            return Err(FilterConfigError::one(
                "",
                format!("expected a mapping of filter types, found {}", kind(value)),
            ));
        };
        let mut config = FiltersConfig::new();
        let mut problems = Vec::new();
        for (filter_type, entry) in map {
            match spec(entry) {
                Ok(s) => {
                    config.pipelines.insert(filter_type.clone(), s);
                }
                Err(message) => problems.push(ConfigProblem {
                    filter_type: filter_type.clone(),
                    message,
                }),
            }
        }
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(FilterConfigError { problems })
        }
    }

    /// [`from_value`](Self::from_value) for JSON text.
    pub fn from_json_str(text: &str) -> Result<Self, FilterConfigError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| FilterConfigError::one("", format!("invalid JSON: {e}")))?;
        Self::from_value(&value)
    }

    /// [`from_value`](Self::from_value) for TOML text (a table per filter
    /// type, quoted: `["org.openedx.….v1"]`).
    #[cfg(feature = "config-files")]
    pub fn from_toml_str(text: &str) -> Result<Self, FilterConfigError> {
        let value: Value = toml::from_str(text)
            .map_err(|e| FilterConfigError::one("", format!("invalid TOML: {e}")))?;
        Self::from_value(&value)
    }

    /// [`from_value`](Self::from_value) for YAML text.
    #[cfg(feature = "config-files")]
    pub fn from_yaml_str(text: &str) -> Result<Self, FilterConfigError> {
        let value: Value = yaml_serde::from_str(text)
            .map_err(|e| FilterConfigError::one("", format!("invalid YAML: {e}")))?;
        Self::from_value(&value)
    }

    /// Reads a configuration file, by extension: `.json` always; `.toml`,
    /// `.yaml` and `.yml` with the `config-files` feature.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, FilterConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| {
            FilterConfigError::one("", format!("cannot read `{}`: {e}", path.display()))
        })?;
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let parsed = match ext {
            "json" => Self::from_json_str(&text),
            #[cfg(feature = "config-files")]
            "toml" => Self::from_toml_str(&text),
            #[cfg(feature = "config-files")]
            "yaml" | "yml" => Self::from_yaml_str(&text),
            _ => Err(FilterConfigError::one(
                "",
                format!(
                    "`{}`: unsupported configuration format `{ext}` (json{})",
                    path.display(),
                    if cfg!(feature = "config-files") {
                        ", toml, yaml"
                    } else {
                        "; toml and yaml need the `config-files` feature"
                    }
                ),
            )),
        };
        parsed.map_err(|mut e| {
            for p in &mut e.problems {
                p.message = format!("{}: {}", path.display(), p.message);
            }
            e
        })
    }
}

/// One filter type's entry, in any of the three shapes (null or an empty
/// list: no steps, but the filter type is still checked).
fn spec(entry: &Value) -> Result<PipelineSpec, String> {
    let mut spec = PipelineSpec {
        fail_silently: true,
        ..PipelineSpec::default()
    };
    match entry {
        Value::Null => {}
        Value::String(path) => spec.steps = vec![step_path(path)?],
        Value::Array(items) => spec.steps = paths(items)?,
        Value::Object(map) => {
            for (key, value) in map {
                match key.as_str() {
                    "pipeline" => {
                        spec.steps = match value {
                            // One path, never a list of its characters.
                            Value::String(path) => vec![step_path(path)?],
                            Value::Array(items) => paths(items)?,
                            Value::Null => Vec::new(),
                            other => {
                                return Err(format!(
                                    "`pipeline` must be a list of step paths or one path, found {}",
                                    kind(other)
                                ));
                            }
                        }
                    }
                    "fail_silently" => match value {
                        Value::Bool(b) => spec.fail_silently = *b,
                        other => {
                            return Err(format!(
                                "`fail_silently` must be true or false, found {} {other}",
                                kind(other)
                            ));
                        }
                    },
                    _ => {
                        spec.extra.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        other => {
            return Err(format!(
                "expected a mapping, a list of step paths or one path, found {}",
                kind(other)
            ));
        }
    }
    Ok(spec)
}

fn paths(items: &[Value]) -> Result<Vec<String>, String> {
    items
        .iter()
        .map(|v| match v {
            Value::String(s) => step_path(s),
            other => Err(format!(
                "a step path must be a string, found {}",
                kind(other)
            )),
        })
        .collect()
}

fn step_path(path: &str) -> Result<String, String> {
    let trimmed = path.trim();
    if trimmed.is_empty() {
        return Err("an empty step path".into());
    }
    Ok(trimmed.to_owned())
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}
