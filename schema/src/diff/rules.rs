//! The compatibility rules: stable ids, and each rule's verdict per mode.

use serde::Serialize;

/// Who must keep working across the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// New consumers read data written by old producers.
    Backward,
    /// Old consumers read data written by new producers.
    Forward,
    /// Both (the default, like upstream's two-way schema test).
    #[default]
    Full,
}

/// How a finding weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Documentation only.
    Safe,
    /// Compatible in this mode; needs a higher `minor_version`.
    Minor,
    /// Needs a new major version (a new `.v<N+1>` event type).
    Breaking,
    /// The versions do not say what changed.
    Violation,
}

crate::stable_id::stable_ids! {
    /// A compatibility rule. The ids are stable: ignore files and CI
    /// annotations name them.
    pub enum Rule;
    /// The stable id (`FIELD_REMOVED`).
    fn id;

    /// An event type of the baseline is gone.
    EventRemoved => "EVENT_REMOVED",
    /// A new event type: an addition, reported as information.
    EventAdded => "EVENT_ADDED",
    /// Same event type, different constant name.
    EventNameChanged => "EVENT_NAME_CHANGED",
    /// A data class reached from a payload has a new name, same shape.
    TypeRenamed => "TYPE_RENAMED",
    /// A required field is gone.
    FieldRemoved => "FIELD_REMOVED",
    /// A field with a default or `?` is gone.
    OptionalFieldRemoved => "OPTIONAL_FIELD_REMOVED",
    /// A new field without default.
    FieldAddedRequired => "FIELD_ADDED_REQUIRED",
    /// A new field with a default or `?`.
    FieldAddedOptional => "FIELD_ADDED_OPTIONAL",
    /// Any type change, widening included.
    FieldTypeChanged => "FIELD_TYPE_CHANGED",
    /// `T?` → `T`.
    FieldMadeRequired => "FIELD_MADE_REQUIRED",
    /// `T` → `T?`.
    FieldMadeOptional => "FIELD_MADE_OPTIONAL",
    /// A default value changed, appeared or disappeared.
    FieldDefaultChanged => "FIELD_DEFAULT_CHANGED",
    /// An enum gained a value.
    EnumValueAdded => "ENUM_VALUE_ADDED",
    /// An enum lost a value.
    EnumValueRemoved => "ENUM_VALUE_REMOVED",
    /// A scalar's base type changed.
    ScalarBaseChanged => "SCALAR_BASE_CHANGED",
    /// `key_field` changed: event-bus partitioning and ordering change.
    KeyFieldChanged => "KEY_FIELD_CHANGED",
    /// A minor-level change without a higher `minor_version`.
    MinorVersionNotBumped => "MINOR_VERSION_NOT_BUMPED",
    /// `minor_version` went down.
    MinorVersionDecreased => "MINOR_VERSION_DECREASED",
    /// Descriptions, examples, dates or trigger changed.
    DocsChanged => "DOCS_CHANGED",
    /// A filter type of the baseline is gone.
    FilterRemoved => "FILTER_REMOVED",
    /// A new filter type: an addition, reported as information.
    FilterAdded => "FILTER_ADDED",
    /// Same filter type, different constant name.
    FilterNameChanged => "FILTER_NAME_CHANGED",
    /// A filter gained an argument (steps and callers both see arguments).
    FilterArgumentAdded => "FILTER_ARGUMENT_ADDED",
    /// A filter lost an argument.
    FilterArgumentRemoved => "FILTER_ARGUMENT_REMOVED",
    /// A filter's arguments are in another order.
    FilterArgumentsReordered => "FILTER_ARGUMENTS_REORDERED",
    /// A filter argument's type changed.
    FilterArgumentTypeChanged => "FILTER_ARGUMENT_TYPE_CHANGED",
    /// What a filter returns changed.
    FilterReturnsChanged => "FILTER_RETURNS_CHANGED",
    /// A filter exception is gone (callers catch it by name).
    FilterExceptionRemoved => "FILTER_EXCEPTION_REMOVED",
    /// A filter exception's parameters changed.
    FilterExceptionChanged => "FILTER_EXCEPTION_CHANGED",
    /// A filter gained an exception: an addition.
    FilterExceptionAdded => "FILTER_EXCEPTION_ADDED",
    /// A filter's Python class changed: its name (Python code imports it),
    /// how `run_filter` reads results, or the form keys no step may see.
    FilterPythonChanged => "FILTER_PYTHON_CHANGED",
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// A numeric type change that one direction can still read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Promotion {
    /// Not a numeric promotion.
    #[default]
    None,
    /// `int` → `float`: new float readers take old ints (backward).
    Widening,
    /// `float` → `int`: old float readers take new ints (forward).
    Narrowing,
}

/// Whether a wire change is readable in each direction: `(backward, forward)`.
/// `None` for rules that are not about wire compatibility.
fn directions(rule: Rule, promotion: Promotion) -> Option<(bool, bool)> {
    Some(match rule {
        // New readers ignore the extra field in old data; old readers miss it.
        Rule::FieldRemoved => (true, false),
        // Old data lacks it: new readers fail; old readers ignore it.
        Rule::FieldAddedRequired => (false, true),
        // New readers read old nulls: fail; old readers read new non-null: fine.
        Rule::FieldMadeRequired => (false, true),
        // New readers take old non-null; old readers cannot take new nulls.
        Rule::FieldMadeOptional => (true, false),
        // New readers know every old value; old readers may meet a new one.
        Rule::EnumValueAdded => (true, false),
        // Old data may hold the removed value; new data never does.
        Rule::EnumValueRemoved => (false, true),
        Rule::FieldTypeChanged => match promotion {
            Promotion::Widening => (true, false),
            Promotion::Narrowing => (false, true),
            Promotion::None => (false, false),
        },
        _ => return None,
    })
}

/// The verdict of `rule` under `mode`, and whether it also warns.
pub fn verdict(rule: Rule, mode: Mode, promotion: Promotion) -> (Verdict, bool) {
    match rule {
        // Arguments flow both ways (callers build them, steps read and
        // return them): every change to a filter's shape breaks someone.
        Rule::FilterRemoved
        | Rule::FilterNameChanged
        | Rule::FilterArgumentAdded
        | Rule::FilterArgumentRemoved
        | Rule::FilterArgumentsReordered
        | Rule::FilterArgumentTypeChanged
        | Rule::FilterReturnsChanged
        | Rule::FilterExceptionRemoved
        | Rule::FilterExceptionChanged
        | Rule::FilterPythonChanged => (Verdict::Breaking, false),
        Rule::FilterAdded | Rule::FilterExceptionAdded => (Verdict::Safe, false),
        Rule::EventRemoved
        | Rule::EventNameChanged
        | Rule::TypeRenamed
        | Rule::ScalarBaseChanged
        | Rule::KeyFieldChanged => (Verdict::Breaking, false),
        Rule::OptionalFieldRemoved | Rule::FieldDefaultChanged => (Verdict::Minor, true),
        Rule::FieldAddedOptional => (Verdict::Minor, false),
        Rule::MinorVersionNotBumped | Rule::MinorVersionDecreased => (Verdict::Violation, false),
        Rule::DocsChanged | Rule::EventAdded => (Verdict::Safe, false),
        wire => {
            let (backward, forward) = directions(wire, promotion).unwrap_or((false, false));
            let ok = match mode {
                Mode::Backward => backward,
                Mode::Forward => forward,
                Mode::Full => backward && forward,
            };
            (
                if ok {
                    Verdict::Minor
                } else {
                    Verdict::Breaking
                },
                false,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_table() {
        use Mode::*;
        use Verdict::*;
        let v = |r, m| verdict(r, m, Promotion::None).0;
        assert_eq!(v(Rule::FieldAddedRequired, Full), Breaking);
        assert_eq!(v(Rule::FieldAddedRequired, Forward), Minor);
        assert_eq!(v(Rule::EnumValueAdded, Full), Breaking);
        assert_eq!(v(Rule::EnumValueAdded, Backward), Minor);
        assert_eq!(v(Rule::FieldMadeOptional, Full), Breaking);
        assert_eq!(v(Rule::FieldMadeRequired, Full), Breaking);
        assert_eq!(v(Rule::FieldTypeChanged, Full), Breaking);
        assert_eq!(
            verdict(Rule::FieldTypeChanged, Backward, Promotion::Widening).0,
            Minor
        );
        assert_eq!(
            verdict(Rule::FieldTypeChanged, Forward, Promotion::Narrowing).0,
            Minor
        );
        assert_eq!(
            verdict(Rule::FieldTypeChanged, Full, Promotion::Widening).0,
            Breaking
        );
        assert_eq!(
            verdict(Rule::OptionalFieldRemoved, Full, Promotion::None),
            (Minor, true)
        );
        assert_eq!(v(Rule::DocsChanged, Full), Safe);
        // An addition is information in every mode.
        for mode in [Backward, Forward, Full] {
            assert_eq!(
                verdict(Rule::EventAdded, mode, Promotion::None),
                (Safe, false)
            );
        }
        for mode in [Backward, Forward, Full] {
            assert_eq!(v(Rule::FilterArgumentAdded, mode), Breaking);
            assert_eq!(v(Rule::FilterAdded, mode), Safe);
            assert_eq!(v(Rule::FilterPythonChanged, mode), Breaking);
        }
        assert_eq!(Rule::ALL.len(), 31);
    }
}
